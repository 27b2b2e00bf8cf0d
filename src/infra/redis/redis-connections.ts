import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { connectionFailure } from '../startup/reachability';
import { createRedis, describeRedis } from './redis-url';

// Reconnect attempts back off to one every few seconds while Redis is away.
const RETRY_STEP_MS = 500;
const RETRY_MAX_MS = 5_000;

/**
 * Redis connections of the process. `shared` serves BullMQ producers and the
 * application; it retries forever, as BullMQ requires. Health checks use
 * `probe`, which fails fast instead of queueing commands while Redis is away.
 */
@Injectable()
export class RedisConnections implements OnModuleDestroy {
  readonly shared: Redis;
  readonly probe: Redis;
  private readonly opened: Redis[] = [];
  private readonly logger = new Logger('Redis');
  private down = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.shared = this.connect({ maxRetriesPerRequest: null });
    this.probe = this.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  }

  /** A new connection, for BullMQ workers that need one of their own. */
  connect(
    options: { maxRetriesPerRequest?: number | null; enableOfflineQueue?: boolean } = { maxRetriesPerRequest: null },
  ): Redis {
    const redis = createRedis(this.config.redisUrl, {
      lazyConnect: false,
      retryStrategy: (attempt) => Math.min(attempt * RETRY_STEP_MS, RETRY_MAX_MS),
      ...options,
    });
    // ioredis reconnects by itself; without a listener an outage would crash the process.
    redis.on('error', (error) => this.reportError(error));
    redis.on('ready', () => this.reportReady());
    this.opened.push(redis);
    return redis;
  }

  /**
   * Every connection (and every BullMQ queue and worker over them) fails at
   * each reconnect attempt while Redis is away: the first failure of an
   * outage is logged, the rest are the same news. Other errors are logged.
   */
  reportError(error: Error, source?: string): void {
    if (this.down) return;
    if (isConnectionFailure(error)) {
      this.down = true;
      this.logger.warn(`lost ${describeRedis(this.config.redisUrl)}: ${connectionFailure(error)}; reconnecting`);
    } else {
      this.logger.error(source ? `${source}: ${error.message}` : error.message);
    }
  }

  private reportReady(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log(`${describeRedis(this.config.redisUrl)} is back`);
  }

  /** Runs after the queues and workers that use these connections have closed. */
  async onModuleDestroy(): Promise<void> {
    for (const redis of this.opened) redis.disconnect();
  }
}

function isConnectionFailure(error: Error): boolean {
  const { code } = error as { code?: string };
  return (
    (code !== undefined && /^E[A-Z]+$/.test(code)) ||
    /connection is closed|connect ETIMEDOUT|socket/i.test(error.message)
  );
}
