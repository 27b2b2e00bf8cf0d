import type { FastifyInstance } from 'fastify';
import type { Histogram } from 'prom-client';
import type { FrontRoute } from '../http/front-routes';
import type { Metrics } from './metrics';

// A request no route matched (a probe for /wp-admin…) is counted under one label, not under its URL.
const UNMATCHED = 'unmatched';
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

const statusClass = (statusCode: number) => STATUS_CLASSES[Math.trunc(statusCode / 100) - 1] ?? 'other';

/** Times every request Fastify answers, labelled with its route pattern (`/api/v1/endpoints/:id`). */
export function timeRequests(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? UNMATCHED, statusClass(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
    done();
  });
}

/**
 * Times a front route (answered ahead of Fastify, see FrontRoute) under its
 * pattern. The route every device polls stays cheap: the histogram's children
 * are bound once, and an answer given synchronously (the cached playlist) is
 * observed at once, without a listener.
 */
export function timedFrontRoute(metrics: Metrics, pattern: string, route: FrontRoute): FrontRoute {
  const byStatus = (method: string) =>
    STATUS_CLASSES.map((status) => metrics.httpDuration.labels(method, pattern, status));
  const get = byStatus('GET');
  const head = byStatus('HEAD');
  const child = (method: string | undefined, statusCode: number): Histogram.Internal<string> => {
    const bound = method === 'GET' ? get : method === 'HEAD' ? head : undefined;
    return (
      bound?.[Math.trunc(statusCode / 100) - 1] ??
      metrics.httpDuration.labels(method ?? '', pattern, statusClass(statusCode))
    );
  };
  return (request, response, security) => {
    const started = performance.now();
    if (!route(request, response, security)) return false;
    if (response.writableEnded)
      child(request.method, response.statusCode).observe((performance.now() - started) / 1000);
    else
      response.once('finish', () =>
        child(request.method, response.statusCode).observe((performance.now() - started) / 1000),
      );
    return true;
  };
}
