import { countyDate } from '../src/kernel/county-time';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { settled } from './helpers/media';
import { freePort, MAIN, spawnProcess, type Spawned, startRedisServer, waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

const TODAY = countyDate(new Date());

/** A request that gives up after a while rather than hang the test: a hang shows as status 0. */
async function call(
  url: string,
  method: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  try {
    const reply = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await reply.text();
    return {
      status: reply.status,
      body: reply.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  } catch {
    return { status: 0, body: 'no answer' };
  }
}

describe('while Redis is down (issue 13, point 11)', () => {
  it('a revocation holds in every API process within seconds, and a schedule change answers 503 and changes nothing', async () => {
    const redis = await startRedisServer();
    const t: TestApp = await startApp({ REDIS_URL: redis.url });
    let second: Spawned | undefined;
    let stream: EventStream | undefined;
    try {
      const admin = await adminToken(t);
      await importSongtao(t, admin);
      const operator = await userToken(t, admin, 'operator', SONGTAO);
      const tts = await t.api.post('/api/v1/media/tts', { text: '今晚广播通知。' }, { token: operator });
      const media = await settled(t, operator, tts.body.id);
      const programme = await t.api.post(
        '/api/v1/programmes',
        { title: '通知', category: 'policy', segments: [media.id] },
        { token: operator },
      );
      expect(programme.status).toBe(201);
      const device = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode, 'SN-R-1');

      const port = await freePort();
      second = spawnProcess(process.execPath, [MAIN], {
        ...process.env,
        ...t.env,
        LOG_LEVEL: 'warn',
        APP_ROLE: 'api',
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      const secondUrl = `http://127.0.0.1:${port}`;
      await waitFor(
        'the second API process',
        async () => ((await fetch(`${secondUrl}/health`)).status === 200 ? true : undefined),
        60_000,
      );
      // The second process knows the token (cached) and holds the device's event stream.
      const pull = () => call(`${secondUrl}/api/v1/device/playlist?date=${TODAY}`, 'GET', device.token);
      expect((await pull()).status).toBe(200);
      stream = await EventStream.open(`${secondUrl}/api/v1/device/events`, device.token);
      expect(stream.response.status).toBe(200);

      await redis.kill();

      // Revocation needs no Redis: it answers, and the other process stops honouring the token.
      const revoked = await call(`${t.url}/api/v1/endpoints/${device.endpointId}/revoke`, 'POST', operator);
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      await waitFor(
        'the second process to refuse the revoked token',
        async () => ((await pull()).status === 401 ? true : undefined),
        15_000,
      );
      await waitFor(
        'the stream on the second process to be closed',
        async () => (stream!.ended ? true : undefined),
        15_000,
      );

      // A schedule change needs the queue to recompile playlists: 503 in the one error shape, and nothing saved.
      const scheduled = await call(`${t.url}/api/v1/broadcasts`, 'POST', operator, {
        programmeId: programme.body.id,
        regionCodes: [DAXING],
        date: TODAY,
      });
      expect(scheduled.status).toBe(503);
      expect(scheduled.body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(/unavailable.*try again/i),
        requestId: expect.any(String),
      });
      expect((await call(`${t.url}/api/v1/broadcasts?region=${DAXING}`, 'GET', operator)).body.items).toEqual([]);
    } finally {
      stream?.close();
      await second?.stop();
      await t.close();
      await redis.kill();
    }
  }, 180_000);
});
