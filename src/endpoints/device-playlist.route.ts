import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { callingDevice } from '../auth/access.guard';
import type { AccessRegistry } from '../auth/access.registry';
import { ErrorBody } from '../infra/http/error-body';
import { sendError } from '../infra/http/http-error.filter';
import { jsonSchema, responseSchema } from '../infra/http/openapi-schemas';
import { parseOrReject } from '../infra/http/validation';
import type { DeviceProtocolService } from './device-protocol.service';
import { DevicePlaylist, PlaylistQuery } from './endpoints.dto';

export const DEVICE_PLAYLIST_PATH = '/api/v1/device/playlist';

/**
 * `GET /api/v1/device/playlist`, registered on Fastify itself rather than
 * through a Nest controller. Every endpoint polls it, and Nest's per-request
 * pipeline (guard, pipes, parameter decorators, interceptors) halved what the
 * server could answer next to bare Fastify (bench:pull). The same device
 * authentication, query validation and error shape run here as plain calls,
 * in the guard's order: 401 before 400.
 *
 * Polls are not access-logged (tens of thousands of endpoints poll every few
 * minutes): the route logs through one shared logger at `warn`, instead of a
 * child logger made per request, and skips the request context; a failure
 * logs its request id itself (sendError).
 */
export function mountDevicePlaylistRoute(fastify: FastifyInstance, registry: AccessRegistry, protocol: DeviceProtocolService, logger: Logger): void {
  const quiet = logger.child({ route: 'device-playlist' }, { level: 'warn' });
  const options = { config: { withoutRequestContext: true }, childLoggerFactory: () => quiet };

  const answer = (request: FastifyRequest, reply: FastifyReply) =>
    andThen(callingDevice(registry, request), (device) => {
      const query = parseOrReject(PlaylistQuery, request.query, ['query']);
      const date = query.date ?? protocol.today();
      return andThen(protocol.playlist(device, date), (playlist) =>
        andThen(protocol.recordFetch(device, date, playlist.version), () => {
          const etag = `"${playlist.version}"`;
          reply.header('etag', etag).header('cache-control', 'private, no-cache');
          const held = request.headers['if-none-match'];
          if (held?.split(',').some((tag) => tag.trim() === etag)) {
            reply.status(304).send();
            return;
          }
          reply
            .status(200)
            .header('content-type', 'application/json; charset=utf-8')
            .send(Buffer.concat([Buffer.from(`{"endpointId":"${device.endpointId}"`, 'latin1'), playlist.sharedTail]));
        }),
      );
    });

  // Not an async function: with everything in memory a poll is answered
  // without creating a single promise, which under AsyncLocalStorage's
  // promise hooks (Node 20) cost a fifth of the throughput in bench:pull.
  fastify.get(DEVICE_PLAYLIST_PATH, options, (request, reply) => {
    const fail = (error: unknown) => sendError(quiet, error, request, reply);
    try {
      const pending = answer(request, reply);
      if (pending) pending.catch(fail);
    } catch (error) {
      fail(error);
    }
  });
}

/** Goes on with a value now, or once it arrives when it is still a promise. */
function andThen<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: responseSchema(ErrorBody) } } });

/** The route's OpenAPI entry, which Nest's document generator cannot see. */
export function devicePlaylistOpenApi() {
  const date = jsonSchema(PlaylistQuery, 'input').properties as Record<string, Record<string, unknown>>;
  return {
    [DEVICE_PLAYLIST_PATH]: {
      get: {
        operationId: 'DeviceController_playlist',
        tags: ['device protocol'],
        security: [{ device: [] }],
        parameters: [
          { name: 'date', in: 'query', required: false, schema: date.date, description: date.date.description },
          { name: 'If-None-Match', in: 'header', required: false, description: 'the version you hold, quoted', schema: { type: 'string' } },
        ],
        responses: {
          200: {
            description: "This endpoint's playlist for the date; strong ETag = version",
            headers: { ETag: { schema: { type: 'string' }, description: 'the version, quoted' } },
            content: { 'application/json': { schema: responseSchema(DevicePlaylist) } },
          },
          304: { description: 'You hold the current version' },
          400: errorResponse('Invalid date, or one outside yesterday … two days ahead'),
          401: errorResponse('Device token invalid or revoked'),
        },
      },
    },
  };
}
