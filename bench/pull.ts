import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Request } from 'autocannon';
import Fastify from 'fastify';
import { createHttpApp } from '../src/app';
import { createRootLogger } from '../src/infra/logging/logger';
import { addDays, countyDate } from '../src/kernel/county-time';
import { adminWithSongtao, benchApi, benchConfig, dropBenchState, inParallel, mediaReady, runBench } from './bench-kit';
import { generateLoad, type LoadFigures } from './load-generator';

// bench:pull — what the device playlist route costs next to the least a
// server can do. Many enrolled devices pull tomorrow's playlist from the real
// app, (a) without and (b) with the version they hold; in turn with it, a
// bare Fastify server in the same process answers the same requests with the
// very bytes the app sent. Printed: requests/s and p99 of each, and app ÷ bare
// for the 200 and the 304 path (target ≥ 0.80: a pull must be served from
// memory, not computed per request).

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
  },
});
const DEVICES = Number(args.devices);
const CONNECTIONS = Number(args.connections);
const SECONDS = Number(args.seconds);
const ADMIN_PASSWORD = 'bench-admin-password';
const COUNTY = '520628000000';
const PLAYLIST_ROUTE = '/api/v1/device/playlist';
const TARGET = 0.8;
// Each path is measured in rounds of about two seconds, app and bare in turn,
// so that whatever else this shared machine does at the time weighs on both
// alike. Whole seconds: autocannon stops on a one-second tick.
const ROUNDS = Math.max(1, Math.floor(SECONDS / 2));
const roundSeconds = (round: number) => Math.floor(SECONDS / ROUNDS) + (round < SECONDS % ROUNDS ? 1 : 0);
// The set-up's requests at once: enough to keep Postgres busy, few enough not to queue in its pool.
const SETUP_CONCURRENCY = 20;
// The compile job normally takes seconds; past this something is broken.
const WAIT_MS = 120_000;

interface Device {
  token: string;
  etag: string;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Gives connection i the devices i, i + connections, i + 2 × connections, … */
function spread(requests: Request[]): Request[][] {
  return Array.from({ length: CONNECTIONS }, (_, connection) =>
    requests.filter((_, index) => index % CONNECTIONS === connection),
  );
}

/** One server under one load, and the figures of each of its rounds. */
interface Series {
  label: string;
  url: string;
  load: Request[][];
  rounds: LoadFigures[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summary(series: Series) {
  const sum = (of: (round: LoadFigures) => number) => series.rounds.reduce((total, round) => total + of(round), 0);
  const seconds = sum((round) => round.seconds);
  return {
    requestsPerSecond: sum((round) => round.answers) / seconds,
    // A p99 is not summed across rounds: the median round's stands for all.
    p99Ms: median(series.rounds.map((round) => round.p99Ms)),
    status2xx: sum((round) => round.status2xx),
    status3xx: sum((round) => round.status3xx),
    other: sum((round) => round.other),
    devices: Math.max(...series.rounds.map((round) => round.distinctAnswered)),
    busy: sum((round) => round.callerBusy * round.seconds) / seconds,
  };
}

async function main(): Promise<void> {
  if (
    ![DEVICES, CONNECTIONS, SECONDS].every(Number.isInteger) ||
    CONNECTIONS < 1 ||
    DEVICES < CONNECTIONS ||
    SECONDS < 1
  ) {
    throw new Error(
      '--devices, --connections and --seconds must be whole numbers, with devices ≥ connections ≥ 1 and seconds ≥ 1',
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-pull-'));
  const database = `dalaba_bench_${process.pid}`;
  const prefix = `bench${process.pid}`;
  const bare = Fastify();
  let app: NestFastifyApplication | undefined;
  try {
    const config = await benchConfig(database, prefix, {
      ADMIN_PASSWORD,
      APP_ROLE: 'all',
      MEDIA_DIR: join(work, 'media'),
    });
    app = await createHttpApp(config, createRootLogger('warn'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    console.log(
      `bench:pull: ${DEVICES} devices, ${CONNECTIONS} connections, ${SECONDS} s a path in ${ROUNDS} rounds, ${availableParallelism()} CPUs`,
    );

    const api = benchApi(base);

    // Set-up as operators and installers would do it, through the API.
    const admin = await adminWithSongtao(api, config.admin.username, ADMIN_PASSWORD);

    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(readFileSync('tests/fixtures/audio/loud-stereo-48k.flac'))]),
      'loud-stereo-48k.flac',
    );
    const { id: mediaId } = await api<{ id: string }>('POST', '/api/v1/media', 202, { token: admin, body: form });
    await mediaReady(api, admin, mediaId);
    const { id: programmeId } = await api<{ id: string }>('POST', '/api/v1/programmes', 201, {
      token: admin,
      json: { title: '社会主义核心价值观', category: 'core_values', segments: [mediaId] },
    });
    const date = addDays(countyDate(new Date()), 1);
    // Scheduled before the endpoints exist: the compile job runs while they are being enrolled.
    await api('POST', '/api/v1/broadcasts', 201, { token: admin, json: { programmeId, regionCodes: [COUNTY], date } });

    type RegionDetail = { children: Array<{ code: string }> };
    const townships = (await api<RegionDetail>('GET', `/api/v1/regions/${COUNTY}`, 200, { token: admin })).children;
    const villages: string[] = [];
    await inParallel(townships, SETUP_CONCURRENCY, async ({ code }) => {
      villages.push(
        ...(await api<RegionDetail>('GET', `/api/v1/regions/${code}`, 200, { token: admin })).children.map(
          (village) => village.code,
        ),
      );
    });

    const tokens: string[] = [];
    await inParallel(
      Array.from({ length: DEVICES }, (_, index) => index),
      SETUP_CONCURRENCY,
      async (index) => {
        const regionCode = villages[index % villages.length];
        const { enrollmentCode } = await api<{ enrollmentCode: string }>('POST', '/api/v1/endpoints', 201, {
          token: admin,
          json: { regionCode, name: `测试喇叭 ${index}` },
        });
        const { token } = await api<{ token: string }>('POST', '/api/v1/devices/enroll', 200, {
          json: { enrollmentCode, serial: `BENCH-${index}` },
        });
        tokens[index] = token;
      },
    );
    const path = `${PLAYLIST_ROUTE}?date=${date}`;
    await waitFor("tomorrow's playlist to be compiled", async () => {
      const playlist = await api<{ items: unknown[] }>('GET', path, 200, { token: tokens[0] });
      return playlist.items.length > 0 ? true : undefined;
    });

    // Warm-up: every device pulls once, so every village's playlist is cached
    // and every token known; each keeps the version it was sent.
    const devices: Device[] = [];
    let sample: { body: string; headers: Record<string, string> } | undefined;
    await inParallel(
      tokens.map((token, index) => ({ token, index })),
      SETUP_CONCURRENCY,
      async ({ token, index }) => {
        const reply = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        if (reply.status !== 200) throw new Error(`warm-up pull: ${reply.status} ${await reply.text()}`);
        const headers = {
          'content-type': reply.headers.get('content-type')!,
          etag: reply.headers.get('etag')!,
          'cache-control': reply.headers.get('cache-control')!,
        };
        const body = await reply.text();
        if (index === 0) sample = { body, headers };
        devices[index] = { token, etag: headers.etag };
      },
    );
    const served = sample!;

    // The least a server can do for the same request: see that there is a
    // token, then send stored bytes, or 304 when the caller holds them.
    bare.get(PLAYLIST_ROUTE, async (request, reply) => {
      if (!request.headers.authorization) return reply.code(401).send();
      reply.header('etag', served.headers.etag).header('cache-control', served.headers['cache-control']);
      if (request.headers['if-none-match'] === served.headers.etag) return reply.code(304).send();
      return reply.header('content-type', served.headers['content-type']).send(served.body);
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;
    // The same number of requests as the app's warm-up, so both are as warmed up.
    await inParallel(devices, SETUP_CONCURRENCY, async ({ token }) => {
      await (await fetch(`${bareBase}${path}`, { headers: { authorization: `Bearer ${token}` } })).text();
    });

    const fresh = spread(
      devices.map(({ token }) => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } })),
    );
    const held = spread(
      devices.map(({ token, etag }) => ({
        method: 'GET',
        path,
        headers: { authorization: `Bearer ${token}`, 'if-none-match': etag },
      })),
    );
    const pairs: Array<{ status: string; app: Series; bare: Series }> = [
      {
        status: '200',
        app: { label: 'app  200', url: base, load: fresh, rounds: [] },
        bare: { label: 'bare 200', url: bareBase, load: fresh, rounds: [] },
      },
      {
        status: '304',
        app: { label: 'app  304', url: base, load: held, rounds: [] },
        bare: { label: 'bare 304', url: bareBase, load: held, rounds: [] },
      },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const { app: ofApp, bare: ofBare } of pairs) {
        // Which goes first alternates, so neither always follows the other.
        for (const series of round % 2 ? [ofBare, ofApp] : [ofApp, ofBare]) {
          series.rounds.push(
            await generateLoad({ url: series.url, seconds: roundSeconds(round), perConnection: series.load }),
          );
        }
      }
    }

    const versions = new Set(devices.map((device) => device.etag)).size;
    console.log(
      `  ${villages.length} villages, playlist for ${date}: ${Buffer.byteLength(served.body)} bytes of JSON, ${versions} version(s)`,
    );
    console.log('  path       requests/s   p99 ms      2xx      3xx  other  devices  server busy');
    for (const series of pairs.flatMap((pair) => [pair.app, pair.bare])) {
      const run = summary(series);
      console.log(
        `  ${series.label}  ${run.requestsPerSecond.toFixed(0).padStart(10)}  ${String(run.p99Ms).padStart(7)}  ${String(run.status2xx).padStart(7)}  ${String(run.status3xx).padStart(7)}  ${String(run.other).padStart(5)}  ${String(run.devices).padStart(7)}  ${(run.busy * 100).toFixed(0).padStart(10)} %`,
      );
    }
    console.log(
      "  (p99: the median round's; server busy: how busy the servers' event loop was, well under 100 % means the load generator was the limit)",
    );
    for (const { status, app: ofApp, bare: ofBare } of pairs) {
      const ratio = summary(ofApp).requestsPerSecond / summary(ofBare).requestsPerSecond;
      console.log(
        `  ratio app ÷ bare, ${status}: ${ratio.toFixed(3)} (target ≥ ${TARGET.toFixed(2)}) ${ratio >= TARGET ? 'OK' : 'UNDER TARGET'}`,
      );
    }
  } finally {
    await bare.close();
    await app?.close();
    rmSync(work, { recursive: true, force: true });
    await dropBenchState(database, prefix);
  }
}

runBench(main);
