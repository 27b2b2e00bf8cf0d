import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { linkStatus } from '../ebd/domain/link-status';
import { EbdLinksRepository } from '../ebd/ebd-links.repository';
import { PrismaService } from '../infra/database/prisma.service';
import { JobQueue } from '../infra/queue/job-queue.service';
import { EMERGENCY_QUEUES } from '../infra/queue/jobs';
import { RedisConnections } from '../infra/redis/redis.module';
import type { HealthReport } from './health.controller';

const CHECK_TIMEOUT_MS = 2_000;

async function probe<T>(
  check: () => Promise<T>,
): Promise<{ status: 'up' | 'down'; latencyMs: number; error?: string; value?: T }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    const value = await Promise.race([check(), timeout]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started), value };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly redis: RedisConnections,
    private readonly queue: JobQueue,
    private readonly ebdLinks: EbdLinksRepository,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, redis, queue, emergencyQueues, ebdLinks] = await Promise.all([
      probe(() => this.prisma.$queryRaw`SELECT 1`),
      probe(() => this.redis.probe.ping()),
      probe(async () => {
        const counts = await Promise.all(
          this.queue.all().map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'failed')),
        );
        return counts.reduce<Record<string, number>>((sum, each) => {
          for (const [state, n] of Object.entries(each)) sum[state] = (sum[state] ?? 0) + n;
          return sum;
        }, {});
      }),
      probe(() => this.emergencyQueuesMoving()),
      probe(() => this.ebdLinkStatuses()),
    ]);
    const { value: counts, ...queueCheck } = queue;
    const strip = ({ value: _value, ...check }: typeof database) => check;
    const checks = {
      database: strip(database),
      redis: strip(redis),
      queue: { ...queueCheck, ...(counts ? { counts } : {}) },
      emergencyQueues: strip(emergencyQueues),
    };
    const ok = Object.values(checks).every((check) => check.status === 'up');
    // Shown, not counted: a county operator cannot mend an upper platform, and what waits for it waits in the outbox.
    return { status: ok ? 'ok' : 'error', role: this.config.role, checks, ebdLinks: ebdLinks.value ?? [] };
  }

  private async ebdLinkStatuses(): Promise<HealthReport['ebdLinks']> {
    const now = new Date();
    return (await this.ebdLinks.listEnabled()).map((link) => ({
      countyCode: link.countyCode,
      status: linkStatus(link, now),
      linkUpAt: link.linkUpAt?.toISOString() ?? null,
    }));
  }

  /**
   * Alerts go out only while their queues move: one paused (from the
   * dashboard, say), or holding a job no worker has taken for
   * EMERGENCY_QUEUE_STALL_SECONDS (no worker running, or all stuck), fails the check.
   */
  private async emergencyQueuesMoving(): Promise<void> {
    const stallMs = this.config.queue.emergencyStallSeconds * 1000;
    const problems = await Promise.all(
      EMERGENCY_QUEUES.map(async (name) => {
        const queue = this.queue.queue(name);
        if (await queue.isPaused()) return `${name} is paused`;
        const [oldest] = await queue.getJobs(['wait', 'prioritized'], 0, 0, true);
        const waitedMs = oldest ? Date.now() - oldest.timestamp : 0;
        return waitedMs > stallMs
          ? `${name} has had a job waiting for ${Math.round(waitedMs / 1000)} s with no worker taking it`
          : undefined;
      }),
    );
    const found = problems.filter(Boolean);
    if (found.length) throw new Error(found.join('; '));
  }
}
