import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import type { DevicePrincipal } from '../auth/access.decorator';
import { callingDevice } from '../auth/access.guard';
import type { AccessRegistry } from '../auth/access.registry';
import { andThen } from '../kernel/and-then';
import { ErrorBody } from '../infra/http/error-body';
import { type FrontRoute, requestIdOf, sendFrontError } from '../infra/http/front-routes';
import { jsonSchema, responseSchema } from '../infra/http/openapi-schemas';
import type { SecurityHeaders } from '../infra/http/security-headers';
import { parseOrReject } from '../infra/http/validation';
import type { ServedPlaylist } from '../scheduling/playlist-store';
import type { DeviceProtocolService } from './device-protocol.service';
import { DevicePlaylist, PlaylistQuery } from './endpoints.dto';

export const DEVICE_PLAYLIST_PATH = '/api/v1/device/playlist';

/**
 * `GET /api/v1/device/playlist`, answered by the HTTP server ahead of Fastify
 * and Nest (see FrontRoute): every endpoint polls it. The same device
 * authentication, query validation and error shape run here as plain calls,
 * in the guard's order: 401 before 400; HEAD answers the same headers.
 *
 * Polls are not access-logged (tens of thousands of endpoints poll every few
 * minutes); a failure logs its request id itself.
 */
export function devicePlaylistRoute(
  registry: AccessRegistry,
  protocol: DeviceProtocolService,
  logger: Logger,
): FrontRoute {
  const quiet = logger.child({ route: 'device-playlist' });

  const answer = (
    request: IncomingMessage,
    response: ServerResponse,
    security: SecurityHeaders,
    requestId: string,
    search: string,
  ) =>
    andThen(callingDevice(registry, request.headers.authorization), (device) =>
      andThen(protocol.pull(device, requestedDate(search) ?? protocol.today()), (playlist) =>
        send(request, response, security, requestId, replyTo(device, playlist, security)),
      ),
    );

  // Not an async function: with everything in memory a poll is answered
  // without creating a single promise.
  return (request, response, security) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const url = request.url ?? '';
    const queryAt = url.indexOf('?');
    if ((queryAt < 0 ? url : url.slice(0, queryAt)) !== DEVICE_PLAYLIST_PATH) return false;
    const requestId = requestIdOf(request.headers);
    const fail = (error: unknown) => sendFrontError(quiet, error, requestId, response, security);
    try {
      const pending = answer(request, response, security, requestId, queryAt < 0 ? '' : url.slice(queryAt + 1));
      if (pending) pending.catch(fail);
    } catch (error) {
      fail(error);
    }
    return true;
  };
}

/**
 * What every pull of one playlist version shares, made once when the version
 * is first pulled (a WeakMap on the store's object, so it goes with it): the
 * document after the endpoint id as UTF-8 bytes (its titles are Chinese:
 * encoding them per pull cost more than the rest of the route), and the
 * header lists of the 200 and the 304, one pair per set of security headers.
 */
interface Prepared {
  tail: Buffer;
  lists: Map<SecurityHeaders, HeaderLists>;
}

/**
 * The header lists for one version and security set, with the request id
 * (and, for the 200, the length) at fixed places: they are filled in for
 * each response just before writeHead, which reads the list at once and
 * keeps nothing of it, so one list serves every pull without a copy.
 */
interface HeaderLists {
  ok: Array<string | number>;
  notModified: string[];
}

/**
 * What one device is answered for one version: the shared header lists and
 * its whole document. A device pulls the same version again and again; kept
 * with the device (the principal is the token cache's object), a poll looks
 * nothing else up and makes no buffer. About 600 bytes a device a process.
 */
interface Reply extends HeaderLists {
  playlist: ServedPlaylist;
  security: SecurityHeaders;
  body: Buffer;
}

const preparedPlaylists = new WeakMap<ServedPlaylist, Prepared>();
const replies = new WeakMap<DevicePrincipal, Reply>();

function replyTo(device: DevicePrincipal, playlist: ServedPlaylist, security: SecurityHeaders): Reply {
  const kept = replies.get(device);
  if (kept?.playlist === playlist && kept.security === security) return kept;
  let prepared = preparedPlaylists.get(playlist);
  if (!prepared) {
    prepared = { tail: Buffer.from(playlist.sharedTail), lists: new Map() };
    preparedPlaylists.set(playlist, prepared);
  }
  let lists = prepared.lists.get(security);
  if (!lists) {
    lists = headerLists(security, playlist.etag);
    prepared.lists.set(security, lists);
  }
  const body = Buffer.concat([Buffer.from(`{"endpointId":"${device.endpointId}"`), prepared.tail]);
  // Spelled out: a spread would give each reply a shape of its own, and every read of one a cache miss.
  const reply = { ok: lists.ok, notModified: lists.notModified, playlist, security, body };
  replies.set(device, reply);
  return reply;
}

function headerLists(security: SecurityHeaders, etag: string): HeaderLists {
  const notModified = [...security, 'x-request-id', '', 'etag', etag, 'cache-control', 'private, no-cache'];
  const ok = [...notModified, 'content-type', 'application/json; charset=utf-8', 'content-length', 0];
  return { ok, notModified };
}
const REQUEST_ID_AFTER_SECURITY = 1;

function send(
  request: IncomingMessage,
  response: ServerResponse,
  security: SecurityHeaders,
  requestId: string,
  reply: Reply,
): void {
  const { etag } = reply.playlist;
  const held = request.headers['if-none-match'];
  if (held !== undefined && (held === etag || held.split(',').some((tag) => tag.trim() === etag))) {
    reply.notModified[security.length + REQUEST_ID_AFTER_SECURITY] = requestId;
    response.writeHead(304, reply.notModified).end();
    return;
  }
  const { ok, body } = reply;
  ok[security.length + REQUEST_ID_AFTER_SECURITY] = requestId;
  ok[ok.length - 1] = body.length;
  response.writeHead(200, ok);
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}

// What every device sends; anything else (no date, several, other parameters) is read and validated in full.
const DATE_ONLY = /^date=(\d{4}-\d{2}-\d{2})$/;

/** The date asked for, if any; a malformed query is a 400 in the error shape. */
function requestedDate(search: string): string | undefined {
  const simple = DATE_ONLY.exec(search);
  if (simple) return simple[1];
  return parseOrReject(PlaylistQuery, parseQuery(search), ['query']).date;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: responseSchema(ErrorBody) } },
});

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
          {
            name: 'If-None-Match',
            in: 'header',
            required: false,
            description: 'the version you hold, quoted',
            schema: { type: 'string' },
          },
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
