import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { toErrorBody } from '../http/error-body';
import { Metrics } from './metrics';

export const METRICS_PATH = '/metrics';

interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics, where this process serves it (docs/operations.md, "Metrics"):
 * on METRICS_PORT when that is set, else beside the API (or a worker's health)
 * when METRICS_TOKEN is set, else nowhere. With a token, only a request
 * bearing it is answered; anything else is a 401 in the one error shape that
 * says nothing of the metrics.
 */
@Injectable()
export class MetricsEndpoint implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  private readonly expected?: Buffer;
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    const { token } = config.operations.metrics;
    this.expected = token === undefined ? undefined : digest(token);
  }

  /** Whether /metrics is served beside the process's other routes (no port of its own, a token set). */
  get besideOtherRoutes(): boolean {
    const { token, port } = this.config.operations.metrics;
    return port === undefined && token !== undefined;
  }

  async answer(authorization: string | undefined, requestId?: string): Promise<Answer> {
    if (this.expected && !this.authorized(authorization)) {
      const body = toErrorBody(new UnauthorizedException('A valid bearer token (METRICS_TOKEN) is required'));
      return {
        statusCode: 401,
        headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' },
        body: JSON.stringify({ ...body, ...(requestId ? { requestId } : {}) }),
      };
    }
    const body = await this.metrics.exposition();
    return { statusCode: 200, headers: { 'content-type': this.metrics.registry.contentType }, body };
  }

  /** Compared as digests of equal length, in constant time: the answer's timing says nothing of the token. */
  private authorized(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]), this.expected!);
  }

  /** Adds GET /metrics to the API's routes, when it is served there. */
  mountOn(fastify: FastifyInstance): void {
    if (!this.besideOtherRoutes) return;
    fastify.get(METRICS_PATH, async (request, reply) => {
      const { statusCode, headers, body } = await this.answer(request.headers.authorization, String(request.id));
      return reply.code(statusCode).headers(headers).send(body);
    });
  }

  /** Answers GET /metrics for a plain node:http server (its own port, a worker's health port). */
  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { statusCode, headers, body } = await this.answer(request.headers.authorization);
    response.writeHead(statusCode, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
  }

  /** Listens on METRICS_PORT, when set. */
  async onApplicationBootstrap(): Promise<void> {
    const { port } = this.config.operations.metrics;
    if (port === undefined) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== METRICS_PATH) {
        const body = JSON.stringify(
          toErrorBody({ statusCode: 404, message: `Only GET ${METRICS_PATH} is served here` }),
        );
        response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(body);
        return;
      }
      this.serve(request, response).catch((error: Error) => {
        this.logger.error(`serving ${METRICS_PATH}: ${error.message}`);
        response.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.http.host, () => resolve());
    });
    this.logger.log(`metrics at http://${this.config.http.host}:${port}${METRICS_PATH}`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
