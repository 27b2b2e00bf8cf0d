import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastify } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Decides who may see the dashboard; throws (an HTTP exception) to refuse. */
export type DashboardGate = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * bull-board at /admin/queues: every queue's jobs, their progress, failures
 * and retries. It is a plain Fastify plugin, outside Nest's guards, so it is
 * mounted inside its own scope behind the gate.
 */
export async function mountQueueDashboard(
  app: NestFastifyApplication,
  queues: Queue[],
  gate: DashboardGate,
): Promise<void> {
  const board = new BullBoardFastify();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Dalaba queues' } },
  });
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', gate);
    await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
