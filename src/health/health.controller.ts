import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Access } from '../auth/access.decorator';
import { named } from '../infra/http/openapi-schemas';
import { ApiResult } from '../infra/http/validation';
import { HealthService } from './health.service';

const Check = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
export const HealthReport = named(
  'Health',
  z.object({
    status: z.enum(['ok', 'error']),
    role: z.enum(['all', 'api', 'worker']),
    checks: z.object({
      database: Check,
      redis: Check,
      queue: Check.extend({
        counts: z.record(z.string(), z.number()).optional().describe('jobs by state, all queues together'),
      }),
      emergencyQueues: Check.describe(
        'the queues alerts go out by (dispatch, alert audio): down while one is paused or has a job waiting untaken for EMERGENCY_QUEUE_STALL_SECONDS',
      ),
    }),
    ebdLinks: z
      .array(
        z.object({
          countyCode: z.string(),
          status: z.enum(['up', 'down', 'unknown']),
          linkUpAt: z
            .string()
            .nullable()
            .describe('when the upper platform last answered (why it did not, the console says: /health is public)'),
        }),
      )
      .describe(
        "each county's link to its upper emergency-broadcast platform: shown, never counted in status (an upper platform being down is not this server's fault; packages wait in the outbox)",
      ),
  }),
);
export type HealthReport = z.infer<typeof HealthReport>;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Access.public()
  @ApiResult(200, HealthReport, 'Postgres, Redis and the job queue all answer, and the emergency queues move')
  @ApiResult(503, HealthReport, 'At least one of them does not')
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.report();
    reply.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
