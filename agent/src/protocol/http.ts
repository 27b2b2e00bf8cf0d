import type { Scheduler } from './scheduler';

/** Where a device's calls say what went wrong: the simulator's report, the agent's journal. */
export interface Log {
  log(who: string, message: string): void;
  error(who: string, message: string): void;
}

const FIRST_BACKOFF_MS = 500;
const LONGEST_BACKOFF_MS = 10_000;
const CALL_TIMEOUT_MS = 30_000;

/**
 * 0.5 s doubling to 10 s, each wait drawn from its upper half: after a server
 * restart thousands of devices would otherwise all come back in the same instant.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(LONGEST_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface CallOptions {
  who: string;
  token?: string;
  json?: unknown;
  headers?: Record<string, string>;
  /** Bounds one attempt, body included; a hung server counts as down. */
  timeoutMs?: number;
  /** Ends the retries; defaults to the run's signal. */
  signal?: AbortSignal;
}

/** Calls the server, outlasting restarts: connection errors and 5xx are retried until the signal ends the run. */
export class Http {
  constructor(
    readonly base: string,
    private readonly signal: AbortSignal,
    private readonly scheduler: Scheduler,
    private readonly report: Log,
  ) {}

  /** media.url may be relative to the server. */
  resolve(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.base).toString();
  }

  /**
   * Calls until the server answers below 500, then hands the answer to `read`
   * under the same time limit. What `read` throws is not retried: a body
   * that cannot be read is the caller's to judge.
   */
  async call<T>(
    method: string,
    path: string,
    options: CallOptions,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const signal = options.signal ?? this.signal;
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    for (let attempt = 0; ; attempt++) {
      const limit = linkedAbort(signal);
      const cancelTimeout = this.scheduler.after(options.timeoutMs ?? CALL_TIMEOUT_MS, () =>
        limit.controller.abort(new DOMException('no answer in time', 'TimeoutError')),
      );
      let failure: string;
      let answered = false;
      try {
        const response = await fetch(this.resolve(path), { method, headers, body, signal: limit.controller.signal });
        if (response.status < 500) {
          if (attempt > 0) this.report.log(options.who, `${method} ${path}: answered after ${attempt} retries`);
          answered = true;
          return await read(response);
        }
        failure = `HTTP ${response.status}`;
        await response.body?.cancel();
      } catch (error) {
        if (signal.aborted || answered) throw error;
        failure = describe(error);
      } finally {
        cancelTimeout();
        limit.release();
      }
      // One error per outage, not one per retry: the count stays readable.
      if (attempt === 0) this.report.error(options.who, `${method} ${path}: ${failure}; retrying`);
      await this.scheduler.sleep(backoffMs(attempt), signal);
    }
  }
}

/**
 * An AbortController that also aborts with `parent`, and lets go of it on
 * release(). Node 20's AbortSignal.any keeps every signal it made alive until
 * the parent aborts, which over a long run is a leak per call.
 */
export function linkedAbort(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  const follow = (): void => controller.abort(parent.reason);
  if (parent.aborted) follow();
  else parent.addEventListener('abort', follow, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', follow) };
}

/** fetch hides the useful part (ECONNREFUSED, a timeout) in the cause. Duck-typed: DOMException may come from another realm. */
export function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { name, message, cause } = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === 'TimeoutError') return 'timed out';
  // Whatever else was thrown is described as String() can.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return cause?.code ?? cause?.message ?? message ?? String(error);
}

/** The server's error body says why; fall back to the status line. */
export async function reason(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return `HTTP ${response.status}: ${body.message}`;
  } catch {
    // not JSON: a proxy's page, say
  }
  return `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}
