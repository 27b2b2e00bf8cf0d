import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { RedisConnections } from '../redis/redis.module';
import { closeGracefully } from './close-gracefully';
import { JOB_HANDLER } from './job-handler.decorator';
import { JobName, queueConcurrency, QueueName } from './jobs';

// Long enough for a short job to finish; a long one is retried after BullMQ finds it stalled.
const WORKER_SHUTDOWN_GRACE_MS = 10_000;

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

/** Maps each job name to exactly one handler; a gap or a clash is a start-up error, not a stuck queue. */
export function bindHandlers(found: Array<{ name: JobName; handler: Handler; owner: string }>): Map<JobName, Handler> {
  const bound = new Map<JobName, Handler>();
  const owners = new Map<JobName, string>();
  for (const { name, handler, owner } of found) {
    if (owners.has(name)) throw new Error(`Job ${name} has two handlers: ${owners.get(name)} and ${owner}`);
    owners.set(name, owner);
    bound.set(name, handler);
  }
  const missing = Object.values(JobName).filter((name) => !bound.has(name));
  if (missing.length) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
  return bound;
}

/** The consumer side, started only when APP_ROLE is `worker` or `all`. */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobWorkers');
  private workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    const handlers = bindHandlers(this.discoverHandlers());
    const concurrency = queueConcurrency(this.config);
    const lockMs = this.config.queue.lockSeconds * 1000;
    this.workers = Object.values(QueueName).map((queue) => {
      const worker = new Worker(queue, (job) => this.run(handlers, job), {
        connection: this.redis.connect(),
        prefix: this.config.queuePrefix,
        concurrency: concurrency[queue],
        // A worker that dies mid-job stops renewing its lock; after lockMs another
        // worker finds the job stalled and runs it again (twice at most, then it fails).
        lockDuration: lockMs,
        stalledInterval: lockMs,
        maxStalledCount: 2,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn(`${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
      );
      worker.on('error', (error) => this.redis.reportError(error, `worker for ${queue}`));
      return worker;
    });
    this.logger.log(`processing queues: ${Object.values(QueueName).join(', ')}`);
  }

  private run(handlers: Map<JobName, Handler>, job: Job): Promise<unknown> {
    const handler = handlers.get(job.name as JobName);
    // A job this version does not know (left by an older or newer release) can never succeed here.
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    return this.metrics.timeJob(job.queueName, job.name, () => handler(job.data, job));
  }

  private discoverHandlers() {
    return this.discovery.getProviders().flatMap((wrapper) => {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) return [];
      const prototype = Object.getPrototypeOf(instance) as Record<string, (...args: never[]) => unknown>;
      return this.scanner.getAllMethodNames(prototype).flatMap((method) => {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method]);
        if (!name) return [];
        const handler = (instance[method] as Handler).bind(instance);
        return [{ name, handler, owner: `${wrapper.name}.${method}` }];
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((worker) => closeGracefully(worker, WORKER_SHUTDOWN_GRACE_MS)));
  }
}
