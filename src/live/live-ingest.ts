import { createHash } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { type WebSocket, WebSocketServer } from 'ws';
import { CLOSE, LiveCarrier } from './live-carrier';
import { LiveRepository } from './live.repository';

const AUDIO_PATH = /^\/api\/v1\/live-sessions\/([0-9a-f-]{36})\/audio$/;
// A speaker's client sends small chunks (MediaRecorder: a few kB every 250 ms); one this large is not one.
const MAX_MESSAGE_BYTES = 1024 * 1024;

/** The digest a session keeps of the secret in its ingest URL. */
export const ingestTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The speaker's audio comes in over a WebSocket at
 * /api/v1/live-sessions/:id/audio?token=…: the browser cannot put a CSRF header
 * on a WebSocket, so the one secret the session's creator was given (by a
 * CSRF-checked request) is the credential, and a page of another origin is
 * refused by its Origin header.
 */
@Injectable()
export class LiveIngest {
  private readonly logger = new Logger('LiveIngest');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  constructor(
    private readonly sessions: LiveRepository,
    private readonly carrier: LiveCarrier,
  ) {}

  /** Takes the HTTP server's upgrade requests (Fastify itself answers none). */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://upgrade.invalid');
      const match = AUDIO_PATH.exec(url.pathname);
      if (!match) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (client) => {
        // Held until the session is looked up and its listeners are on: the first audio must not be lost.
        client.pause();
        this.accept(match[1], url.searchParams.get('token') ?? '', request, client).catch((error: Error) => {
          this.logger.warn(`live ingest for ${match[1]}: ${error.message}`);
          client.resume();
          client.close(1011, 'server error');
        });
      });
    });
  }

  private async accept(id: string, token: string, request: IncomingMessage, client: WebSocket) {
    // Closed with a reason the client can show; nothing about the session is changed.
    const refuse = (code: number, reason: string) => {
      client.resume();
      client.close(code, reason);
    };
    const origin = request.headers.origin;
    if (origin !== undefined && !sameHost(origin, request.headers.host))
      return refuse(CLOSE.foreignOrigin, 'a page of another origin may not send audio');
    const row = await this.sessions.find(id);
    if (!row || row.ingestTokenHash !== ingestTokenHash(token))
      return refuse(CLOSE.badToken, 'not a live session, or not its token');
    if (row.status === 'ended') return refuse(CLOSE.gone, 'this live session has ended');
    // Its audio already flows through another API process, which alone can continue it.
    if (row.status === 'live' && !this.carrier.carries(id))
      return refuse(CLOSE.busy, 'this live session is carried by another server');
    this.carrier.connect(row, client);
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
