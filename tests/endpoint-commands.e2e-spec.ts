import { clearQueuePrefix, startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { uniqueName } from './helpers/databases';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

interface Device {
  endpointId: string;
  token: string;
}

/** The `command` events a stream heard, parsed, of one command or of all. */
const commandsHeard = (stream: EventStream, id?: string) =>
  stream.events
    .filter((event) => event.event === 'command')
    .map((event) => JSON.parse(event.data) as { id: string; kind: string; volume?: number; expiresAt: string })
    .filter((command) => id === undefined || command.id === id);

describe('remote commands to endpoints (issue 19, point 1)', () => {
  let t: TestApp;
  let admin: string;
  let county: string;
  let township: string;
  let approver: string;
  let villageA: Device;
  let villageB: Device;
  let panshi: Device;
  let awaiting: { id: string };
  const streams: EventStream[] = [];
  const open = async (device: Device, app: TestApp = t) => {
    const stream = await EventStream.open(`${app.url}/api/v1/device/events`, device.token);
    streams.push(stream);
    return stream;
  };
  const newDevice = async (region: string, name: string) =>
    enroll(t, (await createEndpoint(t, county, region, name)).enrollmentCode, uniqueName('SN'));
  const issue = (token: string, body: Record<string, unknown>) =>
    t.api.post('/api/v1/endpoint-commands', body, { token });
  const report = (device: Device, id: string, body: unknown) =>
    t.api.post(`/api/v1/device/commands/${id}`, body, { token: device.token });
  const deliveryOf = async (id: string, endpointId: string) => {
    const reply = await t.api.get(`/api/v1/endpoint-commands/${id}`, { token: county });
    return reply.body.deliveries.items.find((delivery: any) => delivery.endpointId === endpointId);
  };
  const statusBecomes = (id: string, endpointId: string, status: string, timeoutMs?: number) =>
    waitFor(
      `delivery ${status}`,
      async () => {
        const delivery = await deliveryOf(id, endpointId);
        return delivery?.status === status ? delivery : undefined;
      },
      timeoutMs,
    );

  beforeAll(async () => {
    t = await startApp({ COMMAND_RESEND_SECONDS: '1' });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    county = await userToken(t, admin, 'operator', SONGTAO);
    township = await userToken(t, admin, 'operator', DAXING);
    approver = await userToken(t, admin, 'approver', SONGTAO);
    villageA = await newDevice(DAXING_VILLAGE, '白岩 1');
    villageB = await newDevice(DAXING_VILLAGE, '白岩 2');
    panshi = await newDevice(PANSHI_VILLAGE, '盘石 1');
    awaiting = await createEndpoint(t, county, DAXING_VILLAGE, '未安装');
  }, 120_000);
  afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
  afterAll(() => t.close());

  it('refuses bad commands with 400 and stores none of them', async () => {
    const bad: Array<Record<string, unknown>> = [
      { kind: 'set-volume', regionCode: DAXING_VILLAGE },
      { kind: 'set-volume', volume: 101, regionCode: DAXING_VILLAGE },
      { kind: 'set-volume', volume: 40.5, regionCode: DAXING_VILLAGE },
      { kind: 'set-volume', volume: '40', regionCode: DAXING_VILLAGE },
      { kind: 'mute', volume: 0, regionCode: DAXING_VILLAGE },
      { kind: 'mute', regionCode: DAXING_VILLAGE, endpointId: villageA.endpointId },
      { kind: 'mute' },
      { kind: 'reboot', regionCode: DAXING_VILLAGE },
      { kind: 'mute', regionCode: DAXING_VILLAGE, colour: 'red' },
      { kind: 'mute', regionCode: DAXING_VILLAGE, ttlMinutes: 0 },
      { kind: 'mute', regionCode: DAXING_VILLAGE, ttlMinutes: 7 * 24 * 60 + 1 },
      { kind: 'mute', regionCode: 'village' },
      { kind: 'mute', endpointId: 'not-a-uuid' },
    ];
    for (const body of bad) {
      const reply = await issue(county, body);
      expect({ body, status: reply.status }).toEqual({ body, status: 400 });
      expect(reply.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    }
    expect((await t.api.get('/api/v1/endpoint-commands', { token: county })).body.items).toEqual([]);
  });

  it('keeps an operator to their scope and role', async () => {
    for (const body of [
      { kind: 'mute', regionCode: PANSHI_VILLAGE },
      { kind: 'mute', regionCode: SONGTAO },
      { kind: 'mute', endpointId: panshi.endpointId },
    ])
      expect((await issue(township, body)).status).toBe(403);
    expect((await issue(approver, { kind: 'mute', regionCode: DAXING_VILLAGE })).status).toBe(403);
    expect((await issue(county, { kind: 'mute', regionCode: '520628999999' })).status).toBe(404);
    expect((await issue(county, { kind: 'mute', endpointId: '00000000-0000-4000-8000-000000000000' })).status).toBe(
      404,
    );
    // A loudspeaker not yet installed has no device to tell: refused, not stored.
    const uninstalled = await issue(county, { kind: 'mute', endpointId: awaiting.id });
    expect(uninstalled.status).toBe(409);
    expect(uninstalled.body.message).toMatch(/not enrolled/);

    const countyWide = await issue(county, { kind: 'refetch', regionCode: SONGTAO });
    expect(countyWide.status).toBe(201);
    expect(countyWide.body.counts.total).toBeGreaterThanOrEqual(3);
    expect((await t.api.get(`/api/v1/endpoint-commands/${countyWide.body.id}`, { token: township })).status).toBe(403);
    const seen = (await t.api.get('/api/v1/endpoint-commands', { token: township })).body.items;
    expect(seen.map((command: any) => command.id)).not.toContain(countyWide.body.id);
    expect((await t.api.get(`/api/v1/endpoint-commands?region=${PANSHI_VILLAGE}`, { token: township })).status).toBe(
      403,
    );
  });

  it('a command to a village reaches only its enrolled devices, and each reports for itself', async () => {
    const [a, b, p] = [await open(villageA), await open(villageB), await open(panshi)];
    const issued = await issue(township, { kind: 'mute', regionCode: DAXING_VILLAGE });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      kind: 'mute',
      volume: null,
      regionCode: DAXING_VILLAGE,
      endpoint: null,
      counts: { total: 2 },
    });
    const { id } = issued.body;
    for (const stream of [a, b])
      await waitFor('the command on the stream', async () => (commandsHeard(stream, id).length ? true : undefined));
    expect(commandsHeard(a, id)[0]).toEqual({
      id,
      kind: 'mute',
      issuedAt: issued.body.issuedAt,
      expiresAt: issued.body.expiresAt,
    });

    // Reports from the devices: one village device done, the other failed; Panshi's device has no such command.
    expect(await report(panshi, id, { status: 'done' })).toMatchObject({ status: 404 });
    expect((await report(villageA, id, { status: 'done', result: 'muted' })).body).toEqual({ id, status: 'done' });
    expect((await report(villageB, id, { status: 'failed', result: 'amplifier not answering' })).status).toBe(200);
    const detail = (await t.api.get(`/api/v1/endpoint-commands/${id}`, { token: township })).body;
    expect(detail.command.counts).toMatchObject({ total: 2, done: 1, failed: 1 });
    expect(detail.deliveries.items.map((d: any) => [d.endpointId, d.status, d.result]).sort()).toEqual(
      [
        [villageA.endpointId, 'done', 'muted'],
        [villageB.endpointId, 'failed', 'amplifier not answering'],
      ].sort(),
    );
    const failedOnly = await t.api.get(`/api/v1/endpoint-commands/${id}?status=failed`, { token: township });
    expect(failedOnly.body.deliveries.items.map((d: any) => d.endpointId)).toEqual([villageB.endpointId]);
    expect(commandsHeard(p, id)).toEqual([]);
    // Finished deliveries are not sent again: the next command's resends pass while the finished one stays heard once.
    const next = (await issue(township, { kind: 'test-tone', endpointId: villageA.endpointId })).body;
    await waitFor('resends of the next command', async () =>
      commandsHeard(a, next.id).length >= 2 ? true : undefined,
    );
    expect(commandsHeard(a, id)).toHaveLength(1);
    expect(commandsHeard(p, next.id)).toEqual([]);
  });

  it('an offline device gets it on connecting; the operator sees pending, sent, acknowledged, done and the volume it reports', async () => {
    const device = await newDevice(DAXING_VILLAGE, '白岩 离线');
    const issued = await issue(county, { kind: 'set-volume', volume: 40, endpointId: device.endpointId });
    expect(issued.status).toBe(201);
    const { id } = issued.body;
    expect(issued.body).toMatchObject({ volume: 40, endpoint: { id: device.endpointId }, counts: { pending: 1 } });
    expect(await deliveryOf(id, device.endpointId)).toMatchObject({ status: 'pending', attempts: 0, sentAt: null });

    const stream = await open(device);
    await waitFor('the command on connecting', async () => (commandsHeard(stream, id).length ? true : undefined));
    expect(commandsHeard(stream, id)[0]).toMatchObject({ kind: 'set-volume', volume: 40 });
    expect(await statusBecomes(id, device.endpointId, 'sent')).toMatchObject({ attempts: expect.any(Number) });

    // Bad reports change nothing.
    for (const body of [
      { status: 'finished' },
      { status: 'done', result: 'x'.repeat(201) },
      {},
      { status: 'done', result: 5 },
    ])
      expect((await report(device, id, body)).status).toBe(400);
    expect((await report(device, 'not-a-uuid', { status: 'done' })).status).toBe(400);
    expect(await deliveryOf(id, device.endpointId)).toMatchObject({ status: 'sent', result: null });

    expect((await report(device, id, { status: 'acknowledged' })).body).toEqual({ id, status: 'acknowledged' });
    // The device may say so twice (it lost the answer): the same, nothing more.
    expect((await report(device, id, { status: 'acknowledged' })).body).toEqual({ id, status: 'acknowledged' });
    expect(await deliveryOf(id, device.endpointId)).toMatchObject({ status: 'acknowledged' });
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 40 }, { token: device.token })).status).toBe(200);
    expect((await report(device, id, { status: 'done', result: 'volume 40' })).body).toEqual({ id, status: 'done' });
    expect(await deliveryOf(id, device.endpointId)).toMatchObject({
      status: 'done',
      result: 'volume 40',
      reported: { volume: 40, online: true },
    });
    // After done, no report is taken: the device knows its outcome is recorded.
    for (const status of ['done', 'acknowledged', 'failed']) {
      const late = await report(device, id, { status });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ statusCode: 409, message: expect.stringContaining('done') });
    }
    expect(await deliveryOf(id, device.endpointId)).toMatchObject({ status: 'done', result: 'volume 40' });
  });

  it('a device that never answers is sent it again and again until it expires, then never again', async () => {
    const device = await newDevice(DAXING_VILLAGE, '白岩 沉默');
    const stream = await open(device);
    const issued = (await issue(county, { kind: 'restart', endpointId: device.endpointId, ttlMinutes: 1 })).body;
    await waitFor('three sends', async () => (commandsHeard(stream, issued.id).length >= 3 ? true : undefined));
    expect((await deliveryOf(issued.id, device.endpointId)).attempts).toBeGreaterThanOrEqual(3);

    // Its shortest life is a minute.
    const expired = await statusBecomes(issued.id, device.endpointId, 'expired', 100_000);
    expect(expired.finishedAt).toBe(issued.expiresAt);
    const heard = commandsHeard(stream, issued.id).length;
    expect((await report(device, issued.id, { status: 'done' })).status).toBe(409);
    // Resend ticks go on for a later command; the expired one is not among them.
    const later = (await issue(county, { kind: 'unmute', endpointId: device.endpointId })).body;
    await waitFor('resends of the later command', async () =>
      commandsHeard(stream, later.id).length >= 3 ? true : undefined,
    );
    expect(commandsHeard(stream, issued.id)).toHaveLength(heard);
    expect(
      (await t.api.get(`/api/v1/endpoint-commands/${issued.id}`, { token: county })).body.command.counts,
    ).toMatchObject({
      total: 1,
      expired: 1,
    });
  }, 150_000);

  it('a process that never hears of a command (its bus message lost) sends it from Postgres', async () => {
    // Another API process on the same database, on a bus of its own: it hears nothing the first one publishes.
    const other = await startApp({ ...t.env, QUEUE_PREFIX: uniqueName('t') }, { database: t.database });
    try {
      const device = await newDevice(DAXING_VILLAGE, '白岩 另一进程');
      const stream = await open(device, other);
      await waitFor('the stream open', async () => (stream.response.ok ? true : undefined));
      const issued = (await issue(county, { kind: 'test-tone', endpointId: device.endpointId })).body;
      await waitFor('the command from Postgres', async () =>
        commandsHeard(stream, issued.id).length ? true : undefined,
      );
      await statusBecomes(issued.id, device.endpointId, 'sent');
      expect(
        (await other.api.post(`/api/v1/device/commands/${issued.id}`, { status: 'done' }, { token: device.token }))
          .status,
      ).toBe(200);
      expect(await deliveryOf(issued.id, device.endpointId)).toMatchObject({ status: 'done' });
    } finally {
      streams.splice(0).forEach((stream) => stream.close());
      await other.close({ keep: true });
      await clearQueuePrefix(other.config.queuePrefix);
    }
  });
});
