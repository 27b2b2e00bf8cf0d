import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SseParser } from 'dalaba-agent/protocol';
import { inParallel } from './bench-kit';

// Many devices' event streams, held open by child processes. In the server's
// process they would share its event loop: reading 10,000 streams would be
// counted as the server's delivery time. Each stream is one raw HTTP
// connection, as a loudspeaker has. Every stream notes when each event of the
// watched type first reached it, by the id in its data, from the moment it is
// connected, so an event that comes before the parent asks for it is not lost.
// Streams can be spread over several URLs (device i to URL i mod n: several
// servers, each its share), and over several listener processes when one
// process may not hold them all (a process may open only `ulimit -n` files).

/** Wall-clock milliseconds, with a monotonic clock's resolution: comparable across processes. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** The soft limit on open files of this process (children inherit it); undefined where /proc is not there. */
export function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+|unlimited)/m);
    return line && line[1] !== 'unlimited' ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Connections being set up at once, by all listener processes together: well inside the servers' accept queue (Node's default backlog is 511). */
const CONNECTING_AT_ONCE = 500;
/** Past this a stream that has not sent its `retry:` line counts as failed. */
const CONNECT_TIMEOUT_MS = 30_000;
/** Response headers that differ from one response to the next, or that Node writes on its own. */
const TRANSPORT_HEADERS = new Set(['date', 'transfer-encoding', 'content-length']);
/** Files a listener process needs besides its streams. */
const SPARE_FILES = 200;
/** Streams a listener process holds at most: within its open-files limit, and no more than one core's worth. */
const STREAMS_PER_PROCESS = Math.min(15_000, (openFilesLimit() ?? 65_536) - SPARE_FILES);

export interface Opened {
  connected: number;
  /** How long connecting them all took. */
  ms: number;
  /** Why the others did not connect: a reason (HTTP status or error code) and how many. */
  failures: Record<string, number>;
  /** What the first stream to connect was answered with, less the transport's own headers. */
  headers: Record<string, string>;
  retryMs: number;
}

export interface Arrivals {
  /** Per token, when (wall clock, ms) its stream first had the event; null when it never did. */
  at: Array<number | null>;
  /** Streams the server closed after they had connected. */
  dropped: number;
  /** The event's data, as the first stream to have it received it. */
  data: string | null;
}

interface Target {
  url: string;
  token: string;
}
type ToChild =
  | { kind: 'open'; targets: Target[]; event: string; atOnce: number }
  | { kind: 'collect'; ids: string[]; timeoutMs: number };
type FromChild = { kind: 'opened'; opened: Opened } | { kind: 'collected'; arrivals: Arrivals };

/** Sends a message to the child and waits for its answer of the given kind. */
function ask<K extends FromChild['kind']>(
  child: ChildProcess,
  message: ToChild,
  kind: K,
): Promise<Extract<FromChild, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: FromChild) => {
      if (answer.kind !== kind) return;
      stop();
      resolve(answer as Extract<FromChild, { kind: K }>);
    };
    const onExit = (code: number | null, signal: string | null) => {
      stop();
      reject(
        new Error(`the SSE listener process exited (${signal ?? `code ${code}`}) before it answered ${message.kind}`),
      );
    };
    const stop = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

/** What several listener processes opened, as one. */
function together(all: Opened[]): Opened {
  const failures: Record<string, number> = {};
  for (const { failures: some } of all)
    for (const [reason, count] of Object.entries(some)) failures[reason] = (failures[reason] ?? 0) + count;
  const first = all.find((opened) => opened.connected > 0) ?? all[0];
  return {
    connected: all.reduce((sum, opened) => sum + opened.connected, 0),
    ms: Math.max(...all.map((opened) => opened.ms)),
    failures,
    headers: first.headers,
    retryMs: first.retryMs,
  };
}

/** Streams of the given devices, open and watching for one type of event; device i's goes to urls[i mod urls.length]. */
export class SseListeners {
  private constructor(
    private readonly children: ChildProcess[],
    readonly opened: Opened,
  ) {}

  /** Connects every token's stream (answers once each has connected or failed). */
  static async open(urls: string | string[], tokens: string[], event: string): Promise<SseListeners> {
    const targets = [urls].flat();
    const shares: Target[][] = [];
    for (let start = 0; start < tokens.length; start += STREAMS_PER_PROCESS)
      shares.push(
        tokens
          .slice(start, start + STREAMS_PER_PROCESS)
          .map((token, index) => ({ url: targets[(start + index) % targets.length], token })),
      );
    const children = shares.map(() => fork(__filename, { stdio: 'inherit' }));
    try {
      const atOnce = Math.ceil(CONNECTING_AT_ONCE / shares.length);
      const opened = await Promise.all(
        shares.map((share, index) => ask(children[index], { kind: 'open', targets: share, event, atOnce }, 'opened')),
      );
      return new SseListeners(children, together(opened.map((answer) => answer.opened)));
    } catch (error) {
      await Promise.all(children.map(stopChild));
      throw error;
    }
  }

  /**
   * When the event with this id (or the first of these ids: one alert per
   * county, each device its own county's) reached each stream: answers once
   * every connected stream has it, or after the timeout.
   */
  async collect(ids: string | string[], timeoutMs: number): Promise<Arrivals> {
    const message: ToChild = { kind: 'collect', ids: [ids].flat(), timeoutMs };
    const all = await Promise.all(
      this.children.map(async (child) => (await ask(child, message, 'collected')).arrivals),
    );
    return {
      at: all.flatMap((arrivals) => arrivals.at),
      dropped: all.reduce((sum, arrivals) => sum + arrivals.dropped, 0),
      data: all.find((arrivals) => arrivals.data !== null)?.data ?? null,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map(stopChild));
  }
}

// The child's side.

interface Stream {
  /** Event id → when it first arrived on this stream. */
  seen: Map<string, number>;
  closed: boolean;
}

/** The collect under way: the ids awaited (any one will do) and how many open streams still lack one. */
interface Collecting {
  ids: Set<string>;
  missing: number;
  done: () => void;
}

/** Per token, once its stream has connected. */
let streams: Array<Stream | undefined> = [];
/** Event id → its data as first received. */
const firstData = new Map<string, string>();
let collecting: Collecting | undefined;

function idOf(data: string): string | undefined {
  try {
    const id = (JSON.parse(data) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** When the stream first had any of the ids; null when it had none. */
function firstOf(stream: Stream | undefined, ids: Iterable<string>): number | null {
  let first: number | null = null;
  for (const id of ids) {
    const at = stream?.seen.get(id);
    if (at !== undefined && (first === null || at < first)) first = at;
  }
  return first;
}

function arrived(stream: Stream, data: string, at: number): void {
  const id = idOf(data);
  if (id === undefined || stream.seen.has(id)) return;
  // Counted on the first of the awaited ids to reach this stream.
  const first = collecting?.ids.has(id) === true && firstOf(stream, collecting.ids) === null;
  stream.seen.set(id, at);
  if (!firstData.has(id)) firstData.set(id, data);
  if (first && --collecting!.missing === 0) collecting!.done();
}

function dropped(stream: Stream): void {
  stream.closed = true;
  // It will never have the event now: stop waiting for it.
  if (collecting && firstOf(stream, collecting.ids) === null && --collecting.missing === 0) collecting.done();
}

/** One device's stream: resolves with its response once the `retry:` line is in, rejects with why it failed. */
function connect(
  url: string,
  token: string,
  event: string,
  index: number,
): Promise<{ response: IncomingMessage; retryMs: number }> {
  return new Promise((resolve, reject) => {
    // No agent: a socket of its own, as every loudspeaker has.
    const call = request(url, {
      agent: false,
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    const timer = setTimeout(
      () => call.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })),
      CONNECT_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    call.on('error', fail);
    call.once('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        call.destroy();
        return fail(Object.assign(new Error(`HTTP ${response.statusCode}`), { code: `HTTP ${response.statusCode}` }));
      }
      const parser = new SseParser();
      const stream: Stream = { seen: new Map(), closed: false };
      response.setEncoding('utf8');
      // A reset after the response began: its 'close' below counts the stream as dropped.
      response.on('error', () => undefined);
      response.on('data', (chunk: string) => {
        // Taken before parsing: the chunk is here, whatever the parser costs.
        const at = wallClock();
        for (const received of parser.feed(chunk)) if (received.type === event) arrived(stream, received.data, at);
        if (streams[index] === undefined && parser.retryMs !== undefined) {
          clearTimeout(timer);
          streams[index] = stream;
          resolve({ response, retryMs: parser.retryMs });
        }
      });
      response.once('close', () => {
        if (streams[index] === stream) dropped(stream);
        else fail(Object.assign(new Error('closed before the retry line'), { code: 'closed before the retry line' }));
      });
    });
    call.end();
  });
}

async function open({ targets, event, atOnce }: Extract<ToChild, { kind: 'open' }>): Promise<Opened> {
  const start = wallClock();
  streams = targets.map(() => undefined);
  const failures: Record<string, number> = {};
  let first: { response: IncomingMessage; retryMs: number } | undefined;
  await inParallel(
    targets.map((target, index) => ({ ...target, index })),
    atOnce,
    async ({ url, token, index }) => {
      try {
        const connected = await connect(url, token, event, index);
        first ??= connected;
      } catch (error) {
        const reason = String((error as { code?: string }).code ?? (error as Error).message);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    },
  );
  const headers = Object.fromEntries(
    Object.entries(first?.response.headers ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !TRANSPORT_HEADERS.has(entry[0]),
    ),
  );
  return {
    connected: streams.filter(Boolean).length,
    ms: wallClock() - start,
    failures,
    headers,
    retryMs: first?.retryMs ?? 0,
  };
}

async function collect({ ids, timeoutMs }: Extract<ToChild, { kind: 'collect' }>): Promise<Arrivals> {
  const live = streams.filter((stream): stream is Stream => stream !== undefined && !stream.closed);
  const missing = live.filter((stream) => firstOf(stream, ids) === null).length;
  if (missing > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      collecting = {
        ids: new Set(ids),
        missing,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
    collecting = undefined;
  }
  return {
    at: streams.map((stream) => firstOf(stream, ids)),
    dropped: streams.filter((stream) => stream?.closed).length,
    data: ids.map((id) => firstData.get(id)).find((data) => data !== undefined) ?? null,
  };
}

if (require.main === module) {
  // Without its parent there is nobody to report to: go, and let the streams close.
  process.once('disconnect', () => process.exit(0));
  process.on('message', (message: ToChild) => {
    const answer: Promise<FromChild> =
      message.kind === 'open'
        ? open(message).then((opened) => ({ kind: 'opened', opened }))
        : collect(message).then((arrivals) => ({ kind: 'collected', arrivals }));
    answer.then(
      (reply) => process.send!(reply),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
