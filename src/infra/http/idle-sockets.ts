import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const SERVING = Symbol('the response this socket carries');
type ServingSocket = Socket & { [SERVING]?: ServerResponse };

/**
 * Closes a socket that has been silent both ways for `ms`: a body that stops
 * arriving, a client that stops reading. Not while the client waits on the
 * server (its request is in and no answer started, e.g. a large region import):
 * that is not the client holding the socket. Any byte either way restarts
 * the clock, so an event stream's heartbeats keep it.
 */
export function closeIdleSockets(server: Server, ms: number): void {
  server.setTimeout(ms);
  server.on('timeout', (socket: ServingSocket) => {
    const response = socket[SERVING];
    const awaitingServer = response !== undefined && response.req.complete && !response.headersSent;
    if (!awaitingServer) socket.destroy();
  });
}

/** Notes the response a socket now carries, for closeIdleSockets. */
export function serving(response: ServerResponse): void {
  (response.socket as ServingSocket)[SERVING] = response;
}
