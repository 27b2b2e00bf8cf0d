import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig, RateLimit } from '../config/config';
import { TooManyRequests } from '../http/error-body';
import { RedisConnections } from './redis-connections';

/** Counts hits per key in fixed windows: the count in the current window and the milliseconds it has left. */
interface WindowCounts {
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetsInMs: number }>;
}

/** In Redis, so every API process counts the same hits. */
class RedisWindowCounts implements WindowCounts {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, windowSeconds: number) {
    const [[, count], , [, ttl]] = (await this.redis
      .multi()
      .incr(key)
      .expire(key, windowSeconds, 'NX')
      .pttl(key)
      .exec()) as [[null, number], unknown, [null, number]];
    return { count, resetsInMs: ttl > 0 ? ttl : windowSeconds * 1000 };
  }
}

/** In this process only: what is left while Redis is unreachable. */
class LocalWindowCounts implements WindowCounts {
  private readonly windows = new Map<string, { count: number; until: number }>();

  async hit(key: string, windowSeconds: number) {
    const now = Date.now();
    // A flood of distinct keys (addresses) must not grow memory without end.
    if (this.windows.size >= 10_000)
      for (const [stale, { until }] of this.windows) if (until <= now) this.windows.delete(stale);
    const live = this.windows.get(key);
    const window = live && live.until > now ? live : { count: 0, until: now + windowSeconds * 1000 };
    window.count++;
    this.windows.set(key, window);
    return { count: window.count, resetsInMs: window.until - now };
  }
}

/**
 * A small fixed-window rate limiter for routes anyone may call: at most
 * `limit.max` hits per key in each `limit.windowSeconds`; the next one is a
 * 429 whose Retry-After says when the window ends. The counts live in Redis;
 * while Redis is unreachable each process counts on its own, so the routes
 * stay up and are still limited, per process.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly shared: WindowCounts;
  private readonly local = new LocalWindowCounts();
  private warnedAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    connections: RedisConnections,
  ) {
    // Fails fast while Redis is away instead of holding the request.
    this.shared = new RedisWindowCounts(connections.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0 }));
  }

  /** Counts one hit on `key`; throws 429 (with `message` and the wait) once it is over the limit. */
  async admit(key: string, limit: RateLimit, message: string): Promise<void> {
    const prefixed = `${this.config.queuePrefix}:rate:${key}`;
    let counted: { count: number; resetsInMs: number };
    try {
      counted = await this.shared.hit(prefixed, limit.windowSeconds);
    } catch {
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn('Redis is unreachable: rate limits are counted by each process on its own');
      }
      counted = await this.local.hit(prefixed, limit.windowSeconds);
    }
    if (counted.count <= limit.max) return;
    const seconds = Math.max(1, Math.ceil(counted.resetsInMs / 1000));
    throw new TooManyRequests(`${message}; try again in ${seconds} s`, seconds);
  }
}
