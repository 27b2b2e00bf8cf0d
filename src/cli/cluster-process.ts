import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** One process the launcher runs: an API process, a worker, or HAProxy. */
export interface ProcessHandle {
  role: 'api' | 'worker' | 'balancer';
  /** api1, api2…, worker1…; an API process's name is also its HAProxy server name (the X-Served-By header). */
  name: string;
  /** The API's HTTP port, a worker's health port (WORKER_HEALTH_PORT), HAProxy's public port. */
  port: number;
  /** The current child; replaced by a restart (the handle stays the same object). */
  child: ChildProcess;
  /** The current child's exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last 64 kB the current child wrote, stdout and stderr together. */
  output(): string;
  readonly alive: boolean;
}

const OUTPUT_KEPT = 64 * 1024;
export const STOP_GRACE_MS = 5_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ProcessSpec {
  role: ProcessHandle['role'];
  name: string;
  port: number;
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** Each complete line the child writes, as it writes it (the CLI prints them with the name in front). */
  onLine?: (name: string, line: string) => void;
}

/**
 * Starts the process in its own process group, so that a kill reaches what
 * it started too (ffmpeg, espeak-ng), as when a container or machine dies.
 */
export function startProcess(spec: ProcessSpec, handle?: ProcessHandle): ProcessHandle {
  const child = spawn(spec.command, spec.args, { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let partial = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
    if (!spec.onLine) return;
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) spec.onLine(spec.name, line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const target = handle ?? ({ role: spec.role, name: spec.name, port: spec.port } as ProcessHandle);
  Object.assign(target, { child, exited, output: () => output });
  if (!handle)
    Object.defineProperty(target, 'alive', {
      get: () => target.child.exitCode === null && target.child.signalCode === null,
    });
  return target;
}

/** Sends `signal` to the process and everything it started; resolves once it has exited. */
export async function signalProcess(handle: ProcessHandle, signal: NodeJS.Signals): Promise<void> {
  if (!handle.alive) return;
  try {
    process.kill(-handle.child.pid!, signal);
  } catch {
    // gone already
  }
  if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') await handle.exited;
}

/** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited within a few seconds. */
export async function stopProcess(handle: ProcessHandle): Promise<void> {
  if (!handle.alive) return;
  const forced = setTimeout(() => void signalProcess(handle, 'SIGKILL'), STOP_GRACE_MS);
  await signalProcess(handle, 'SIGTERM');
  clearTimeout(forced);
}

/** Polls `probe` until it returns a value; fails early, with the process's last output, if the process exits. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  watched?: ProcessHandle,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (watched && !watched.alive)
      throw new Error(`${watched.name} exited before ${what}:\n${watched.output().slice(-4000)}`);
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${watched ? `:\n${watched.output().slice(-4000)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
