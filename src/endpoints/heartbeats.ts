import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { Endpoint } from '../generated/prisma/client';
import { beatFields, type BeatFields, flushedValues, steadyGapMs, writeAtOnce } from './domain/heartbeat-report';
import type { HeartbeatBody } from './endpoints.dto';
import { EndpointsRepository } from './endpoints.repository';
import { HeartbeatStore } from './heartbeat-store';

const WARN_EVERY_MS = 60_000;

/**
 * Where a heartbeat goes (docs/operations.md, "Heartbeats"): a steady beat
 * into Redis only, for the flush to write in a batch; a beat that is news
 * (first, after a gap, a changed state, volume or fault) to Postgres as
 * well, at once. While Redis is away every beat goes to Postgres.
 */
@Injectable()
export class Heartbeats {
  private readonly logger = new Logger('Heartbeats');
  private readonly maxGapMs: number;
  private warnedAt = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: HeartbeatStore,
    private readonly endpoints: EndpointsRepository,
  ) {
    this.maxGapMs = steadyGapMs(config.endpoints.onlineSeconds, config.operations.heartbeatFlushSeconds);
  }

  /** Records a beat; answers the id of a fault episode it opened, to be notified. */
  async record(endpointId: string, report: HeartbeatBody, now: Date): Promise<string | null> {
    const beat = beatFields(report, now);
    let previous: Partial<BeatFields> | null;
    try {
      previous = await this.store.swap(endpointId, beat);
    } catch (error) {
      this.redisAway(error as Error);
      this.store.wroteAround(endpointId);
      return this.endpoints.recordHeartbeat(endpointId, report, now);
    }
    if (!writeAtOnce(previous, beat, this.maxGapMs)) return null;
    try {
      return await this.endpoints.recordHeartbeat(endpointId, report, now);
    } catch (error) {
      // Redis holds the beat now: unless it is forgotten, the next one would look like no news and not be written.
      await this.store.forget(endpointId);
      throw error;
    }
  }

  /**
   * These endpoints as Postgres has them, with the last-seen time, free space
   * and clock offset of a beat not flushed yet (online is the same either way:
   * see steadyGapMs). Without Redis, as Postgres has them.
   */
  async fresh(endpoints: Endpoint[]): Promise<Endpoint[]> {
    const beats = await this.store.latest(endpoints.map((endpoint) => endpoint.id)).catch(() => []);
    return endpoints.map((endpoint, i) => {
      const beat = beats[i] && flushedValues(beats[i]);
      if (!beat || (endpoint.lastSeenAt && endpoint.lastSeenAt >= beat.seenAt)) return endpoint;
      const big = (value: number | null) => (value === null ? null : BigInt(value));
      return {
        ...endpoint,
        lastSeenAt: beat.seenAt,
        freeBytes: big(beat.freeBytes),
        clockOffsetMs: big(beat.clockOffsetMs),
      };
    });
  }

  /** A revoked or re-enrolled device starts afresh: its next beat is compared with Postgres, not with an old one. */
  forget(endpointId: string): Promise<void> {
    return this.store.forget(endpointId);
  }

  private redisAway(error: Error): void {
    if (Date.now() - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = Date.now();
    this.logger.warn(`heartbeats go to Postgres directly while Redis is unreachable: ${error.message}`);
  }
}
