import { type ChildProcess, spawn } from 'node:child_process';
import type { IcecastSource } from '../infra/icecast/icecast';
import type { Tool } from '../media/tools/locate-tools';
import { type Encoding, fallbackAfter, type FeedInput, feedArguments } from './domain/relay-plan';

// Icecast drops a source that sends nothing for 10 s (its source timeout), so
// a stalled input is replaced well before: an input that has sent nothing for
// STALL_MS (STARTUP_MS for a new one, which has to connect and probe first).
const STALL_MS = 4_000;
const STARTUP_MS = 8_000;
const WATCH_MS = 500;
// ffmpeg's own read timeout on the outside source, in seconds.
const READ_TIMEOUT_SECONDS = 3;

export interface FeedSettings {
  ffmpeg: Tool;
  encoding: Encoding;
  /** null: the source may not be pulled (its address turned private), the fallback airs from the start. */
  sourceUrl: string | null;
  fillerFile?: string;
  /** When the feed ends (ms since the epoch): the airing's last end. */
  until: number;
  /** Told when an input gives out and the next one takes over the mount. */
  onSwitch(from: FeedInput['kind'], to: FeedInput['kind'], reason: string): void;
}

/**
 * Feeds one Icecast source connection until `until`, or until `signal`
 * aborts: the outside stream re-encoded by ffmpeg, and when it fails (exits,
 * or stalls) the filler file looped, then silence, on the same connection.
 * Rejects when Icecast is lost or every input failed, for the job to retry.
 */
export async function feedRelay(
  source: IcecastSource,
  settings: FeedSettings,
  signal: AbortSignal,
): Promise<'ended' | 'aborted'> {
  await source.accepted;
  if (signal.aborted) {
    source.end();
    return 'aborted';
  }
  let input: FeedInput = settings.sourceUrl
    ? { kind: 'source', url: settings.sourceUrl }
    : fallbackAfter('source', settings.fillerFile)!;
  let child: ChildProcess | undefined;
  let startedAt = 0;
  let lastByteAt = 0;
  let exited: string | null = null;

  const start = (next: FeedInput) => {
    input = next;
    startedAt = Date.now();
    lastByteAt = 0;
    exited = null;
    const spawned = spawn(
      settings.ffmpeg.command,
      [...settings.ffmpeg.prefixArgs, ...feedArguments(next, settings.encoding, READ_TIMEOUT_SECONDS)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = spawned;
    let stderr = '';
    spawned.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-500)));
    spawned.stdout.on('data', (chunk: Buffer) => {
      // Bytes still buffered from an input already replaced are dropped.
      if (child !== spawned) return;
      lastByteAt = Date.now();
      source.write(chunk);
    });
    const ended = (why: string) => {
      if (child === spawned && exited === null) exited = stderr.trim().split('\n').at(-1) || why;
    };
    spawned.on('error', (error) => ended(error.message));
    spawned.on('exit', (code, sig) => ended(`ffmpeg exited (${sig ?? `code ${code}`})`));
  };
  const stop = () => {
    const running = child;
    child = undefined;
    running?.kill('SIGKILL');
  };

  start(input);
  try {
    return await new Promise<'ended' | 'aborted'>((resolve, reject) => {
      const finish = (outcome: 'ended' | 'aborted' | Error) => {
        clearInterval(watch);
        clearTimeout(end);
        signal.removeEventListener('abort', onAbort);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      signal.addEventListener('abort', onAbort);
      const end = setTimeout(() => finish('ended'), Math.max(0, settings.until - Date.now()));
      void source.closed.then(({ lost }) => finish(new Error(`Icecast connection lost: ${lost ?? 'closed'}`)));
      const watch = setInterval(() => {
        const now = Date.now();
        const silentFor = lastByteAt ? now - lastByteAt : now - startedAt;
        const reason =
          exited ??
          (silentFor > (lastByteAt ? STALL_MS : STARTUP_MS) ? `no audio for ${Math.round(silentFor / 1000)} s` : null);
        if (!reason) return;
        const next = fallbackAfter(input.kind, settings.fillerFile);
        const failed = input.kind;
        stop();
        if (!next) return finish(new Error(`every input of the relay failed (last: ${reason})`));
        settings.onSwitch(failed, next.kind, reason);
        start(next);
      }, WATCH_MS);
    });
  } finally {
    stop();
    source.end();
  }
}
