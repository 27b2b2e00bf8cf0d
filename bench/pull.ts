import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { addDays, countyDate } from '../src/kernel/county-time';
import { adminWithSongtao, benchApi, dropBenchState, inParallel, mediaReady, runBench } from './bench-kit';
import { requireWrk, type WrkFigures, wrkDevices } from './wrk';
import { type Busy, repeatableHeaders, ServerProcess, type ServedPlaylist } from './pull-servers';

// bench:pull — what the device playlist route costs next to the least a
// server can do. Many enrolled devices pull tomorrow's playlist from the real
// app, (a) without and (b) with the version they hold; in turn with it, bare
// Fastify answers the same requests with the very bytes the app sent. Each
// server runs in a process of its own; wrk (a C client) makes the load.
// Printed: requests/s and p99 of each, and app ÷ bare for the 200 and the 304
// path (target ≥ 0.80: a pull must be served from memory, not computed per
// request).

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    threads: { type: 'string', default: '1' },
    // CPU profiles of both servers during the measured rounds (<prefix>-app.cpuprofile, <prefix>-bare.cpuprofile),
    // for DevTools' Performance tab.
    'cpu-profiles': { type: 'string' },
  },
});
const DEVICES = Number(args.devices);
const CONNECTIONS = Number(args.connections);
const SECONDS = Number(args.seconds);
const THREADS = Number(args.threads);
const ADMIN_PASSWORD = 'bench-admin-password';
const COUNTY = '520628000000';
const PLAYLIST_ROUTE = '/api/v1/device/playlist';
const TARGET = 0.8;
// Each path is measured in rounds of about two seconds, app and bare in turn,
// so that whatever else this shared machine does at the time weighs on both
// alike. Whole seconds: wrk takes its duration in them.
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

/** Fresh: no If-None-Match (the 200 path); held: the version each device was sent (the 304 path). */
type Mode = 'fresh' | 'held';

/** One round of one server under one load: wrk's figures, and how busy the server's event loop was. */
interface Round extends Busy {
  seconds: number;
  requestsPerSecond: number;
  p99Ms: number;
  status2xx: number;
  status3xx: number;
  /** Neither 2xx nor 3xx: 1xx, 4xx, 5xx, connection errors and timeouts. */
  other: number;
  /** How many of the devices were asked at least once. */
  devices: number;
}

function roundFigures(figures: WrkFigures): Omit<Round, keyof Busy | 'seconds'> {
  const counts = { status2xx: 0, status3xx: 0, other: figures.errors };
  for (const [status, answers] of Object.entries(figures.statuses)) {
    if (status.startsWith('2')) counts.status2xx += answers;
    else if (status.startsWith('3')) counts.status3xx += answers;
    else counts.other += answers;
  }
  return { requestsPerSecond: figures.requestsPerSecond, p99Ms: figures.p99Ms, ...counts, devices: figures.reached };
}

/** One server under one load, and the figures of each of its rounds. */
interface Series {
  label: string;
  server: ServerProcess;
  mode: Mode;
  rounds: Round[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summary(series: Series) {
  const sum = (of: (round: Round) => number) => series.rounds.reduce((total, round) => total + of(round), 0);
  const seconds = sum((round) => round.seconds);
  return {
    requestsPerSecond: sum((round) => round.requestsPerSecond * round.seconds) / seconds,
    // A p99 is not summed across rounds: the median round's stands for all.
    p99Ms: median(series.rounds.map((round) => round.p99Ms)),
    status2xx: sum((round) => round.status2xx),
    status3xx: sum((round) => round.status3xx),
    other: sum((round) => round.other),
    devices: Math.max(...series.rounds.map((round) => round.devices)),
    busy: sum((round) => round.utilization * round.seconds) / seconds,
    cpuMicrosPerRequest:
      sum((round) => round.cpuMicros) / sum((round) => round.status2xx + round.status3xx + round.other),
  };
}

/** The app's servers: set up through the API as operators and installers would, every device pulled once. */
async function enrolledDevices(app: ServerProcess, path: string, date: string) {
  const api = benchApi(app.url);
  const admin = await adminWithSongtao(api, app.adminUsername!, ADMIN_PASSWORD);
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
  await waitFor("tomorrow's playlist to be compiled", async () => {
    const playlist = await api<{ items: unknown[] }>('GET', path, 200, { token: tokens[0] });
    return playlist.items.length > 0 ? true : undefined;
  });

  // Warm-up: every device pulls once, so every village's playlist is cached
  // and every token known; each keeps the version it was sent.
  const devices: Device[] = [];
  let sample: ServedPlaylist | undefined;
  await inParallel(
    tokens.map((token, index) => ({ token, index })),
    SETUP_CONCURRENCY,
    async ({ token, index }) => {
      const reply = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (reply.status !== 200) throw new Error(`warm-up pull: ${reply.status} ${await reply.text()}`);
      const headers = repeatableHeaders(reply.headers);
      const body = await reply.text();
      if (index === 0) sample = { body, headers };
      devices[index] = { token, etag: headers.etag };
    },
  );
  return { devices, served: sample!, villages: villages.length };
}

async function main(): Promise<void> {
  if (
    ![DEVICES, CONNECTIONS, SECONDS, THREADS].every(Number.isInteger) ||
    THREADS < 1 ||
    CONNECTIONS < THREADS ||
    DEVICES < CONNECTIONS ||
    SECONDS < 1
  ) {
    throw new Error(
      '--devices, --connections, --threads and --seconds must be whole numbers, with devices ≥ connections ≥ threads ≥ 1 and seconds ≥ 1',
    );
  }
  requireWrk();
  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-pull-'));
  const database = `dalaba_bench_${process.pid}`;
  const prefix = `bench${process.pid}`;
  let app: ServerProcess | undefined;
  let bare: ServerProcess | undefined;
  try {
    const profiles = args['cpu-profiles'] && resolve(args['cpu-profiles']);
    app = await ServerProcess.start({
      kind: 'app',
      database,
      prefix,
      env: { ADMIN_PASSWORD, APP_ROLE: 'all', MEDIA_DIR: join(work, 'media') },
      cpuProfile: profiles && `${profiles}-app.cpuprofile`,
    });
    console.log(
      `bench:pull: ${DEVICES} devices, ${CONNECTIONS} connections, wrk -t${THREADS}, ${SECONDS} s a path in ${ROUNDS} rounds, ${availableParallelism()} CPUs, Node ${process.versions.node}`,
    );
    const date = addDays(countyDate(new Date()), 1);
    const path = `${PLAYLIST_ROUTE}?date=${date}`;
    const { devices, served, villages } = await enrolledDevices(app, path, date);

    bare = await ServerProcess.start({
      kind: 'bare',
      path: PLAYLIST_ROUTE,
      served,
      cpuProfile: profiles && `${profiles}-bare.cpuprofile`,
    });
    const bareUrl = bare.url;
    // The same number of requests as the app's warm-up, so both are as warmed up.
    await inParallel(devices, SETUP_CONCURRENCY, async ({ token }) => {
      await (await fetch(`${bareUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).text();
    });

    const pairs: Array<{ status: string; app: Series; bare: Series }> = [
      {
        status: '200',
        app: { label: 'app  200', server: app, mode: 'fresh', rounds: [] },
        bare: { label: 'bare 200', server: bare, mode: 'fresh', rounds: [] },
      },
      {
        status: '304',
        app: { label: 'app  304', server: app, mode: 'held', rounds: [] },
        bare: { label: 'bare 304', server: bare, mode: 'held', rounds: [] },
      },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const { app: ofApp, bare: ofBare } of pairs) {
        // Which goes first alternates, so neither always follows the other.
        for (const series of round % 2 ? [ofBare, ofApp] : [ofApp, ofBare]) {
          const seconds = roundSeconds(round);
          series.server.mark();
          const figures = await wrkDevices({
            url: `${series.server.url}${path}`,
            devices: series.mode === 'held' ? devices : devices.map(({ token }) => ({ token })),
            seconds,
            connections: CONNECTIONS,
            threads: THREADS,
          });
          series.rounds.push({ ...roundFigures(figures), seconds, ...(await series.server.busy()) });
        }
      }
    }

    const versions = new Set(devices.map((device) => device.etag)).size;
    console.log(
      `  ${villages} villages, playlist for ${date}: ${Buffer.byteLength(served.body)} bytes of JSON, ${versions} version(s)`,
    );
    console.log('  path       requests/s   p99 ms      2xx      3xx  other  devices  server busy  CPU µs/request');
    for (const series of pairs.flatMap((pair) => [pair.app, pair.bare])) {
      const run = summary(series);
      console.log(
        `  ${series.label}  ${run.requestsPerSecond.toFixed(0).padStart(10)}  ${run.p99Ms.toFixed(2).padStart(7)}  ${String(run.status2xx).padStart(7)}  ${String(run.status3xx).padStart(7)}  ${String(run.other).padStart(5)}  ${String(run.devices).padStart(7)}  ${(run.busy * 100).toFixed(0).padStart(10)} %  ${run.cpuMicrosPerRequest.toFixed(1).padStart(14)}`,
      );
    }
    console.log(
      "  (p99: the median round's; server busy: how busy the server's event loop was, well under 100 % means wrk was the limit;",
    );
    console.log("   CPU µs/request: the server process's user + system time, whatever else the machine was doing)");
    for (const { status, app: ofApp, bare: ofBare } of pairs) {
      const [appRun, bareRun] = [summary(ofApp), summary(ofBare)];
      const ratio = appRun.requestsPerSecond / bareRun.requestsPerSecond;
      console.log(
        `  ratio app ÷ bare, ${status}: ${ratio.toFixed(3)} (target ≥ ${TARGET.toFixed(2)}) ${ratio >= TARGET ? 'OK' : 'UNDER TARGET'}; by CPU per request, bare ÷ app: ${(bareRun.cpuMicrosPerRequest / appRun.cpuMicrosPerRequest).toFixed(3)}`,
      );
    }
    if (Number(process.versions.node.split('.')[0]) < 24)
      console.log(
        `  (Node ${process.versions.node}: the app's AsyncLocalStorage for log request ids turns on async hooks for every socket write, which costs a poll about a tenth; Node 24, the runtime the README asks for, keeps it in the async context frame and pays nothing: see docs/benchmarks.md)`,
      );
    if (profiles)
      console.log(`  CPU profiles of the measured rounds: ${profiles}-app.cpuprofile, ${profiles}-bare.cpuprofile`);
  } finally {
    await bare?.stop();
    await app?.stop();
    rmSync(work, { recursive: true, force: true });
    await dropBenchState(database, prefix);
  }
}

runBench(main);
