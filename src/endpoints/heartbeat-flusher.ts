import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { flushedValues } from './domain/heartbeat-report';
import { EndpointsRepository } from './endpoints.repository';
import { HeartbeatStore } from './heartbeat-store';

/** Endpoints per UPDATE: 100,000 endpoints are 20 statements; one statement's arrays stay well under a megabyte. */
export const FLUSH_BATCH = 5_000;

export interface FlushOutcome {
  /** Endpoints whose beats were written (an entry that expired is skipped), and in how many statements. */
  beats: number;
  statements: number;
  /** Another process held the flush lock: it is flushing these beats. */
  busy: boolean;
}

/**
 * Writes the beats kept in Redis to Postgres every HEARTBEAT_FLUSH_SECONDS
 * and when the process stops. Every API process runs it; a lock in Redis
 * lets one flush at a time, and what a flusher that died left in the
 * flushing set is taken up by the next one once its lease ran out.
 */
@Injectable()
export class HeartbeatFlusher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('HeartbeatFlusher');
  private timer?: NodeJS.Timeout;
  private running?: Promise<FlushOutcome>;
  private readonly leaseMs: number;
  /** Since start, for metrics: flushes that wrote something, beats written, statements run. */
  readonly totals = { flushes: 0, beats: 0, statements: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: HeartbeatStore,
    private readonly endpoints: EndpointsRepository,
  ) {
    // Renewed after each batch: long enough for one batch, short enough that a dead flusher's beats wait little.
    this.leaseMs = Math.max(5_000, 2_000 * config.operations.heartbeatFlushSeconds);
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.timer = setInterval(
      () => void this.flush().catch((error: Error) => this.logger.warn(`flush failed (will retry): ${error.message}`)),
      this.config.operations.heartbeatFlushSeconds * 1000,
    );
  }

  /** Before Redis and Postgres close (global modules are destroyed last): what this process holds is written. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    if (this.config.role === 'worker') return;
    await this.flush().catch((error: Error) => this.logger.warn(`last flush failed: ${error.message}`));
  }

  /** Flushes now (or joins the flush under way in this process). */
  flush(): Promise<FlushOutcome> {
    this.running ??= this.flushAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async flushAll(): Promise<FlushOutcome> {
    const started = Date.now();
    const token = randomUUID();
    const pending = await this.store.claim(token, this.leaseMs);
    if (pending === null) return { beats: 0, statements: 0, busy: true };
    const outcome = { beats: 0, statements: 0, busy: false };
    try {
      for (;;) {
        const batch = await this.store.nextBatch(FLUSH_BATCH);
        if (!batch.length) break;
        const beats = batch.flatMap(({ endpointId, beat }) => {
          const values = flushedValues(beat);
          return values ? [{ endpointId, ...values }] : [];
        });
        if (beats.length) {
          await this.endpoints.flushHeartbeats(beats);
          outcome.statements++;
          outcome.beats += beats.length;
        }
        await this.store.flushed(
          batch.map((entry) => entry.endpointId),
          token,
          this.leaseMs,
        );
      }
    } finally {
      await this.store.release(token);
    }
    if (outcome.statements) {
      this.totals.flushes++;
      this.totals.beats += outcome.beats;
      this.totals.statements += outcome.statements;
      this.logger.log(
        `heartbeats flushed: ${outcome.beats} beats, ${outcome.statements} statements, ${Date.now() - started} ms`,
      );
    }
    return outcome;
  }
}
