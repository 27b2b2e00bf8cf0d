import { Inject, Injectable, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { Metrics, type Reading } from '../metrics/metrics';
import { RedisConnections } from '../redis/redis.module';
import { closeGracefully } from './close-gracefully';
import { JOBS, JobName, JobPayloads, QueueName } from './jobs';

// What a scrape reports of each queue, and how long it waits for Redis before leaving them out.
const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const DEPTH_WAIT_MS = 2_000;

const UNAVAILABLE =
  'The job queue and event service (Redis) is unavailable, so nothing was changed; try again in a moment';

/** The producer side: the API enqueues through this, whatever role the process has. */
@Injectable()
export class JobQueue implements OnModuleDestroy {
  private readonly queues: Map<QueueName, Queue>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly redis: RedisConnections,
    metrics: Metrics,
  ) {
    metrics.queueJobs.readFrom(() => this.depths());
    this.queues = new Map(
      Object.values(QueueName).map((name) => {
        const queue = new Queue(name, { connection: redis.shared, prefix: config.queuePrefix });
        // While Redis is away every reconnect attempt fails: the connections say so once.
        queue.on('error', (error) => redis.reportError(error, `queue ${name}`));
        return [name, queue];
      }),
    );
  }

  /**
   * For a change that must queue work to take effect: 503 before anything is
   * changed while Redis is away, instead of a request that hangs on it.
   */
  requireAvailable(): void {
    if (this.redis.shared.status !== 'ready') throw new ServiceUnavailableException(UNAVAILABLE);
  }

  /** jobId makes an enqueue idempotent: a second job with the same id is dropped while the first exists. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], jobId?: string): Promise<void> {
    const { queue, options } = JOBS[name];
    await this.queue(queue).add(name, payload, { ...options, jobId });
  }

  /**
   * Makes sure a job with this id is waiting or running, for a sweep that
   * re-derives work from Postgres. A finished job still kept under the id
   * would block a plain enqueue, so it is replaced. True when one was added.
   */
  async ensure<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): Promise<boolean> {
    const queue = this.queue(JOBS[name].queue);
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      await existing.remove();
    }
    await this.enqueue(name, payload, jobId);
    return true;
  }

  /** Takes back a job not yet started; false while it runs (it then finishes where it is). */
  async withdraw(name: JobName, jobId: string): Promise<boolean> {
    const job = await this.queue(JOBS[name].queue).getJob(jobId);
    if (!job) return true;
    if (await job.isActive()) return false;
    // A job that started meanwhile holds a lock, and BullMQ refuses to remove it.
    return job.remove().then(
      () => true,
      () => false,
    );
  }

  /**
   * Enqueues without making a request wait on Redis: false when Redis has
   * not taken the job within waitMs (the add goes on in the background, and
   * the job id keeps a later retry from doubling it).
   */
  async offer<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    jobId: string | undefined,
    waitMs: number,
  ): Promise<boolean> {
    const added = await settleWithin(
      this.enqueue(name, payload, jobId).then(() => true),
      waitMs,
    );
    return added === true;
  }

  /** The job under this id, or undefined when there is none or Redis does not answer within waitMs. */
  async find(name: JobName, jobId: string, waitMs: number): Promise<Job | undefined> {
    return settleWithin(this.queue(JOBS[name].queue).getJob(jobId), waitMs);
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** Jobs by queue and state, read when Prometheus scrapes; a Redis that does not answer in time leaves them out. */
  private async depths(): Promise<Array<Reading<'queue' | 'state'>>> {
    const counted = await settleWithin(
      Promise.all(
        this.all().map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts(...DEPTH_STATES) })),
      ),
      DEPTH_WAIT_MS,
    );
    if (!counted) throw new Error(`Redis did not answer within ${DEPTH_WAIT_MS} ms`);
    return counted.flatMap(({ queue, counts }) =>
      Object.entries(counts).map(([state, count]): Reading<'queue' | 'state'> => [{ queue, state }, count]),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.all().map((queue) => closeGracefully(queue, 2_000)));
  }
}

/** The promise's value, or undefined if it fails or takes longer than waitMs. */
async function settleWithin<T>(promise: Promise<T>, waitMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
