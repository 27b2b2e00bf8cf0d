import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';

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

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.shared = this.connect({ maxRetriesPerRequest: null });
    this.probe = this.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  }

  /** A new connection, for BullMQ workers that need one of their own. */
  connect(options: { maxRetriesPerRequest?: number | null; enableOfflineQueue?: boolean } = { maxRetriesPerRequest: null }): Redis {
    const redis = new Redis(this.config.redisUrl, { lazyConnect: false, ...options });
    // ioredis reconnects by itself; without a listener an outage would crash the process.
    redis.on('error', () => undefined);
    this.opened.push(redis);
    return redis;
  }

  /** Runs after the queues and workers that use these connections have closed. */
  async onModuleDestroy(): Promise<void> {
    for (const redis of this.opened) redis.disconnect();
  }
}
