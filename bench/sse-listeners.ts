import { type ChildProcess, fork } from 'node:child_process';
import { type IncomingMessage, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SseParser } from 'dalaba-agent/protocol';
import { inParallel } from './bench-kit';

// Many devices' event streams, held open by a child process. In the server's
// process they would share its event loop: reading 10,000 streams would be
// counted as the server's delivery time. Each stream is one raw HTTP
// connection, as a loudspeaker has. Every stream notes when each event of the
// watched type first reached it, by the id in its data, from the moment it is
// connected, so an event that comes before the parent asks for it is not lost.

/** Wall-clock milliseconds, with a monotonic clock's resolution: comparable across processes. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Connections being set up at once: well inside the servers' accept queue (Node's default backlog is 511). */
const CONNECTING_AT_ONCE = 500;
/** Past this a stream that has not sent its `retry:` line counts as failed. */
const CONNECT_TIMEOUT_MS = 30_000;
/** Response headers that differ from one response to the next, or that Node writes on its own. */
const TRANSPORT_HEADERS = new Set(['date', 'transfer-encoding', 'content-length']);

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

type ToChild =
  { kind: 'open'; url: string; tokens: string[]; event: string } | { kind: 'collect'; id: string; timeoutMs: number };
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

/** Streams of the given devices to one URL, open and watching for one type of event. */
export class SseListeners {
  private constructor(
    private readonly child: ChildProcess,
    readonly opened: Opened,
  ) {}

  /** Connects every token's stream (answers once each has connected or failed). */
  static async open(url: string, tokens: string[], event: string): Promise<SseListeners> {
    const child = fork(__filename, { stdio: 'inherit' });
    try {
      const { opened } = await ask(child, { kind: 'open', url, tokens, event }, 'opened');
      return new SseListeners(child, opened);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  /** When the event with this id reached each stream: answers once every connected stream has it, or after the timeout. */
  async collect(id: string, timeoutMs: number): Promise<Arrivals> {
    return (await ask(this.child, { kind: 'collect', id, timeoutMs }, 'collected')).arrivals;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}

// The child's side.

interface Stream {
  /** Event id → when it first arrived on this stream. */
  seen: Map<string, number>;
  closed: boolean;
}

/** The collect under way: the id awaited and how many open streams still lack it. */
interface Collecting {
  id: string;
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

function arrived(stream: Stream, data: string, at: number): void {
  const id = idOf(data);
  if (id === undefined || stream.seen.has(id)) return;
  stream.seen.set(id, at);
  if (!firstData.has(id)) firstData.set(id, data);
  if (collecting?.id === id && --collecting.missing === 0) collecting.done();
}

function dropped(stream: Stream): void {
  stream.closed = true;
  // It will never have the event now: stop waiting for it.
  if (collecting && !stream.seen.has(collecting.id) && --collecting.missing === 0) collecting.done();
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

async function open({ url, tokens, event }: Extract<ToChild, { kind: 'open' }>): Promise<Opened> {
  const start = wallClock();
  streams = tokens.map(() => undefined);
  const failures: Record<string, number> = {};
  let first: { response: IncomingMessage; retryMs: number } | undefined;
  await inParallel(
    tokens.map((token, index) => ({ token, index })),
    CONNECTING_AT_ONCE,
    async ({ token, index }) => {
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

async function collect({ id, timeoutMs }: Extract<ToChild, { kind: 'collect' }>): Promise<Arrivals> {
  const live = streams.filter((stream): stream is Stream => stream !== undefined && !stream.closed);
  const missing = live.filter((stream) => !stream.seen.has(id)).length;
  if (missing > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      collecting = {
        id,
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
    at: streams.map((stream) => stream?.seen.get(id) ?? null),
    dropped: streams.filter((stream) => stream?.closed).length,
    data: firstData.get(id) ?? null,
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
