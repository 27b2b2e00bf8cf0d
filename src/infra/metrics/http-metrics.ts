import type { FastifyInstance } from 'fastify';
import type { FrontRoute } from '../http/front-routes';
import type { LatencySeries } from './latency-histogram';
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
 * pattern. The route every device polls stays cheap: each method and status
 * class is bound to its series once, and an answer given synchronously (the
 * cached playlist) is observed at once, without a listener.
 */
export function timedFrontRoute(metrics: Metrics, pattern: string, route: FrontRoute): FrontRoute {
  const bound = new Map<string, LatencySeries[]>();
  const series = (method = '', statusCode: number): LatencySeries => {
    let byClass = bound.get(method);
    if (!byClass) bound.set(method, (byClass = []));
    return (byClass[Math.trunc(statusCode / 100)] ??= metrics.httpDuration.labels(
      method,
      pattern,
      statusClass(statusCode),
    ));
  };
  return (request, response, security) => {
    const started = performance.now();
    if (!route(request, response, security)) return false;
    if (response.writableEnded)
      series(request.method, response.statusCode).observe((performance.now() - started) / 1000);
    else
      response.once('finish', () =>
        series(request.method, response.statusCode).observe((performance.now() - started) / 1000),
      );
    return true;
  };
}
