import type { LoggerService } from '@nestjs/common';

/**
 * Work a process repeats on an interval and runs at once when asked (an
 * outbox's sweep, a check of what Postgres holds against what Redis lost):
 * never two runs at once (asked while one runs, it is left to the next), a
 * failure logged and left to the next run, and stop() waits for the run in
 * flight, so a shutdown does not cut one off half-way.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    /** What the work is, for the log line when it fails: "webhook outbox sweep". */
    private readonly what: string,
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly work: () => Promise<unknown>,
  ) {}

  /** Every `ms` from now, and once at once too when `immediately`. */
  start(ms: number, { immediately = false } = {}): void {
    if (immediately) this.run();
    this.timer = setInterval(() => this.run(), ms);
  }

  /** Runs now, unless a run is in flight. */
  run(): void {
    this.running ??= this.work()
      .catch((error: Error) => {
        this.logger.warn(`${this.what} failed (will retry): ${error.message}`);
      })
      .finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
