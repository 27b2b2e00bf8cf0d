import { connect, type Socket } from 'node:net';
import { startApp, type TestApp } from './helpers/app';
import { adminToken, createEndpoint, DAXING_VILLAGE, enroll, importSongtao } from './helpers/factories';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

/** A raw connection to the app, recording what the server sent and whether it closed the socket. */
class RawConnection {
  received = '';
  closed = false;
  private trickle?: NodeJS.Timeout;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      clearInterval(this.trickle);
    });
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends `bytes` one at a time, a few times a second: a client that is slow but never silent. */
  dribble(bytes: string): void {
    let next = 0;
    this.trickle = setInterval(() => this.socket.write(bytes[next++ % bytes.length]), 200);
  }

  /** A whole request on this connection, answered: the server still serves it. */
  async answers(path: string): Promise<boolean> {
    const before = this.received.length;
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: dalaba\r\n\r\n`);
    await waitFor('an answer', async () => (this.received.length > before || this.closed ? true : undefined), 10_000);
    return this.received.slice(before).startsWith('HTTP/1.1 ');
  }

  close(): void {
    clearInterval(this.trickle);
    this.socket.destroy();
  }
}

const closedByServer = (connection: RawConnection) =>
  waitFor('the server to close the connection', async () => (connection.closed ? true : undefined), 20_000);

describe('HTTP transport limits', () => {
  describe('slow clients', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({
        HTTP_HEADERS_TIMEOUT_SECONDS: '1',
        HTTP_REQUEST_TIMEOUT_SECONDS: '2',
        HTTP_IDLE_TIMEOUT_SECONDS: '2',
        DEVICE_EVENTS_HEARTBEAT_SECONDS: '1',
      });
    });
    afterAll(() => t.close());

    it('closes a connection whose headers never finish, however busy it keeps the line', async () => {
      const connection = await RawConnection.open(t.url);
      connection.socket.write('GET /health HTTP/1.1\r\nHost: dalaba\r\n');
      connection.dribble('X-Slow: a\r\n');
      await closedByServer(connection);
      expect(connection.received).not.toContain('"status"');
    });

    it('closes a connection whose body trickles in and never completes', async () => {
      const connection = await RawConnection.open(t.url);
      connection.socket.write(
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: dalaba\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"username":"',
      );
      connection.dribble('a');
      await closedByServer(connection);
    });

    it('closes a connection that goes silent in the middle of a body', async () => {
      const connection = await RawConnection.open(t.url);
      connection.socket.write(
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: dalaba\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user',
      );
      await closedByServer(connection);
    });

    it("keeps a device's event stream open well past every timeout: its heartbeats keep it alive", async () => {
      const admin = await adminToken(t);
      // Importing a county takes seconds, often past the 2 s idle timeout: a request the server works on is not idle.
      await importSongtao(t, admin);
      const endpoint = await createEndpoint(t, admin, DAXING_VILLAGE);
      const { token } = await enroll(t, endpoint.enrollmentCode);
      const stream = await EventStream.open(`${t.url}/api/v1/device/events`, token);
      try {
        expect(stream.response.status).toBe(200);
        // Six heartbeats at one a second outlast the 1 s header, 2 s request and 2 s idle timeouts.
        await waitFor(
          'six heartbeats',
          async () => (stream.comments.filter((c) => c === 'heartbeat').length >= 6 ? true : undefined),
          30_000,
        );
      } finally {
        stream.close();
      }
    });
  });

  describe('connections per address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ HTTP_MAX_CONNECTIONS_PER_ADDRESS: '5' });
    });
    afterAll(() => t.close());

    it('refuses the sixth open connection from one address while five are open, and accepts one again once one closes', async () => {
      const open = await Promise.all(Array.from({ length: 5 }, () => RawConnection.open(t.url)));
      try {
        for (const connection of open) expect(await connection.answers('/health')).toBe(true);
        const sixth = await RawConnection.open(t.url);
        sixth.socket.write('GET /health HTTP/1.1\r\nHost: dalaba\r\n\r\n');
        await closedByServer(sixth);
        expect(sixth.received).toBe('');
        expect(open.some((connection) => connection.closed)).toBe(false);

        open.shift()!.close();
        await waitFor('a connection accepted again', async () => {
          const again = await RawConnection.open(t.url);
          const served = await again.answers('/health');
          again.close();
          return served ? true : undefined;
        });
      } finally {
        for (const connection of open) connection.close();
      }
    });
  });
});
