import { TooManyRequests } from '../infra/http/error-body';

/**
 * Bounds the password hashes (argon2id: 64 MiB and tens of milliseconds of a
 * core each) running at once. They run on libuv's thread pool, which file
 * reads share: with too many in flight, media downloads wait behind them. A
 * few wait their turn; beyond that the caller gets 429 at once, before any
 * work, so a flood of sign-ins costs the server nearly nothing.
 */
export class HashingSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue)
        throw new TooManyRequests('Too many passwords are being checked right now; try again in a moment', 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
