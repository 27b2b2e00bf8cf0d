import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { RedisConnections } from '../redis/redis.module';
import { closeGracefully } from './close-gracefully';
import { JOBS, JobName, JobPayloads, QueueName } from './jobs';

/** The producer side: the API enqueues through this, whatever role the process has. */
@Injectable()
export class JobQueue implements OnModuleDestroy {
  private readonly queues: Map<QueueName, Queue>;

  private readonly logger = new Logger('JobQueue');
  private lastError = '';

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisConnections) {
    this.queues = new Map(
      Object.values(QueueName).map((name) => {
        const queue = new Queue(name, { connection: redis.shared, prefix: config.queuePrefix });
        // While Redis is away every reconnect attempt fails; say so once, not every two seconds.
        queue.on('error', (error) => {
          if (error.message !== this.lastError) this.logger.warn(`queue ${name}: ${error.message}`);
          this.lastError = error.message;
        });
        return [name, queue];
      }),
    );
  }

  /** jobId makes an enqueue idempotent: a second job with the same id is dropped while the first exists. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], jobId?: string): Promise<void> {
    const { queue, options } = JOBS[name];
    await this.queue(queue).add(name, payload, { ...options, jobId });
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.all().map((queue) => closeGracefully(queue, 2_000)));
  }
}
