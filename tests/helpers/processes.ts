import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/cli/cluster-process';

export const MAIN = join(__dirname, '../../dist/main.js');

export { freePort };

export interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL (to its whole group when `detached`) if it has not exited within a few seconds. */
  stop(): Promise<void>;
  /** SIGKILL for the process and everything it started, as when a machine or container dies (needs `detached`). */
  killGroup(): Promise<void>;
}

export interface SpawnOptions {
  /** In its own process group, so that `killGroup` reaches its children too. */
  detached?: boolean;
  /**
   * A process started inside a test is stopped when that test ends, passed,
   * failed or timed out; `'file'` keeps it for the later tests of the file
   * (it is stopped when the file ends). One started in `beforeAll` always lives
   * until the file ends.
   */
  lifetime?: 'test' | 'file';
}

const STOP_GRACE_MS = 5_000;

/** Every child this test file started that may still be running, and whether it ends with the current test. */
const running = new Map<Spawned, { ofTest: boolean; kill: (signal: NodeJS.Signals) => void }>();
/** Between a test's beforeEach and afterEach hooks (jest's currentTestName is not cleared after a test). */
let inTest = false;

export function spawnProcess(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: SpawnOptions = {},
): Spawned {
  const child = spawn(command, args, {
    env: env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (options.detached) process.kill(-child.pid!, signal);
      else child.kill(signal);
    } catch {
      // gone already
    }
  };
  const spawned: Spawned = {
    child,
    output: () => output,
    exited,
    async stop() {
      if (!alive()) return;
      kill('SIGTERM');
      const forced = setTimeout(() => kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(forced);
    },
    async killGroup() {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
  running.set(spawned, { ofTest: inTest && options.lifetime !== 'file', kill });
  void exited.then(() => running.delete(spawned));
  return spawned;
}

async function stopRunning(onlyOfTest: boolean): Promise<void> {
  await Promise.all([...running].filter(([, { ofTest }]) => ofTest || !onlyOfTest).map(([spawned]) => spawned.stop()));
}

// jest's forceExit ends the worker without hooks: nothing started here outlives it.
const killAll = () => {
  for (const { kill } of running.values()) kill('SIGKILL');
};

// Registered by the helper itself, so that no test file can forget them and a
// test that times out (jest still runs the hooks) leaves no server behind.
if (typeof beforeEach === 'function') {
  beforeEach(() => {
    inTest = true;
  });
  afterEach(async () => {
    await stopRunning(true);
    inTest = false;
  });
  process.on('exit', killAll);
  afterAll(async () => {
    await stopRunning(false);
    process.off('exit', killAll);
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A Redis server of the test's own, which the test may kill (and start again on the same port). */
export async function startRedisServer(
  port?: number,
  lifetime?: SpawnOptions['lifetime'],
): Promise<{ url: string; port: number; kill(): Promise<void> }> {
  port ??= await freePort();
  const server = spawnProcess(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    process.env,
    { lifetime },
  );
  const { Redis } = await import('ioredis');
  await waitFor('redis-server', async () => {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG' ? true : undefined;
    } finally {
      client.disconnect();
    }
  });
  return { url: `redis://127.0.0.1:${port}`, port, kill: () => server.stop() };
}
