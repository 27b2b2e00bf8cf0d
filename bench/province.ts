import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { type Cluster, startCluster } from '../src/cli/cluster';
import { PROJECT_ROOT } from '../src/infra/project-root';
import {
  BENCH_REDIS_URL,
  benchApi,
  benchConfig,
  benchDatabaseUrl,
  dropBenchState,
  mediaReady,
  runBench,
} from './bench-kit';
import { heartbeatWindow, idleWindow, perHeartbeat, perSecond, type Window } from './province-heartbeats';
import { compileTomorrow, importProvince } from './province-setup';
import { type WrkFigures, wrkDevices } from './wrk';
import { mb } from './schedule-kit';
import {
  activationDone,
  bareSseProcesses,
  EMERGENCY_EVENT,
  EVENTS_ROUTE,
  figures,
  measure,
  ms,
  report,
} from './sse-broadcast';
import { openFilesLimit } from './sse-listeners';

// bench:province — a province on one machine: Guizhou's 88 counties, 1,510
// townships and 17,964 villages imported through the API, three loudspeakers
// a village written into the database, a daily schedule in every county, then
// with 3 API processes and 2 workers behind HAProxy (src/cli/cluster.ts):
//   (a) tomorrow compiled for every region (the nightly compile's work);
//   (b) every device pulls tomorrow's playlist once (200s), then once more
//       with the ETag it was sent (304s), through HAProxy, driven by wrk;
//   (c) an emergency for the whole province approved while N devices hold
//       the event stream, spread over the API processes, beside 3 bare
//       node:http SSE servers sending the same bytes to as many streams
//       split the same way (p50, p99, missed);
//   (d) what a steady heartbeat load (every device once a minute) costs
//       Postgres, against an idle window of the same cluster.
// Not a pass/fail test: it exits 0 unless the set-up fails.

const { values: args } = parseArgs({
  options: {
    regions: { type: 'string', default: join(PROJECT_ROOT, '..', 'shared', 'data', 'regions', 'guizhou.csv') },
    'per-village': { type: 'string', default: '3' },
    devices: { type: 'string' },
    sse: { type: 'string', default: '30000' },
    'sse-via': { type: 'string', default: 'auto' },
    api: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '100' },
    'compile-concurrency': { type: 'string', default: '2' },
    'heartbeat-seconds': { type: 'string', default: '60' },
    'heartbeat-interval': { type: 'string', default: '60' },
    'heartbeat-devices': { type: 'string', default: '10000' },
    'idle-seconds': { type: 'string', default: '20' },
    'pull-seconds': { type: 'string', default: '60' },
    'timeout-seconds': { type: 'string', default: '30' },
  },
});
const int = (name: keyof typeof args) => Number(args[name]);
const API = int('api');
const SSE_REQUESTED = int('sse');
const TIMEOUT_MS = int('timeout-seconds') * 1000;
const ADMIN_PASSWORD = 'bench-admin-password';
const PLAYLIST_ROUTE = '/api/v1/device/playlist';
// Files an API process or HAProxy needs besides the device streams: Postgres, Redis, logs, the other side.
const SPARE_FILES = 1000;

/**
 * Where the device streams go. Through HAProxy each stream is two of its
 * files (device side, API side), and a process may not open more than
 * `ulimit -n`; past that, the streams go straight to the API processes,
 * device i to process i mod N, as a balancer spreading them evenly would.
 */
function sseRoute(limit: number | undefined): { via: 'balancer' | 'direct'; why: string } {
  const fits = limit === undefined || 2 * SSE_REQUESTED + SPARE_FILES <= limit;
  const wanted = args['sse-via'];
  if (wanted === 'direct') return { via: 'direct', why: 'as asked (--sse-via direct)' };
  if (wanted === 'balancer' || fits)
    return { via: 'balancer', why: fits ? 'they fit HAProxy' : 'as asked, though they do not fit HAProxy' };
  return {
    via: 'direct',
    why: `through HAProxy they need ${2 * SSE_REQUESTED + SPARE_FILES} open files and ulimit -n is ${limit} (it cannot be raised here)`,
  };
}

function pullRow(label: string, run: WrkFigures): string {
  const statuses = Object.entries(run.statuses)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  return `  ${label.padEnd(14)}${String(run.requests).padStart(9)}${run.seconds.toFixed(1).padStart(9)}${run.requestsPerSecond.toFixed(0).padStart(12)}${run.p50Ms.toFixed(1).padStart(9)}${run.p99Ms.toFixed(1).padStart(9)}${String(run.errors).padStart(8)}  ${statuses}`;
}

function windowRow(label: string, window: Window, heartbeats?: number): string {
  const rate = perSecond(window);
  return `  ${label.padEnd(22)}${window.seconds.toFixed(0).padStart(6)}${(heartbeats === undefined ? '—' : (heartbeats / window.seconds).toFixed(0)).padStart(14)}${rate.transactions.toFixed(1).padStart(16)}${rate.rowsWritten.toFixed(1).padStart(16)}${rate.endpointUpdates.toFixed(1).padStart(18)}`;
}

async function main(): Promise<void> {
  const numeric = Object.entries(args).filter(
    ([name, value]) => typeof value === 'string' && !['regions', 'sse-via'].includes(name),
  );
  const bad = numeric.filter(([, value]) => !(Number.isInteger(Number(value)) && Number(value) >= 1));
  if (bad.length) throw new Error(`${bad.map(([name]) => `--${name}`).join(', ')}: a whole number ≥ 1`);
  const regionsFile = args.regions;
  if (!existsSync(regionsFile))
    throw new Error(`no regions file at ${regionsFile}: pass --regions <path to guizhou.csv>`);
  if (args['sse-via'] !== undefined && !['auto', 'balancer', 'direct'].includes(args['sse-via']))
    throw new Error('--sse-via is auto, balancer or direct');
  const limit = openFilesLimit();
  if (limit !== undefined && Math.ceil(SSE_REQUESTED / API) + SPARE_FILES > limit)
    throw new Error(
      `--sse ${SSE_REQUESTED} over ${API} API processes needs about ${Math.ceil(SSE_REQUESTED / API) + SPARE_FILES} open files in each, and ulimit -n is ${limit}: raise it or use fewer`,
    );
  const route = sseRoute(limit);
  console.log(
    `bench:province: ${regionsFile}, ${args['per-village']} devices a village${args.devices ? ` (at most ${args.devices})` : ''}, ${API} API processes and ${args.workers} workers behind HAProxy, ${availableParallelism()} CPUs, ulimit -n ${limit ?? 'unlimited'}`,
  );

  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-province-'));
  const database = `dalaba_bench_province_${process.pid}`;
  const prefix = `benchp${process.pid}`;
  const env = {
    DATABASE_URL: benchDatabaseUrl(database),
    REDIS_URL: BENCH_REDIS_URL,
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: prefix,
    MEDIA_DIR: join(work, 'media'),
    ADMIN_PASSWORD,
    // The cluster launcher knows a worker is ready by its "worker started" line.
    LOG_LEVEL: 'info',
    // Every simulated device connects from 127.0.0.1.
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
  };
  let cluster: Cluster | undefined;
  let db: Client | undefined;
  try {
    const config = await benchConfig(database, prefix, { ...env, APP_ROLE: 'api' });
    db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    const started = performance.now();
    cluster = await startCluster({
      api: API,
      workers: int('workers'),
      env,
      maxConnections: route.via === 'balancer' ? SSE_REQUESTED + SPARE_FILES : undefined,
      // Under the bench's load on two shared cores a health check can take seconds: HAProxy's default 1 s would
      // mark busy API processes down and answer 503 for them.
      checkIntervalMs: 5000,
      // Their output is kept for a failure's message (ProcessHandle.output); printed, it would drown the table.
      onLine: () => undefined,
    });
    console.log(`  cluster up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${cluster.url}`);
    const api = benchApi(cluster.url);
    const { accessToken: admin } = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', 200, {
      json: { username: config.admin.username, password: ADMIN_PASSWORD },
    });

    const province = await importProvince(
      api,
      admin,
      db,
      regionsFile,
      int('per-village'),
      args.devices ? int('devices') : undefined,
    );
    const devices = province.devices;
    console.log(
      `  imported ${province.regions} regions (${province.counties.length} counties, ${province.villages} villages) through the API in ${province.importSeconds.toFixed(1)} s; ${devices.length} devices written into the database in ${province.enrollSeconds.toFixed(1)} s (enrolling them through the API would take longer than the bench)`,
    );
    // The alert's spoken audio, made by the workers while the rest goes on.
    const { id: mediaId } = await api<{ id: string }>('POST', '/api/v1/media/tts', 202, {
      token: admin,
      json: { text: '贵州省防汛演练：河水上涨，请沿河低洼地带的群众立即向高处转移。这是一次演练。' },
    });

    // (a) The full compile.
    const compiled = await compileTomorrow(config, db, province.counties, int('compile-concurrency'));
    console.log(
      `  (a) full compile of ${compiled.date}: ${compiled.seconds.toFixed(2)} s for ${compiled.regions} regions of ${province.counties.length} counties (${Math.round(compiled.regions / compiled.seconds)} regions/s, ${Math.round(devices.length / compiled.seconds)} endpoints/s), ${compiled.broadcasts} daily broadcasts, concurrency ${args['compile-concurrency']}, peak RSS ${mb(compiled.peakRss)}`,
    );

    // (b) Every device pulls once, then once more with what it holds.
    const url = `${cluster.url}${PLAYLIST_ROUTE}?date=${compiled.date}`;
    const pull = { url, connections: int('connections'), threads: 2, seconds: int('pull-seconds'), once: true };
    const fresh = await wrkDevices({ ...pull, devices, etags: true });
    const held = await wrkDevices({
      ...pull,
      devices: devices
        .filter(({ endpointId }) => fresh.etags.has(endpointId))
        .map(({ token, endpointId }) => ({ token, etag: fresh.etags.get(endpointId) })),
    });
    console.log(
      `  (b) playlist pulls through HAProxy, wrk, ${pull.connections} connections, each device once, at most ${pull.seconds} s a pass (the second: the ${fresh.etags.size} devices answered in the first, with their ETag):`,
    );
    console.log(`  pass           requests        s  requests/s   p50 ms   p99 ms  errors  answers`);
    console.log(pullRow('all, no ETag', fresh));
    console.log(pullRow('all, ETag', held));

    // (d) Postgres under heartbeats, before the emergency leaves its work behind.
    const idle = await idleWindow(db, database, int('idle-seconds'));
    const beating = devices.slice(0, int('heartbeat-devices'));
    const beats = await heartbeatWindow(db, database, {
      origin: cluster.url,
      devices: beating,
      intervalSeconds: int('heartbeat-interval'),
      seconds: int('heartbeat-seconds'),
      connections: 200,
    });
    const answered = beats.load.statuses['200'] ?? 0;
    const own = perHeartbeat(idle, beats.window, answered);
    console.log(
      `  (d) Postgres (pg_stat_database of the bench database) idle, and under heartbeats of ${beating.length} devices each once in ${args['heartbeat-interval']} s (after a first beat each, not counted: ${beats.warmUp.requests} in ${beats.warmUp.seconds.toFixed(0)} s), HEARTBEAT_FLUSH_SECONDS ${config.operations.heartbeatFlushSeconds}:`,
    );
    console.log(`  window                     s  heartbeats/s  transactions/s  rows written/s  endpoint updates/s`);
    console.log(windowRow('idle', idle));
    console.log(windowRow('heartbeats', beats.window, answered));
    console.log(
      `  heartbeats answered ${answered}, other ${beats.load.requests - answered}, errors ${beats.load.errors}, p99 ${beats.load.p99Ms.toFixed(1)} ms; per heartbeat, less the idle rate: ${own.transactions.toFixed(3)} transactions, ${own.rowsWritten.toFixed(3)} rows written, ${own.endpointUpdates.toFixed(3)} endpoint updates`,
    );
    const provinceRate = devices.length / int('heartbeat-interval');
    console.log(
      `  so all ${devices.length} devices at that interval (${provinceRate.toFixed(0)} heartbeats/s) would cost Postgres about ${(own.transactions * provinceRate).toFixed(1)} transactions/s and ${(own.rowsWritten * provinceRate).toFixed(1)} rows written/s over idle`,
    );

    // (c) The emergency for the whole province.
    await mediaReady(api, admin, mediaId);
    // Two people the installation's admin set up: one drafts, the other approves (not whoever set their password).
    const [drafter, approver] = await Promise.all(
      ['bench-drafter', 'bench-approver'].map(async (username) => {
        await api('POST', '/api/v1/users', 201, {
          token: admin,
          json: { username, password: ADMIN_PASSWORD, role: 'admin' },
        });
        return (
          await api<{ accessToken: string }>('POST', '/api/v1/auth/login', 200, {
            json: { username, password: ADMIN_PASSWORD },
          })
        ).accessToken;
      }),
    );
    // An alert covers one county (its centre issues it): the province's is one a county, all approved at once.
    const ids: string[] = [];
    for (const county of province.counties) {
      const { id } = await api<{ id: string }>('POST', '/api/v1/emergencies', 201, {
        token: drafter,
        json: {
          title: '贵州省防汛演练',
          level: 2,
          category: 'flood',
          regionCodes: [county],
          mediaId,
          repeat: 3,
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
          drill: true,
        },
      });
      ids.push(id);
    }
    // The first N devices: the devices go round the villages in order, so these are all over the province.
    const tokens = devices.slice(0, SSE_REQUESTED).map((device) => device.token);
    const targets =
      route.via === 'balancer'
        ? `${cluster.url}${EVENTS_ROUTE}`
        : cluster.apis.map((handle) => `http://127.0.0.1:${handle.port}${EVENTS_ROUTE}`);
    console.log(
      `  (c) an emergency for the province (${ids.length} county alerts approved at once) to ${tokens.length} event streams, ${route.via === 'balancer' ? 'through HAProxy' : `straight to the ${API} API processes`}: ${route.why}`,
    );
    const ofApp = await measure('app', targets, tokens, ids, TIMEOUT_MS, async () => {
      await Promise.all(ids.map((id) => api('POST', `/api/v1/emergencies/${id}/approve`, 200, { token: approver })));
    });
    const { data } = ofApp.arrivals;
    if (data === null) {
      report([ofApp]);
      console.log('  no device received the alert, so there is no event for the bare servers to send');
      return;
    }
    const { pushedAt, doneAt } = await activationDone(db, ids, ofApp.arrivals.at.filter((at) => at !== null).length);
    console.log(
      `  event data ${Buffer.byteLength(data)} bytes; the last activation was pushed ${ms(pushedAt - ofApp.t0)} ms and its playlists recompiled ${ms(doneAt - ofApp.t0)} ms after the approve request`,
    );
    const bare = await bareSseProcesses(API, ofApp.opened.headers, ofApp.opened.retryMs);
    let ofBare;
    try {
      const frame = `id: ${Date.now()}\nevent: ${EMERGENCY_EVENT}\ndata: ${data}\n\n`;
      // One frame to every stream (the first county's alert): the same bytes a stream, whichever county it is in.
      ofBare = await measure('bare', bare.urls, tokens, ids, TIMEOUT_MS, () => bare.broadcast(frame));
    } finally {
      await bare.close();
    }
    report([ofApp, ofBare]);
    console.log(
      `  (bare: ${API} node:http processes, the streams split over them as over the app's; ratio app ÷ bare, p99: ${(figures(ofApp).p99 / figures(ofBare).p99).toFixed(2)})`,
    );
  } finally {
    await cluster?.stop();
    await db?.end();
    rmSync(work, { recursive: true, force: true });
    await dropBenchState(database, prefix);
  }
}

runBench(main);
