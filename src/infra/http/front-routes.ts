import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';
import { failureBody } from './http-error.filter';

/**
 * A route the HTTP server answers itself, ahead of Fastify: it returns false
 * for a request that is not its own, which then goes to Fastify as usual.
 * Only for the one route every device polls: Fastify's per-request pipeline,
 * shared with Nest (eleven onRequest hooks, multipart's asynchronous hook,
 * a child logger and its listeners), cost a third of what the server could
 * answer there next to bare Fastify (bench:pull).
 */
export type FrontRoute = (request: IncomingMessage, response: ServerResponse) => boolean;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A caller's X-Request-Id is kept (so a request can be followed across services), else one is made. */
export function requestIdOf(headers: IncomingMessage['headers']): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Holds the front routes, mounted once the services they call exist, and
 * makes the server Fastify listens on. Fastify applies its own timeouts
 * only to a server it creates, so they are copied here.
 */
export class FrontRoutes {
  private readonly routes: FrontRoute[] = [];

  add(route: FrontRoute): void {
    this.routes.push(route);
  }

  readonly serverFactory: FastifyServerFactory = (handler, options) => {
    const server: Server = createServer((request, response) => {
      for (const route of this.routes) if (route(request, response)) return;
      handler(request, response);
    });
    const timeouts = options as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
    server.keepAliveTimeout = timeouts.keepAliveTimeout ?? 72_000;
    server.requestTimeout = timeouts.requestTimeout ?? 0;
    server.setTimeout(timeouts.connectionTimeout ?? 0);
    return server;
  };
}

/** Answers a front route's failure in the one error shape, as the error filter does for every other route. */
export function sendFrontError(logger: Logger, error: unknown, requestId: string, response: ServerResponse): void {
  const body = failureBody(logger, error, requestId);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const json = JSON.stringify(body);
  response.writeHead(body.statusCode, {
    'x-request-id': requestId,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}
