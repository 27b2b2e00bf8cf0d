import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffMs, describe as describeError, Http, type Log } from './http';
import { ReceiptOutbox, type Receipt } from './receipts';
import { Scheduler } from './scheduler';

describe('backoff', () => {
  it('starts at 0.5 s and doubles to 10 s, drawing each wait from its upper half', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 40].map((attempt) => backoffMs(attempt, () => 1));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(9, () => 0)).toBe(5000);
  });
});

describe('describing a failed call', () => {
  it('names the cause fetch hides', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(describeError(error)).toBe('ECONNREFUSED');
    expect(describeError(new DOMException('timeout', 'TimeoutError'))).toBe('timed out');
  });
});

describe('calling a server that comes and goes', () => {
  type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
  let server: Server;
  let handlers: Handler[];
  const bodies: string[] = [];
  const clock = { now: () => Date.now() };
  let scheduler: Scheduler;
  let run: AbortController;
  let http: Http;
  let report: Log & { errors: string[] };

  beforeEach(async () => {
    handlers = [];
    bodies.length = 0;
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        (handlers.shift() ?? ((_, __, res) => res.writeHead(200).end('{}')))(request, body, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scheduler = new Scheduler(clock);
    run = new AbortController();
    const errors: string[] = [];
    report = { errors, log: () => undefined, error: (who, message) => errors.push(`[${who}] ${message}`) };
    http = new Http(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, run.signal, scheduler, report);
  });

  afterEach(async () => {
    run.abort();
    scheduler.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const status =
    (code: number): Handler =>
    (_, __, response) =>
      response.writeHead(code).end('{"message":"no"}');

  it('retries a 5xx and a dropped connection, and counts the outage once', async () => {
    handlers.push(status(503), (request) => request.socket.destroy(), status(200));
    const answer = await http.call('POST', '/x', { who: 't', json: { a: 1 } }, async (response) => response.status);
    expect(answer).toBe(200);
    expect(bodies).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
    expect(report.errors).toHaveLength(1);
  });

  it('hands a 4xx to the caller and does not retry what the caller could not read', async () => {
    handlers.push(status(404));
    await expect(http.call('GET', '/x', { who: 't' }, async (response) => response.status)).resolves.toBe(404);
    await expect(
      http.call('GET', '/x', { who: 't' }, async () => Promise.reject(new Error('bad body'))),
    ).rejects.toThrow('bad body');
    expect(bodies).toHaveLength(2);
  });

  it('stops retrying when the run ends', async () => {
    handlers.push(status(500), status(500), status(500));
    const call = http.call('GET', '/x', { who: 't' }, async () => 'answered');
    setTimeout(() => run.abort(new Error('run over')), 100);
    await expect(call).rejects.toThrow('run over');
  });

  it('gives up on an attempt that gets no answer in time', async () => {
    handlers.push(() => undefined, status(200));
    const answer = await http.call('GET', '/x', { who: 't', timeoutMs: 200 }, async (response) => response.status);
    expect(answer).toBe(200);
    expect(report.errors).toEqual(['[t] GET /x: timed out; retrying']);
  });

  it('sends a receipt batch whose answer was lost again with the same ids', async () => {
    handlers.push(
      (request) => request.socket.destroy(),
      (_, __, response) => response.writeHead(200).end('{"accepted":1,"duplicates":1}'),
    );
    let posted = 0;
    const drained = new Promise<void>((resolve) => {
      const outbox = new ReceiptOutbox({
        who: 't',
        token: 'k',
        http,
        report,
        scheduler,
        retryLaterMs: 1000,
        revoked: () => undefined,
        drained: resolve,
        posted: (count) => (posted += count),
        notAvailable: () => undefined,
      });
      const receipt: Receipt = { id: 'r-1', itemId: 'i', startedAt: 'a', endedAt: 'b', outcome: 'played' };
      outbox.add(receipt, run.signal);
      outbox.add({ ...receipt, id: 'r-2' }, run.signal);
    });
    await drained;
    const ids = bodies.map((body) =>
      (JSON.parse(body) as { receipts: Receipt[] }).receipts.map((receipt) => receipt.id),
    );
    expect(ids[0]).toEqual(['r-1']);
    expect(ids.slice(1)).toEqual([['r-1'], ['r-2']]);
    expect(posted).toBe(2);
  });
});
