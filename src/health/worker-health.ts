import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { toErrorBody } from '../infra/http/error-body';
import { METRICS_PATH, MetricsEndpoint } from '../infra/metrics/metrics-endpoint';
import { HealthService } from './health.service';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A worker (APP_ROLE=worker) serves no API, yet an orchestrator must know
 * whether it can work: it answers GET /health on WORKER_HEALTH_PORT with the
 * API's health report (Postgres, Redis, the queues), 200 or 503, and
 * GET /metrics there too when metrics have no port of their own.
 */
@Injectable()
export class WorkerHealth implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WorkerHealth');
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly metrics: MetricsEndpoint,
  ) {}

  /** The port it listens on (WORKER_HEALTH_PORT=0 picks a free one), once listening. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role !== 'worker') return;
    const server = createServer((request, response) => {
      this.answer(request, response).catch((error: Error) => {
        this.logger.error(`answering ${request.url}: ${error.message}`);
        response.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.operations.workerHealthPort, this.config.http.host, () => resolve());
    });
    this.logger.log(`worker health on ${this.config.http.host}:${this.port}/health`);
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'GET' && path === '/health') {
      const report = await this.health.report();
      send(response, report.status === 'ok' ? 200 : 503, JSON.stringify(report));
    } else if (request.method === 'GET' && path === METRICS_PATH && this.metrics.besideOtherRoutes) {
      await this.metrics.serve(request, response);
    } else {
      send(
        response,
        404,
        JSON.stringify(toErrorBody({ statusCode: 404, message: 'A worker serves only GET /health' })),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function send(response: ServerResponse, statusCode: number, body: string): void {
  response.writeHead(statusCode, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) }).end(body);
}
