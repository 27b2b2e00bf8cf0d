import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { TooManyRequests } from '../http/error-body';
import { RedisConnections } from './redis-connections';

/** At most `limit` requests per `windowSeconds` under one key. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Counters in Redis, shared by every API process, for routes anyone may call
 * (a fixed window per key: the first request starts it). While Redis is
 * unreachable the routes stay open, unlimited: what they guard is an
 * annoyance (a flood of registrations), not a secret, and Postgres still
 * refuses what its rules refuse.
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger('RateLimits');
  private readonly redis: Redis;
  private warnedAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    connections: RedisConnections,
  ) {
    // Fails fast while Redis is away instead of holding the request.
    this.redis = connections.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  }

  /** Counts one request under the key; 429 (with Retry-After) once the window holds more than the limit. */
  async take(key: string, rule: RateLimit, message: string): Promise<void> {
    const counter = `${this.config.queuePrefix}:rate:${key}`;
    let count: number;
    let ttlMs: number;
    try {
      const replies = (await this.redis
        .multi()
        .incr(counter)
        .expire(counter, rule.windowSeconds, 'NX')
        .pttl(counter)
        .exec()) as Array<[Error | null, number]>;
      [[, count], , [, ttlMs]] = replies;
    } catch {
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn('Redis is unreachable: public routes are not rate-limited until it is back');
      }
      return;
    }
    if (count > rule.limit) {
      const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
      throw new TooManyRequests(`${message}; try again in ${seconds} s`, seconds);
    }
  }
}
