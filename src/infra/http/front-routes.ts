import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';
import type { HttpConfig } from '../config/config';
import { limitConnectionsPerAddress } from './connection-limit';
import { failureBody } from './http-error.filter';
import { closeIdleSockets, serving } from './idle-sockets';
import type { SecurityHeaders } from './security-headers';
import type { TrustedProxies } from './trusted-proxies';

/**
 * A route the HTTP server answers itself, ahead of Fastify: it returns false
 * for a request that is not its own, which then goes to Fastify as usual.
 * Only for the one route every device polls: Fastify's per-request pipeline,
 * shared with Nest (eleven onRequest hooks, multipart's asynchronous hook,
 * a child logger and its listeners), cost a third of what the server could
 * answer there next to bare Fastify (bench:pull).
 */
export type FrontRoute = (request: IncomingMessage, response: ServerResponse, security: SecurityHeaders) => boolean;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A caller's X-Request-Id is kept (so a request can be followed across services), else one is made. */
export function requestIdOf(headers: IncomingMessage['headers']): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Holds the front routes, mounted once the services they call exist, and
 * makes the server Fastify listens on, with the limits that keep slow or
 * greedy clients from holding its sockets: a time to send the headers, a
 * (generous, for uploads over rural links) time to send the whole request,
 * an idle time (device event streams send a heartbeat well inside it), and a
 * cap on the connections one address may hold. Every response carries the
 * security headers, set here before any route runs.
 */
export class FrontRoutes {
  private readonly routes: FrontRoute[] = [];

  constructor(
    private readonly http: HttpConfig,
    private readonly proxies: TrustedProxies,
    private readonly security: { plain: SecurityHeaders; https: SecurityHeaders },
  ) {}

  add(route: FrontRoute): void {
    this.routes.push(route);
  }

  readonly serverFactory: FastifyServerFactory = (handler, options) => {
    const { headersSeconds, requestSeconds, idleSeconds } = this.http.timeouts;
    const headersTimeout = headersSeconds * 1000;
    const server: Server = createServer(
      {
        headersTimeout,
        requestTimeout: requestSeconds * 1000,
        // How often Node looks for requests past those times: often enough that a short timeout is kept roughly.
        connectionsCheckingInterval: Math.min(30_000, headersTimeout / 2),
        // An idle keep-alive connection is closed at the time the server announced, never sooner by the idle timeout.
        keepAliveTimeout: Math.min(
          (options as { keepAliveTimeout?: number }).keepAliveTimeout ?? 72_000,
          idleSeconds * 1000,
        ),
      },
      (request, response) => {
        serving(response);
        const security = this.proxies.sentOverHttps(request) ? this.security.https : this.security.plain;
        for (const route of this.routes) if (route(request, response, security)) return;
        for (let i = 0; i < security.length; i += 2) response.setHeader(security[i], security[i + 1]);
        handler(request, response);
      },
    );
    closeIdleSockets(server, idleSeconds * 1000);
    limitConnectionsPerAddress(server, this.http.maxConnectionsPerAddress, this.proxies);
    return server;
  };
}

/** Answers a front route's failure in the one error shape, as the error filter does for every other route. */
export function sendFrontError(
  logger: Logger,
  error: unknown,
  requestId: string,
  response: ServerResponse,
  security: SecurityHeaders,
): void {
  const body = failureBody(logger, error, requestId);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const json = JSON.stringify(body);
  response.writeHead(body.statusCode, [
    ...security,
    'x-request-id',
    requestId,
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    Buffer.byteLength(json),
  ]);
  response.end(json);
}
