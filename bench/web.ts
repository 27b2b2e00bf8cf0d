import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { chromium, type Page } from 'playwright-core';
import { createHttpApp } from '../src/app';
import { createRootLogger } from '../src/infra/logging/logger';
import { WEB_CONSOLE_DIR } from '../src/infra/http/web-console';
import { addDays, countyDate } from '../src/kernel/county-time';
import { adminWithSongtao, benchApi, benchConfig, dropBenchState, mediaReady, runBench } from './bench-kit';

// bench:web, from the production build (npm run build): (1) the JavaScript the
// sign-in page needs, gzip, against the 250 KB budget, and whether every page's
// code is left to load on demand; (2) Songtao (28 townships, 522 villages)
// with a broadcast at the county, every township and every village, then in
// Chromium the time from opening the rundown of the county and of a village
// to its timeline on screen (target < 1 s), beside the floor: the same page
// fetching the same rundown JSON with nothing drawn.

const SIGN_IN_BUDGET_KB = 250;
const RENDER_TARGET_MS = 1000;
const RUNS = 7;
const COUNTY = '520628000000';
const ADMIN_PASSWORD = 'bench-web-admin-password';

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
  isDynamicEntry?: boolean;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gzipped = (file: string) => gzipSync(readFileSync(join(WEB_CONSOLE_DIR, file)), { level: 9 }).length;

/**
 * The sign-in page's JavaScript: the entry chunk, the sign-in page's own chunk
 * (loaded at once when nobody is signed in) and what each imports statically;
 * the other dynamic imports load only after sign-in.
 */
function bundleBudget(): void {
  const manifest = JSON.parse(readFileSync(join(WEB_CONSOLE_DIR, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const needed = new Set<string>();
  const visit = (key: string) => {
    if (needed.has(key)) return;
    needed.add(key);
    for (const next of manifest[key].imports ?? []) visit(next);
  };
  visit('index.html');
  visit(Object.keys(manifest).find((key) => key.includes('/pages/sign-in/'))!);
  const js = [...needed].reduce((total, key) => total + gzipped(manifest[key].file), 0);
  const css = (manifest['index.html'].css ?? []).reduce((total, file) => total + gzipped(file), 0);
  const pages = Object.entries(manifest).filter(
    ([key, chunk]) => chunk.isDynamicEntry && key.includes('/pages/') && !key.includes('/sign-in/'),
  );
  const eager = pages.filter(([key]) => needed.has(key));
  console.log(`  sign-in page JavaScript: ${kb(js)} gzip in ${needed.size} chunk(s), CSS ${kb(css)} gzip`);
  console.log(
    `  budget ≤ ${SIGN_IN_BUDGET_KB} KB: ${js <= SIGN_IN_BUDGET_KB * 1024 ? 'OK' : 'OVER'}; ` +
      `${pages.length} pages loaded on demand, ${eager.length} in the sign-in bundle ${eager.length ? 'OVER' : 'OK'}`,
  );
  for (const [key, chunk] of pages)
    console.log(`    ${key.replace('src/pages/', '')}: ${kb(gzipped(chunk.file))} gzip`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** What the page's document looks like to a function run in it (the benches compile without the DOM's types). */
type InPage = { document: { body: { innerText: string } } };

/** Opens the rundown page and returns ms from navigation start until the programme's title is on screen. */
async function renderTime(page: Page, path: string, title: string): Promise<number> {
  await page.goto('about:blank');
  await page.goto(path);
  // A function, not a string: the console's CSP (no unsafe-eval) refuses a string predicate.
  const handle = await page.waitForFunction(
    (text) => ((globalThis as unknown as InPage).document.body.innerText.includes(text) ? performance.now() : false),
    title,
    {
      polling: 'raf',
      timeout: 30_000,
    },
  );
  return (await handle.jsonValue()) as number;
}

/** The floor: from navigation start, a page that only fetches the same rundown JSON (no console code, nothing drawn). */
async function fetchFloor(page: Page, url: string): Promise<number> {
  await page.goto('about:blank');
  await page.goto('/health');
  return page.evaluate<number>(
    `fetch(${JSON.stringify(url)}).then((reply) => reply.json()).then(() => performance.now())`,
  );
}

async function main(): Promise<void> {
  console.log('bench:web: the production build in dist/web');
  bundleBudget();

  const database = `dalaba_bench_web_${process.pid}`;
  const prefix = `benchw${process.pid}`;
  const config = await benchConfig(database, prefix, { APP_ROLE: 'all', ADMIN_PASSWORD });
  const app = await createHttpApp(config, createRootLogger('warn'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'],
  });
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  try {
    const api = benchApi(base);
    const admin = await adminWithSongtao(api, config.admin.username, ADMIN_PASSWORD);
    const { id: mediaId } = await api<{ id: string }>('POST', '/api/v1/media/tts', 202, {
      token: admin,
      json: { text: '乡村振兴，文明先行。' },
    });
    await mediaReady(api, admin, mediaId);
    const title = '今晚的文明实践大讲堂';
    const { id: programmeId } = await api<{ id: string }>('POST', '/api/v1/programmes', 201, {
      token: admin,
      json: { title, category: 'core_values', segments: [mediaId] },
    });
    const { rows } = await db.query<{ code: string; level: string }>(
      `SELECT code, level FROM region WHERE county_code = $1 ORDER BY code`,
      [COUNTY],
    );
    const date = addDays(countyDate(new Date()), 1);
    // One broadcast at every level: the county, each township, each village (551 in all).
    await api('POST', '/api/v1/broadcasts', 201, {
      token: admin,
      json: { date, programmeId, regionCodes: rows.map((row) => row.code) },
    });
    const village = rows.filter((row) => row.level === 'village')[260].code;

    const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 860 } });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(config.admin.username);
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();

    for (const [label, code] of [
      ['county (522 villages below it)', COUNTY],
      ['village (county, township and village layers)', village],
    ]) {
      const path = `/rundown?region=${code}&date=${date}`;
      await renderTime(page, path, title); // warm: the first load fetches and compiles the page's code
      const renders: number[] = [];
      const floors: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        renders.push(await renderTime(page, path, title));
        floors.push(await fetchFloor(page, `/api/v1/regions/${code}/rundown?date=${date}`));
      }
      const render = median(renders);
      console.log(
        `  rundown of the ${label}: ${render.toFixed(0)} ms from navigation to the timeline on screen ` +
          `(median of ${RUNS}; target < ${RENDER_TARGET_MS} ms) ${render < RENDER_TARGET_MS ? 'OK' : 'OVER'}; ` +
          `floor, the rundown JSON fetched alone: ${median(floors).toFixed(0)} ms`,
      );
    }
    await context.close();
  } finally {
    await browser.close();
    await db.end();
    await app.close();
    await dropBenchState(database, prefix);
  }
}

runBench(main);
