import { EndpointWatch } from '../src/endpoints/endpoint-watch';
import { HeartbeatFlusher } from '../src/endpoints/heartbeat-flusher';
import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';

// Two more villages of 大兴街道 (Songtao's real division codes).
const XINGGUANG = '520628001002'; // 星光社区
const XINMIN = '520628001003'; // 新民社区
const XINGYUAN = '520628001101'; // 兴园社区

describe('what loudspeakers report: state, faults, where they stand, who is told', () => {
  let t: TestApp;
  let admin: string;
  let operator: string;

  const heartbeat = (token: string, body: unknown) => t.api.post('/api/v1/device/heartbeat', body, { token });
  const installed = async (regionCode: string, name: string, location?: unknown) => {
    const created = await createEndpoint(t, operator, regionCode, name);
    const reply = await t.api.post('/api/v1/devices/enroll', {
      enrollmentCode: created.enrollmentCode,
      serial: `SN-${name}`,
      ...(location ? { location } : {}),
    });
    expect(reply.status).toBe(200);
    return { id: created.id, token: reply.body.token as string };
  };
  const view = async (id: string) => (await t.api.get(`/api/v1/endpoints/${id}`, { token: operator })).body;
  const notices = (kind: string) =>
    sql<{ dedup_key: string; region_code: string; title: string; body: string; link: string }>(
      t.database,
      'SELECT dedup_key, region_code, title, body, link FROM notification WHERE kind = $1 ORDER BY created_at',
      [kind],
    );
  // Beats waiting in Redis first, or the sweep's own flush would bring back the real last-seen times.
  const silentFor = async (minutes: number, ...ids: string[]) => {
    await t.app.get(HeartbeatFlusher).flush();
    await sql(
      t.database,
      `UPDATE endpoint SET last_seen_at = now() - make_interval(mins => $2) WHERE id = ANY($1::uuid[])`,
      [ids, minutes],
    );
  };

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', DAXING);
  });
  afterAll(() => t.close());

  it('refuses a heartbeat that contradicts itself or breaks the contract, and records nothing of it', async () => {
    const device = await installed(DAXING_VILLAGE, '坏心跳');
    const refused = [
      { volume: 50, state: 'idle', fault: { code: 'amp.overheat', text: '功放过热' } },
      { volume: 50, fault: { code: 'amp.overheat', text: '功放过热' } },
      { volume: 50, state: 'fault' },
      { volume: 50, state: 'fault', fault: { code: 'Amp Overheat', text: '功放过热' } },
      { volume: 50, state: 'fault', fault: { code: 'amp.overheat', text: '热'.repeat(201) } },
      { volume: 50, state: 'broken' },
      { volume: 50, version: 'v'.repeat(65) },
      { volume: 101 },
      { volume: 50, clockOffsetMs: 1.5 },
      { volume: 50, muted: 'yes' },
    ];
    for (const body of refused) {
      const reply = await heartbeat(device.token, body);
      expect({ body, status: reply.status }).toEqual({ body, status: 400 });
      expect(reply.body.error).toBe('Bad Request');
    }
    const seen = await view(device.id);
    expect(seen).toMatchObject({ lastSeenAt: null, volume: null, state: null, fault: null, online: false });
    expect(await sql(t.database, 'SELECT 1 FROM endpoint_fault WHERE endpoint_id = $1', [device.id])).toHaveLength(0);
  });

  it('keeps an older device that sends none of the new fields working as before', async () => {
    const device = await installed(DAXING_VILLAGE, '老设备');
    expect((await heartbeat(device.token, { volume: 70, playing: true, freeBytes: 5_000 })).status).toBe(200);
    expect(await view(device.id)).toMatchObject({
      online: true,
      volume: 70,
      playing: true,
      freeBytes: 5_000,
      version: null,
      state: null,
      fault: null,
      muted: null,
      clockOffsetMs: null,
    });
  });

  it('shows what the device said: version, state, volume, mute and the clock offset it measured', async () => {
    const device = await installed(DAXING_VILLAGE, '新设备');
    const report = { volume: 35, version: 'dalaba-agent/0.3.0', state: 'playing', muted: true, clockOffsetMs: -240 };
    expect((await heartbeat(device.token, report)).status).toBe(200);
    expect(await view(device.id)).toMatchObject({ ...report, fault: null, online: true });
  });

  it('opens a fault episode when a fault is first reported, one notice for it, and closes it when the device says otherwise', async () => {
    const device = await installed(XINGGUANG, '村口功放');
    await heartbeat(device.token, { volume: 60, state: 'idle' });
    const overheat = { volume: 60, state: 'fault', fault: { code: 'amp.overheat', text: '功放温度 85°C' } };
    for (let i = 0; i < 3; i++) expect((await heartbeat(device.token, overheat)).status).toBe(200);
    expect((await view(device.id)).fault).toEqual(overheat.fault);

    let history = (await t.api.get(`/api/v1/endpoints/${device.id}/faults`, { token: operator })).body.items;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ code: 'amp.overheat', text: '功放温度 85°C', closedAt: null });
    let raised = await notices('endpoint_fault');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      dedup_key: `endpoint-fault:${history[0].id}`,
      region_code: XINGGUANG,
      link: `/loudspeakers/${device.id}`,
    });
    expect(raised[0].title).toContain('村口功放');
    expect(raised[0].body).toContain('星光社区');
    expect(raised[0].body).toContain('功放温度 85°C');

    const open = (await t.api.get(`/api/v1/endpoints/faults?region=${DAXING}`, { token: operator })).body.items;
    expect(open).toEqual([
      expect.objectContaining({
        id: history[0].id,
        code: 'amp.overheat',
        endpoint: { id: device.id, name: '村口功放', online: true },
        place: { regionCode: XINGGUANG, regionName: expect.stringContaining('星光社区'), parentName: '大兴街道' },
      }),
    ]);

    // Another fault is another episode (and notice); the first one ends there.
    await heartbeat(device.token, { volume: 60, state: 'fault', fault: { code: 'speaker.open', text: '喇叭线断开' } });
    await heartbeat(device.token, { volume: 60, state: 'idle' });
    history = (await t.api.get(`/api/v1/endpoints/${device.id}/faults`, { token: operator })).body.items;
    expect(history.map((fault: { code: string }) => fault.code)).toEqual(['speaker.open', 'amp.overheat']);
    expect(history.every((fault: { closedAt: string | null }) => fault.closedAt !== null)).toBe(true);
    raised = await notices('endpoint_fault');
    expect(raised).toHaveLength(2);
    expect((await t.api.get(`/api/v1/endpoints/faults?region=${DAXING}`, { token: operator })).body.items).toEqual([]);
    expect((await view(device.id)).fault).toBeNull();
  });

  it('raises a fault notice a crash left unraised on the next sweep, and only once', async () => {
    const device = await installed(XINGGUANG, '广场喇叭');
    await heartbeat(device.token, { volume: 60, state: 'fault', fault: { code: 'disk.full', text: '存储已满' } });
    const [fault] = await sql<{ id: string }>(t.database, 'SELECT id FROM endpoint_fault WHERE endpoint_id = $1', [
      device.id,
    ]);
    // As if the process stopped between recording the fault and raising its notice.
    await sql(t.database, 'DELETE FROM notification WHERE dedup_key = $1', [`endpoint-fault:${fault.id}`]);
    await sql(t.database, 'UPDATE endpoint_fault SET notified_at = NULL WHERE id = $1', [fault.id]);
    const watch = t.app.get(EndpointWatch);
    await watch.sweep();
    await watch.sweep();
    const raised = (await notices('endpoint_fault')).filter((n) => n.dedup_key === `endpoint-fault:${fault.id}`);
    expect(raised).toHaveLength(1);
    // Revoked, it says nothing more: its fault is over, not open for ever.
    expect((await t.api.post(`/api/v1/endpoints/${device.id}/revoke`, undefined, { token: operator })).status).toBe(
      200,
    );
    const history = (await t.api.get(`/api/v1/endpoints/${device.id}/faults`, { token: operator })).body.items;
    expect(history[0].closedAt).not.toBeNull();
    expect((await view(device.id)).fault).toBeNull();
  });

  it('takes the position the installer gives, lets an operator correct it and set the address, and keeps theirs', async () => {
    const bad = await createEndpoint(t, operator, XINMIN, '坏位置');
    for (const location of [
      { longitude: 200, latitude: 27 },
      { longitude: 109.2 },
      { longitude: 109.2, latitude: 27.9, address: 'x'.repeat(201) },
    ]) {
      const reply = await t.api.post('/api/v1/devices/enroll', {
        enrollmentCode: bad.enrollmentCode,
        serial: 'SN-X',
        location,
      });
      expect(reply.status).toBe(400);
    }
    expect((await view(bad.id)).status).toBe('awaiting_enrollment');

    const device = await installed(XINMIN, '村委会', {
      longitude: 109.2,
      latitude: 27.95,
      address: '村委会门口电线杆',
    });
    expect(await view(device.id)).toMatchObject({ longitude: 109.2, latitude: 27.95, address: '村委会门口电线杆' });

    const patch = (body: unknown) =>
      t.api.request<any>('PATCH', `/api/v1/endpoints/${device.id}`, body, { token: operator });
    for (const body of [
      {},
      { longitude: 109.3 },
      { longitude: null, latitude: 27.9 },
      { address: 'x'.repeat(201) },
      { address: 5 },
    ])
      expect((await patch(body)).status).toBe(400);
    expect((await view(device.id)).address).toBe('村委会门口电线杆');

    expect((await patch({ address: '村委会楼顶' })).body).toMatchObject({ address: '村委会楼顶', longitude: 109.2 });
    expect((await patch({ longitude: 109.21, latitude: 27.96 })).body).toMatchObject({
      address: '村委会楼顶',
      longitude: 109.21,
    });
    // The device is replaced and enrolled again with its own idea of where it is: the operator's stands.
    const code = (await t.api.post(`/api/v1/endpoints/${device.id}/enrollment-code`, undefined, { token: operator }))
      .body;
    await t.api.post('/api/v1/devices/enroll', {
      enrollmentCode: code.enrollmentCode,
      serial: 'SN-NEW',
      location: { longitude: 100, latitude: 20, address: '别处' },
    });
    expect(await view(device.id)).toMatchObject({
      longitude: 109.21,
      latitude: 27.96,
      address: '村委会楼顶',
      serial: 'SN-NEW',
    });
    expect((await patch({ address: null })).body.address).toBeNull();
  });

  it('refuses lists, the map and fault histories outside the scope or to a role that may not see loudspeakers', async () => {
    const elsewhere = await createEndpoint(t, admin, PANSHI_VILLAGE, '盘石喇叭');
    const lecturer = await userToken(t, admin, 'lecturer', DAXING);
    const outside = [
      `/api/v1/endpoints/faults?region=${PANSHI}`,
      `/api/v1/endpoints/silent-villages?region=${PANSHI}`,
      `/api/v1/endpoints/map?region=${PANSHI}`,
      `/api/v1/endpoints/map?region=${SONGTAO}`,
      `/api/v1/endpoints/${elsewhere.id}/faults`,
    ];
    for (const path of outside)
      expect({ path, status: (await t.api.get(path, { token: operator })).status }).toEqual({ path, status: 403 });
    for (const path of [`/api/v1/endpoints/faults`, `/api/v1/endpoints/map?region=${DAXING}`])
      expect((await t.api.get(path, { token: lecturer })).status).toBe(403);
    expect((await t.api.get('/api/v1/endpoints/map', { token: operator })).status).toBe(400);
    expect((await t.api.get('/api/v1/endpoints/faults?limit=0', { token: operator })).status).toBe(400);
    expect((await t.api.get('/api/v1/endpoints/faults')).status).toBe(401);
  });

  it('maps every loudspeaker in service by state, the unplaced ones without a position', async () => {
    const map = (await t.api.get(`/api/v1/endpoints/map?region=${DAXING}`, { token: operator })).body;
    expect(map.tiles).toBeNull();
    // Columns, one array per field: loudspeaker i is at index i of each.
    const columns = map.points as Record<string, unknown[]>;
    const byName = Object.fromEntries(
      columns.name.map((name, i) => [
        name,
        Object.fromEntries(Object.keys(columns).map((key) => [key, columns[key][i]])),
      ]),
    );
    expect(byName['新设备']).toMatchObject({
      state: 'playing',
      regionCode: DAXING_VILLAGE,
      longitude: null,
      latitude: null,
    });
    expect(byName['老设备'].state).toBe('playing');
    expect(byName['村口功放'].state).toBe('online');
    expect(byName['坏心跳'].state).toBe('offline');
    expect(byName['坏位置'].state).toBe('never-enrolled');
    expect(byName['村委会']).toMatchObject({ longitude: 109.21, latitude: 27.96 });
    expect(byName['盘石喇叭']).toBeUndefined();
    expect(map.places[XINGGUANG]).toContain('星光社区');
    const total = Object.values(map.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(columns.id.length);
    expect(Object.values(columns).every((column) => column.length === total)).toBe(true);
    expect(map.counts['never-enrolled']).toBe(1);
  });

  it('lists the villages no working loudspeaker reaches, those with none at all told apart', async () => {
    const silent = (await t.api.get(`/api/v1/endpoints/silent-villages?region=${DAXING}`, { token: operator })).body;
    expect(silent.villages).toBe(11);
    const byCode = Object.fromEntries(silent.items.map((v: { code: string }) => [v.code, v]));
    // 白岩社区 has working loudspeakers; 星光社区 too (its fault cleared).
    expect(byCode[DAXING_VILLAGE]).toBeUndefined();
    expect(byCode[XINGGUANG]).toBeUndefined();
    expect(byCode['520628001100']).toMatchObject({ reason: 'no-endpoints', endpoints: 0, township: '大兴街道' });
    expect(silent.silent).toBe(silent.items.length);

    // 新民社区's one loudspeaker goes into fault: the village is silent for it.
    const xinmin = await installed(XINMIN, '新民二号');
    await heartbeat(xinmin.token, { volume: 50, state: 'fault', fault: { code: 'amp.dead', text: '功放无输出' } });
    const after = (await t.api.get(`/api/v1/endpoints/silent-villages?region=${DAXING}`, { token: operator })).body;
    expect(after.items.find((v: { code: string }) => v.code === XINMIN)).toMatchObject({
      reason: 'none-working',
      endpoints: 3,
      awaiting: 1,
      offline: 1,
      fault: 1,
    });
  });

  it('tells of loudspeakers offline past the threshold once per outage, one notice per village naming them', async () => {
    const a = await installed(XINGYUAN, '兴园一号');
    const b = await installed(XINGYUAN, '兴园二号');
    const c = await installed(XINMIN, '新民三号');
    for (const device of [a, b, c]) await heartbeat(device.token, { volume: 50, state: 'idle' });
    const before = (await notices('endpoint_offline')).length;
    await silentFor(45, a.id, b.id);
    await silentFor(50, c.id);
    const watch = t.app.get(EndpointWatch);
    await watch.sweep();
    await watch.sweep();
    const raised = (await notices('endpoint_offline')).slice(before);
    const xingyuan = raised.filter((n) => n.region_code === XINGYUAN);
    expect(xingyuan).toHaveLength(1);
    expect(xingyuan[0].body).toContain('兴园一号');
    expect(xingyuan[0].body).toContain('兴园二号');
    expect(xingyuan[0].title).toContain('2 个喇叭离线');
    expect(raised.filter((n) => n.region_code === XINMIN)).toHaveLength(1);

    // Back, then silent again: a new outage, a new notice.
    await heartbeat(a.token, { volume: 50, state: 'idle' });
    await watch.sweep();
    expect((await notices('endpoint_offline')).slice(before)).toHaveLength(raised.length);
    await silentFor(31, a.id);
    await watch.sweep();
    const again = (await notices('endpoint_offline')).slice(before + raised.length);
    expect(again).toHaveLength(1);
    expect(again[0].body).toContain('兴园一号');
    expect(again[0].body).not.toContain('兴园二号');

    // Not yet past ENDPOINT_OFFLINE_NOTIFY_MINUTES (30): nothing.
    await silentFor(20, c.id);
    await watch.sweep();
    expect(await notices('endpoint_offline')).toHaveLength(before + raised.length + 1);
  });
});
