import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../infra/config/config';
import { migrateFor } from '../infra/database/migrator';
import { PROJECT_ROOT } from '../infra/project-root';
import { BACKENDS, type BalancerOptions, haproxyConfig, serverStates } from './cluster-haproxy';
import {
  freePort,
  type ProcessHandle,
  type ProcessSpec,
  signalProcess,
  startProcess,
  stopProcess,
  waitUntil,
} from './cluster-process';

export type { ProcessHandle } from './cluster-process';

// `npm run cluster -- --api 3 --workers 2 --port 3000`: N API processes and M
// workers of dist/main.js on this machine, behind HAProxy, as a province runs
// them on several (docs/operations.md, "Several processes"). The same launcher
// is what the cluster e2e test and the province benchmark start.

export interface ClusterOptions {
  api: number;
  workers: number;
  /** Given to every process (DATABASE_URL, REDIS_URL, JWT_SECRET, QUEUE_PREFIX, MEDIA_DIR…), over this process's own. */
  env: Record<string, string | undefined>;
  /** HAProxy's port; a free one if unset or 0. */
  port?: number;
  /** HAProxy's address; 127.0.0.1 if unset. */
  host?: string;
  balance?: BalancerOptions['balance'];
  /** Between HAProxy's health checks of one API process (default 1 s; a killed one is out at its first refused connections). */
  checkIntervalMs?: number;
  maxConnections?: number;
  /** The compiled service (default: the project's dist/main.js). */
  main?: string;
  /** Each line any process writes, with its name (api1, worker2, haproxy). */
  onLine?: (name: string, line: string) => void;
  /** For each process to become ready. Default 90 s. */
  readyTimeoutMs?: number;
}

export interface Cluster {
  /** HAProxy's address: what clients use. */
  url: string;
  /** HAProxy's statistics page (`${statsUrl}/;csv` for CSV). */
  statsUrl: string;
  /** The generated HAProxy configuration file (in a temporary folder removed by stop()). */
  configFile: string;
  apis: ProcessHandle[];
  workers: ProcessHandle[];
  balancer: ProcessHandle;
  /** Sends a signal to one process (and what it started); for SIGKILL/SIGTERM/SIGINT, resolves once it has exited. */
  kill(handle: ProcessHandle, signal?: NodeJS.Signals): Promise<void>;
  /** Stops the process if it still runs and starts it again on the same port; resolves when it is ready (an API: back in HAProxy). */
  restart(handle: ProcessHandle): Promise<void>;
  /** HAProxy's view of each API process (`UP`, `DOWN`…), by name. */
  states(): Promise<Map<string, string>>;
  /** Stops everything (SIGTERM, then SIGKILL) and removes the temporary folder. */
  stop(): Promise<void>;
}

// dist/main.js wherever this runs from: dist/ (the CLI), src/ (tests) or a benchmark build.
const DEFAULT_MAIN = join(PROJECT_ROOT, 'dist', 'main.js');

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!(Number.isInteger(options.api) && options.api >= 1)) throw new Error('api: at least one API process');
  if (!(Number.isInteger(options.workers) && options.workers >= 0)) throw new Error('workers: a whole number');
  const host = options.host ?? '127.0.0.1';
  const timeout = options.readyTimeoutMs ?? 90_000;
  const work = mkdtempSync(join(tmpdir(), 'dalaba-cluster-'));
  const configFile = join(work, 'haproxy.cfg');
  const base = { ...process.env, ...options.env };
  const node = (env: Record<string, string>) => ({
    command: process.execPath,
    args: [options.main ?? DEFAULT_MAIN],
    env: { ...base, ...env },
    onLine: options.onLine,
  });

  const specs = new Map<ProcessHandle, ProcessSpec>();
  const apis: ProcessHandle[] = [];
  const workers: ProcessHandle[] = [];
  const everything = () => [...apis, ...workers, ...(balancer ? [balancer] : [])];
  let balancer: ProcessHandle | undefined;
  // If this process ends without stop() (a test runner's forced exit), nothing it started outlives it.
  const killAll = () => {
    for (const handle of everything()) void signalProcess(handle, 'SIGKILL');
  };
  process.once('exit', killAll);

  const launch = (spec: ProcessSpec, handle?: ProcessHandle) => {
    const started = startProcess(spec, handle);
    specs.set(started, spec);
    return started;
  };
  const apiSpec = async (index: number): Promise<ProcessSpec> => {
    const port = await freePort();
    // The API believes X-Forwarded-For from HAProxy, which connects from this address.
    const env = { APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1', TRUSTED_PROXIES: '127.0.0.1' };
    // ICECAST_START: the first API process starts Icecast (on ICECAST_URL's port); the others send to it.
    if (index > 1) Object.assign(env, { ICECAST_START: 'false' });
    return { role: 'api', name: `api${index}`, port, ...node({ ...env, ...(await metricsPort()) }) };
  };
  const workerSpec = async (index: number): Promise<ProcessSpec> => {
    const port = await freePort();
    const env = { APP_ROLE: 'worker', WORKER_HEALTH_PORT: String(port), HOST: '127.0.0.1' };
    return { role: 'worker', name: `worker${index}`, port, ...node({ ...env, ...(await metricsPort()) }) };
  };
  // Each process its own metrics port, if metrics are on a port of their own at all.
  const metricsPort = async (): Promise<Record<string, string>> =>
    options.env.METRICS_PORT ? { METRICS_PORT: String(await freePort()) } : {};
  const ready = (handle: ProcessHandle) =>
    waitUntil(`${handle.name} to be ready`, () => isReady(handle), timeout, handle);

  let stats = '';
  const csv = async () => (await fetch(`${stats}/;csv`)).text();
  const states = async () => serverStates(await csv());
  // Up in both backends (each checks its servers itself): the devices' calls go to the `devices` one.
  const inBalancer = (handle: ProcessHandle) =>
    waitUntil(
      `HAProxy to send to ${handle.name}`,
      async () => {
        const now = await csv();
        return BACKENDS.every((backend) => serverStates(now, backend).get(handle.name) === 'UP') ? true : undefined;
      },
      timeout,
      balancer,
    );

  try {
    // Migrated here, once, before any process starts: each then finds the schema up to date and skips the engine's lock.
    await migrateFor(loadConfig(base));
    for (let i = 1; i <= options.api; i++) apis.push(launch(await apiSpec(i)));
    for (let i = 1; i <= options.workers; i++) workers.push(launch(await workerSpec(i)));
    await Promise.all([...apis, ...workers].map(ready));

    const port = options.port || (await freePort());
    const statsPort = await freePort();
    stats = `http://127.0.0.1:${statsPort}`;
    const config: BalancerOptions = {
      host,
      port,
      statsPort,
      servers: apis.map(({ name, port }) => ({ name, port })),
      balance: options.balance ?? 'leastconn',
      checkIntervalMs: options.checkIntervalMs ?? 1_000,
      maxConnections: options.maxConnections,
    };
    writeFileSync(configFile, haproxyConfig(config));
    balancer = launch({
      role: 'balancer',
      name: 'haproxy',
      port,
      command: 'haproxy',
      // -db: in the foreground, stopped by SIGTERM/SIGINT with this launcher.
      args: ['-db', '-f', configFile],
      env: base,
      onLine: options.onLine,
    });
    await Promise.all(apis.map(inBalancer));
  } catch (error) {
    await Promise.all(everything().map(stopProcess));
    process.off('exit', killAll);
    rmSync(work, { recursive: true, force: true });
    throw error;
  }

  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${balancer.port}`;
  await waitUntil(
    'a request through HAProxy',
    async () => ((await fetch(`${url}/health`)).ok ? true : undefined),
    timeout,
  );
  return {
    url,
    statsUrl: stats,
    configFile,
    apis,
    workers,
    balancer,
    kill: (handle, signal = 'SIGKILL') => signalProcess(handle, signal),
    async restart(handle) {
      await stopProcess(handle);
      launch(specs.get(handle)!, handle);
      await ready(handle);
      if (handle.role === 'api') await inBalancer(handle);
    },
    states,
    async stop() {
      // The balancer first, so no request reaches a process on its way out.
      if (balancer) await stopProcess(balancer);
      await Promise.all([...apis, ...workers].map(stopProcess));
      process.off('exit', killAll);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** An API process answers /health (200, or 503 while a dependency is down); a worker has said it started, or answers its own /health. */
async function isReady(handle: ProcessHandle): Promise<true | undefined> {
  if (handle.role === 'worker') {
    if (handle.output().includes('"worker started"')) return true;
  }
  const reply = await fetch(`http://127.0.0.1:${handle.port}/health`);
  await reply.arrayBuffer();
  return reply.status === 200 || reply.status === 503 ? true : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string', default: '2' },
      workers: { type: 'string', default: '1' },
      port: { type: 'string', default: '3000' },
      host: { type: 'string', default: '0.0.0.0' },
      balance: { type: 'string', default: 'leastconn' },
      'env-file': { type: 'string' },
    },
  });
  // As `npm start`: the file is read if present, and the real environment wins.
  const envFile = values['env-file'];
  if (envFile && existsSync(envFile)) process.loadEnvFile(envFile);
  if (values.balance !== 'leastconn' && values.balance !== 'roundrobin')
    throw new Error('--balance: leastconn or roundrobin');
  const cluster = await startCluster({
    api: Number(values.api),
    workers: Number(values.workers),
    port: Number(values.port),
    host: values.host,
    balance: values.balance,
    env: {},
    onLine: (name, line) => console.log(`${name.padEnd(8)} ${line}`),
  });
  const apis = cluster.apis.map((api) => `${api.name} :${api.port}`).join(', ');
  console.log(
    `Dalaba at ${cluster.url} (HAProxy, statistics at ${cluster.statsUrl}): ${apis}; ${cluster.workers.length} worker(s)`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
  // A process that dies is not restarted behind the operator's back: it is reported, and HAProxy sends its share elsewhere.
  for (const handle of [...cluster.apis, ...cluster.workers, cluster.balancer])
    void handle.exited.then((code) => !stopping && console.error(`${handle.name} exited (${code ?? 'killed'})`));
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
