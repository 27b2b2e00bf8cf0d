import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Client } from 'pg';
import { type Arrivals, type Opened, SseListeners, wallClock } from './sse-listeners';

// One event pushed to many devices' streams, timed per device, for the app
// and for the least an SSE server can do: shared by bench:emergency (one
// process of each) and bench:province (several of each).

export const EVENTS_ROUTE = '/api/v1/device/events';
export const EMERGENCY_EVENT = 'emergency';
// The activation job normally finishes within seconds; past this something is broken.
const WAIT_MS = 120_000;

/** One server's delivery of one event to every stream. */
export interface Series {
  label: string;
  opened: Opened;
  arrivals: Arrivals;
  /** The approve request's response time, or the broadcast call's. */
  triggerMs: number;
  t0: number;
}

/** Nearest rank: the smallest value with at least `fraction` of all at or below it. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

export const ms = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(0));

export function figures(series: Series) {
  const latencies = series.arrivals.at.filter((at): at is number => at !== null).map((at) => at - series.t0);
  latencies.sort((a, b) => a - b);
  const received = latencies.length;
  return {
    received,
    missed: series.arrivals.at.length - received,
    first: received ? latencies[0] : NaN,
    p50: received ? percentile(latencies, 0.5) : NaN,
    p99: received ? percentile(latencies, 0.99) : NaN,
    max: received ? latencies[received - 1] : NaN,
  };
}

/** Connects the streams (device i to urls[i mod n]), fires the event (any of the ids), and collects when each stream had it. */
export async function measure(
  label: string,
  urls: string | string[],
  tokens: string[],
  id: string | string[],
  timeoutMs: number,
  trigger: () => Promise<void> | void,
): Promise<Series> {
  const listeners = await SseListeners.open(urls, tokens, EMERGENCY_EVENT);
  try {
    const collected = listeners.collect(id, timeoutMs);
    // Should the trigger fail, closing the listeners rejects this too: the trigger's error is the one to report.
    collected.catch(() => undefined);
    const t0 = wallClock();
    await trigger();
    const triggerMs = wallClock() - t0;
    return { label, opened: listeners.opened, arrivals: await collected, triggerMs, t0 };
  } finally {
    await listeners.close();
  }
}

/** The least an SSE server can do: answer with the app's headers and retry line, and write one frame to every open stream. */
export async function bareSseServer(headers: OutgoingHttpHeaders, retryMs: number) {
  const open = new Set<ServerResponse>();
  const server = createServer((_request, response) => {
    response.writeHead(200, headers);
    response.write(`retry: ${retryMs}\n\n`);
    open.add(response);
    response.once('close', () => open.delete(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}${EVENTS_ROUTE}`,
    broadcast: (frame: string) => {
      for (const response of open) response.write(frame);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type ToBare = { kind: 'start'; headers: OutgoingHttpHeaders; retryMs: number } | { kind: 'broadcast'; frame: string };

/**
 * As many bare SSE servers as the app has API processes, each a process of
 * its own: a broadcast is one message to each, as the app's is one Redis
 * message to each API process.
 */
export async function bareSseProcesses(count: number, headers: OutgoingHttpHeaders, retryMs: number) {
  const children: ChildProcess[] = [];
  const close = () =>
    Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }),
    );
  try {
    const urls = await Promise.all(
      Array.from({ length: count }, () => {
        const child = fork(__filename, { stdio: 'inherit' });
        children.push(child);
        return new Promise<string>((resolve, reject) => {
          child.once('message', (url: string) => resolve(url));
          child.once('exit', (code) => reject(new Error(`a bare SSE server exited with code ${code}`)));
          child.send({ kind: 'start', headers, retryMs } satisfies ToBare);
        });
      }),
    );
    return {
      urls,
      broadcast: (frame: string) => {
        for (const child of children) child.send({ kind: 'broadcast', frame } satisfies ToBare);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Waits for the rest of what an approval set off (the playlists recompiled
 * after the push, the pushes being recorded), so that it does not weigh on
 * the bare server's turn; answers when the (last) push part and the (last)
 * recompile of the activations were done.
 */
export async function activationDone(
  db: Client,
  ids: string | string[],
  pushes: number,
): Promise<{ pushedAt: number; doneAt: number }> {
  const all = [ids].flat();
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const { rows } = await db.query<{ done: number; pushed: Date | null; last: Date | null; pushes: number }>(
      `SELECT (SELECT count(done_at)::int FROM emergency_dispatch WHERE emergency_id = ANY($1::uuid[]) AND action = 'activate') AS done,
              (SELECT max(pushed_at) FROM emergency_dispatch WHERE emergency_id = ANY($1::uuid[]) AND action = 'activate') AS pushed,
              (SELECT max(done_at) FROM emergency_dispatch WHERE emergency_id = ANY($1::uuid[]) AND action = 'activate') AS last,
              (SELECT count(*)::int FROM emergency_push WHERE emergency_id = ANY($1::uuid[])) AS pushes`,
      [all],
    );
    const [{ done, pushed, last, pushes: recorded }] = rows;
    if (done === all.length && last && recorded >= pushes)
      return { pushedAt: (pushed ?? last).getTime(), doneAt: last.getTime() };
    if (Date.now() > deadline)
      throw new Error(
        `gave up waiting for the activation of ${all.join(', ')} to finish (${done} of ${all.length} done, ${recorded} of ${pushes} pushes recorded)`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Figures = ReturnType<typeof figures>;

const COLUMNS: Array<[string, (series: Series, run: Figures) => string]> = [
  ['connected', (series) => String(series.opened.connected)],
  ['connect s', (series) => (series.opened.ms / 1000).toFixed(1)],
  ['received', (_, run) => String(run.received)],
  ['missed', (_, run) => String(run.missed)],
  ['first ms', (_, run) => ms(run.first)],
  ['p50 ms', (_, run) => ms(run.p50)],
  ['p99 ms', (_, run) => ms(run.p99)],
  ['max ms', (_, run) => ms(run.max)],
  ['trigger ms', (series) => ms(series.triggerMs)],
];

export function report(all: Series[]): void {
  console.log(`  ${'server'.padEnd(6)}${COLUMNS.map(([title]) => title.padStart(12)).join('')}`);
  for (const series of all) {
    const run = figures(series);
    console.log(`  ${series.label.padEnd(6)}${COLUMNS.map(([, value]) => value(series, run).padStart(12)).join('')}`);
    const failures = Object.entries(series.opened.failures).map(([reason, count]) => `${reason} × ${count}`);
    if (failures.length) console.log(`    ${series.label}: failed to connect: ${failures.join(', ')}`);
    if (series.arrivals.dropped)
      console.log(`    ${series.label}: ${series.arrivals.dropped} streams closed by the server`);
  }
  console.log(
    "  (connect s: connecting every stream; latency from just before the trigger to the event's arrival, first: the earliest device's;",
  );
  console.log("   trigger: the approve request's response time, or the broadcast call's)");
}

if (require.main === module) {
  // A bare server's process: started, then told what to broadcast; gone with its parent.
  process.once('disconnect', () => process.exit(0));
  let broadcast: ((frame: string) => void) | undefined;
  process.on('message', (message: ToBare) => {
    if (message.kind === 'broadcast') return broadcast?.(message.frame);
    bareSseServer(message.headers, message.retryMs).then(
      (server) => {
        broadcast = server.broadcast;
        process.send!(server.url);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
