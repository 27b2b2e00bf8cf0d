import type { LoggerService } from '@nestjs/common';

/**
 * Work a process repeats on an interval and runs at once when asked (an
 * outbox's sweep, a check of what Postgres holds against what Redis lost):
 * never two runs at once, a failure logged and left to the next run, and
 * stop() waits for the run in flight, so a shutdown does not cut one off
 * half-way.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private askedWhileRunning = false;
  private stopped = false;

  constructor(
    /** What the work is, for the log line when it fails: "webhook outbox sweep". */
    private readonly what: string,
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly work: () => Promise<unknown>,
  ) {}

  /** Every `ms` from now (a tick that finds a run in flight lets it be), and once at once too when `immediately`. */
  start(ms: number, { immediately = false } = {}): void {
    if (immediately) this.run();
    this.timer = setInterval(() => {
      if (!this.running) this.run();
    }, ms);
  }

  /**
   * Runs now. Asked while a run is in flight, runs again right after it:
   * that run may have read what it works on before the change that asked
   * (an approval just committed) was there to read.
   */
  run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.askedWhileRunning = true;
      return;
    }
    this.askedWhileRunning = false;
    this.running = this.work()
      .catch((error: Error) => {
        this.logger.warn(`${this.what} failed (will retry): ${error.message}`);
      })
      .finally(() => {
        this.running = undefined;
        if (this.askedWhileRunning) this.run();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
