import { request } from 'node:http';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { settled } from './helpers/media';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();

/** Asks for the event stream and hangs up right after sending the request: while the server is still looking the token up. */
function hangUpEarly(url: string, token: string): Promise<void> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const call = request({
      hostname,
      port,
      path: '/api/v1/device/events',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    call.on('error', () => resolve());
    call.on('close', () => resolve());
    call.end(() => setTimeout(() => call.destroy(), 1));
  });
}

describe('device event streams: only live streams count, several per device, closed on revocation (issue 13, point 2)', () => {
  let t: TestApp;
  let operator: string;
  let approver: string;
  let spoken: { id: string };
  const streams: EventStream[] = [];
  const open = async (token: string) => {
    const stream = await EventStream.open(`${t.url}/api/v1/device/events`, token);
    streams.push(stream);
    return stream;
  };
  const emergencies = (stream: EventStream) => stream.events.filter((event) => event.event === 'emergency');

  beforeAll(async () => {
    t = await startApp({ DEVICE_EVENTS_MAX_STREAMS: '2' });
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', SONGTAO);
    approver = await userToken(t, admin, 'approver', SONGTAO);
    const tts = await t.api.post('/api/v1/media/tts', { text: '请注意，山洪预警。' }, { token: operator });
    spoken = await settled(t, operator, tts.body.id);
  }, 120_000);
  afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
  afterAll(() => t.close());

  it('counts a push only when it was written to a live stream, and every live stream of a device hears the alert', async () => {
    const devices = [];
    for (let i = 0; i < 40; i++)
      devices.push(
        await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE, `喇叭 ${i}`)).enrollmentCode, `SN-S-${i}`),
      );
    // Fresh tokens (nothing cached): each device hangs up while its token is looked up.
    await Promise.all(devices.map((device) => hangUpEarly(t.url, device.token)));

    const [listening, twice] = devices;
    const first = await open(listening.token);
    const [older, newer, newest] = [await open(twice.token), await open(twice.token), await open(twice.token)];
    // At most two streams a device: the newest closes the oldest.
    await waitFor('the oldest stream to be closed', async () => (older.ended ? true : undefined));
    expect(newer.ended || newest.ended).toBe(false);

    const drafted = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '山洪预警',
        level: 2,
        category: 'flood',
        regionCodes: [DAXING_VILLAGE],
        mediaId: spoken.id,
        expiresAt: inHours(1),
        drill: true,
      },
      { token: operator },
    );
    expect(
      (await t.api.post(`/api/v1/emergencies/${drafted.body.id}/approve`, undefined, { token: approver })).status,
    ).toBe(200);
    for (const stream of [first, newer, newest])
      await waitFor('the alert on every live stream', async () => (emergencies(stream).length ? true : undefined));
    expect(emergencies(older)).toEqual([]);

    const delivery = await waitFor('the pushes recorded', async () => {
      const body = (await t.api.get(`/api/v1/emergencies/${drafted.body.id}/delivery`, { token: approver })).body;
      return body.totals.pushed >= 2 ? body : undefined;
    });
    expect(delivery.totals).toMatchObject({ endpoints: 40, pushed: 2, notReached: 38 });
    expect(delivery.notReached.map((endpoint: any) => endpoint.endpointId).sort()).toEqual(
      devices
        .slice(2)
        .map((device) => device.endpointId)
        .sort(),
    );
    expect((await t.api.post(`/api/v1/emergencies/${drafted.body.id}/cancel`, {}, { token: approver })).status).toBe(
      200,
    );
  }, 120_000);

  it('revoking a device closes its open streams at once', async () => {
    const device = await enroll(
      t,
      (await createEndpoint(t, operator, DAXING_VILLAGE, '待撤销')).enrollmentCode,
      'SN-S-R',
    );
    const [one, two] = [await open(device.token), await open(device.token)];
    expect(
      (await t.api.post(`/api/v1/endpoints/${device.endpointId}/revoke`, undefined, { token: operator })).status,
    ).toBe(200);
    await waitFor('both streams closed', async () => (one.ended && two.ended ? true : undefined));
    expect((await EventStream.open(`${t.url}/api/v1/device/events`, device.token)).response.status).toBe(401);
  });
});
