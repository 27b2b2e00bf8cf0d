import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countyDate } from '../src/kernel/county-time';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { settled } from './helpers/media';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

const CAP_DIR = join(__dirname, 'fixtures/cap');
const TODAY = countyDate(new Date());
const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();

describe('emergency alerts: approval, preemption, push, delivery, CAP', () => {
  let t: TestApp;
  let operator: string; // county operator, drafts
  let approver: string; // county approver
  let panshiApprover: string;
  let spoken: { id: string; durationMs: number; sha256: string };
  let device: { endpointId: string; token: string }; // in 大兴
  let other: { endpointId: string; token: string }; // in 盘石
  let absent: { endpointId: string; token: string }; // in 大兴, never connects

  const playlist = async (token: string) =>
    (await (
      await fetch(`${t.url}/api/v1/device/playlist?date=${TODAY}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as any;
  const draft = (body: Record<string, unknown>, token = operator) =>
    t.api.post(
      '/api/v1/emergencies',
      {
        title: '洪水预警',
        level: 2,
        category: 'flood',
        regionCodes: [DAXING],
        mediaId: spoken.id,
        expiresAt: inHours(2),
        drill: false,
        ...body,
      },
      { token },
    );
  const postCap = (xml: string | Buffer, token = operator, type = 'application/cap+xml') =>
    fetch(`${t.url}/api/v1/emergencies/cap`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: xml,
    });
  const eventsNamed = (stream: EventStream, name: string) => stream.events.filter((event) => event.event === name);

  beforeAll(async () => {
    t = await startApp({});
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', SONGTAO);
    approver = await userToken(t, admin, 'approver', SONGTAO);
    panshiApprover = await userToken(t, admin, 'approver', PANSHI);
    const tts = await t.api.post(
      '/api/v1/media/tts',
      { text: '大兴街道请注意，河水上涨，请立即转移到高处。' },
      { token: operator },
    );
    spoken = await settled(t, operator, tts.body.id);
    device = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode, 'SN-E-1');
    other = await enroll(t, (await createEndpoint(t, operator, PANSHI_VILLAGE)).enrollmentCode, 'SN-E-2');
    absent = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE, '山脚')).enrollmentCode, 'SN-E-3');
  }, 120_000);
  afterAll(() => t.close());

  it('refuses bad drafts with 4xx and changes nothing', async () => {
    expect((await draft({ level: 5 })).status).toBe(400);
    expect((await draft({ text: '两者都给' })).status).toBe(400);
    expect((await draft({ expiresAt: inHours(-1) })).status).toBe(400);
    expect((await draft({ regionCodes: ['520628999999'] })).status).toBe(404);
    expect((await draft({}, approver)).status).toBe(403);
    expect((await t.api.get('/api/v1/emergencies', { token: operator })).body.items).toEqual([]);
  });

  it('takes approval from an approver other than the drafter, pushes within the targets only, preempts their playlists, and tracks delivery', async () => {
    const before = await playlist(device.token);
    const drafted = await draft({ drill: true, repeat: 2 });
    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({
      status: 'draft',
      drill: true,
      level: 2,
      levelName: expect.stringMatching(/^II/),
      scopeCode: DAXING,
    });
    const id = drafted.body.id;

    const [stream, otherStream] = await Promise.all([
      EventStream.open(`${t.url}/api/v1/device/events`, device.token),
      EventStream.open(`${t.url}/api/v1/device/events`, other.token),
    ]);
    try {
      // Operators may not approve, nor an approver outside the targets; an admin, who may do both, not an alert of their own.
      expect((await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: operator })).status).toBe(403);
      expect((await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: panshiApprover })).status).toBe(
        403,
      );
      const admin = await adminToken(t);
      const ownDraft = await draft({}, admin);
      const selfApproved = await t.api.post(`/api/v1/emergencies/${ownDraft.body.id}/approve`, undefined, {
        token: admin,
      });
      expect(selfApproved.status).toBe(409);
      expect(selfApproved.body.message).toMatch(/drafter/);
      expect(
        (await t.api.post(`/api/v1/emergencies/${ownDraft.body.id}/cancel`, {}, { token: operator })).body.status,
      ).toBe('cancelled');

      const approved = await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: approver });
      expect(approved.status).toBe(200);
      expect(['approved', 'active']).toContain(approved.body.status);
      expect((await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: approver })).status).toBe(409);

      const pushed = await waitFor('the push', async () => eventsNamed(stream, 'emergency')[0]);
      const alert = JSON.parse(pushed.data);
      expect(alert).toMatchObject({
        id,
        itemId: `emergency:${id}`,
        level: 2,
        drill: true,
        repeat: 2,
        media: { sha256: spoken.sha256, url: expect.stringMatching(/\.mp3$/) },
      });
      expect(alert.expiresAt).toMatch(/\+08:00$/);

      const preempted = await waitFor('the preempted playlist', async () => {
        const current = await playlist(device.token);
        return current.version !== before.version ? current : undefined;
      });
      expect(preempted.items[0]).toMatchObject({
        id: `emergency:${id}`,
        kind: 'emergency',
        title: expect.stringContaining('演练'),
        durationMs: 2 * spoken.durationMs,
        alert: { drill: true, level: 2 },
      });
      expect(preempted.items[0].priority).toBeGreaterThan(10);
      expect((await playlist(other.token)).items.some((item: any) => item.kind === 'emergency')).toBe(false);
      expect(eventsNamed(otherStream, 'emergency')).toEqual([]);
      expect((await t.api.get(`/api/v1/emergencies/${id}`, { token: operator })).body.status).toBe('active');

      const receipt = {
        id: randomUUID(),
        itemId: `emergency:${id}`,
        startedAt: new Date().toISOString(),
        endedAt: new Date().toISOString(),
        outcome: 'played',
      };
      expect(
        (await t.api.post('/api/v1/device/receipts', { receipts: [receipt] }, { token: device.token })).status,
      ).toBe(200);
      const delivery = (await t.api.get(`/api/v1/emergencies/${id}/delivery`, { token: approver })).body;
      expect(delivery.totals).toEqual({
        endpoints: 2,
        pushed: 1,
        acknowledged: 1,
        played: 1,
        failed: 0,
        notReached: 1,
      });
      expect(delivery.notReached.map((endpoint: any) => endpoint.endpointId)).toEqual([absent.endpointId]);
      expect(delivery.regions).toEqual([expect.objectContaining({ code: DAXING_VILLAGE, endpoints: 2, pushed: 1 })]);

      const cancelled = await t.api.post(
        `/api/v1/emergencies/${id}/cancel`,
        { reason: '水位回落' },
        { token: approver },
      );
      expect(cancelled.body.status).toBe('cancelled');
      const told = await waitFor('the cancellation', async () => eventsNamed(stream, 'emergency-cancelled')[0]);
      expect(JSON.parse(told.data)).toMatchObject({ id, drill: true });
      const restored = await waitFor('the routine playlist', async () => {
        const current = await playlist(device.token);
        return current.version === before.version ? current : undefined;
      });
      expect(restored.items.some((item: any) => item.kind === 'emergency')).toBe(false);
      expect((await t.api.post(`/api/v1/emergencies/${id}/cancel`, {}, { token: approver })).status).toBe(409);
      // Told once, however the dispatch ran.
      expect(eventsNamed(stream, 'emergency')).toHaveLength(1);

      const trail = (await t.api.get(`/api/v1/audit?entity=emergency&id=${id}`, { token: operator })).body.entries;
      expect(trail.map((entry: any) => [entry.action, entry.actor?.role ?? 'service'])).toEqual([
        ['drafted', 'operator'],
        ['approved', 'approver'],
        ['activated', 'service'],
        ['cancelled', 'approver'],
      ]);
      expect(trail[3].details).toMatchObject({ from: 'active', reason: '水位回落' });
      expect((await t.api.get(`/api/v1/audit?entity=emergency&id=${id}`, { token: panshiApprover })).status).toBe(403);
    } finally {
      stream.close();
      otherStream.close();
    }
  }, 60_000);

  it('goes live at its start and ends at its expiry, which is no cancellation', async () => {
    const stream = await EventStream.open(`${t.url}/api/v1/device/events`, device.token);
    try {
      const startsAt = new Date(Date.now() + 3_000);
      const expiresAt = new Date(startsAt.getTime() + 4_000);
      const drafted = await draft({
        title: '雷电预警',
        level: 3,
        category: 'weather',
        startsAt: startsAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      const approved = await t.api.post(`/api/v1/emergencies/${drafted.body.id}/approve`, undefined, {
        token: approver,
      });
      expect(approved.body).toMatchObject({ status: 'approved', startsAt: startsAt.toISOString() });

      const pushed = await waitFor('the push at the start', async () => eventsNamed(stream, 'emergency')[0]);
      expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime());
      expect(JSON.parse(pushed.data)).toMatchObject({ id: drafted.body.id, level: 3 });
      // Pushed first; the playlists are recompiled right after.
      await waitFor('the preempted playlist', async () =>
        (await playlist(device.token)).items[0]?.id === `emergency:${drafted.body.id}` ? true : undefined,
      );

      const ended = await waitFor('the expiry', async () => {
        const alert = (await t.api.get(`/api/v1/emergencies/${drafted.body.id}`, { token: operator })).body;
        return alert.status === 'ended' ? alert : undefined;
      });
      expect(new Date(ended.endedAt).getTime()).toBeGreaterThanOrEqual(expiresAt.getTime());
      await waitFor('the routine playlist', async () =>
        (await playlist(device.token)).items.some((item: any) => item.kind === 'emergency') ? undefined : true,
      );
      expect(eventsNamed(stream, 'emergency-cancelled')).toEqual([]);
      const trail = (await t.api.get(`/api/v1/audit?entity=emergency&id=${drafted.body.id}`, { token: operator })).body
        .entries;
      expect(trail.map((entry: any) => entry.action)).toEqual(['drafted', 'approved', 'activated', 'expired']);
    } finally {
      stream.close();
    }
  });

  it('imports CAP 1.2: foreign areas and malformed alerts get 422 with the reason; a Songtao alert becomes a draft; Cancel cancels it; export is CAP', async () => {
    const foreign = await postCap(readFileSync(join(CAP_DIR, 'valid/nws-flash-flood-warning-polygon.xml')));
    expect(foreign.status).toBe(422);
    expect(((await foreign.json()) as any).message).toMatch(/no region here/);
    for (const [file, reason] of [
      ['01-not-xml.xml', /./],
      ['02-wrong-namespace-cap11.xml', /namespace/],
      ['07-xxe-file-passwd.xml', /DTD|entit/],
    ] as const) {
      const reply = await postCap(readFileSync(join(CAP_DIR, 'invalid', file)));
      expect({ file, status: reply.status }).toEqual({ file, status: 422 });
      const body = (await reply.json()) as any;
      expect(body.message).toMatch(reason);
      expect(body.message).not.toMatch(/root:/);
    }
    expect((await postCap('<alert/>', operator, 'application/json')).status).toBe(400);
    expect((await postCap(Buffer.alloc(2 * 1024 * 1024, 'a'))).status).toBe(413);

    const sent = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, '+00:00');
    const alert = (msgType: string, identifier: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier><sender>qxj@520628.example</sender><sent>${sent}</sent>
  <status>Exercise</status><msgType>${msgType}</msgType><scope>Public</scope>${extra}
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>${expires}</expires><headline>盘石镇暴雨橙色预警</headline><description>未来三小时有大暴雨。</description><instruction>请远离河道。</instruction>
    <area><areaDesc>盘石镇</areaDesc><geocode><valueName>GB/T 2260</valueName><value>${PANSHI}</value></geocode></area></info>
</alert>`;
    const imported = await postCap(alert('Alert', 'QXJ-1'));
    expect(imported.status).toBe(201);
    const created = ((await imported.json()) as any).emergency;
    expect(created).toMatchObject({
      status: 'draft',
      drill: true,
      level: 1,
      regionCodes: [PANSHI],
      title: '盘石镇暴雨橙色预警',
      text: expect.stringContaining('请远离河道'),
    });

    const exported = await fetch(`${t.url}/api/v1/emergencies/${created.id}/cap`, {
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(exported.headers.get('content-type')).toMatch(/^application\/cap\+xml/);
    const xml = await exported.text();
    expect(xml).toContain(`<identifier>dalaba-${created.id}</identifier>`);
    expect(xml).toContain('<status>Exercise</status>');
    expect(xml).toContain(`<value>${PANSHI}</value>`);

    const cancel = await postCap(
      alert('Cancel', 'QXJ-2', `<references>qxj@520628.example,QXJ-1,${sent}</references>`).replace(
        /<info>[\s\S]*<\/info>/,
        '',
      ),
    );
    expect(cancel.status).toBe(201);
    expect((await cancel.json()) as any).toMatchObject({
      action: 'cancel',
      emergency: { id: created.id, status: 'cancelled' },
    });
    // An Update replaces the alert it references once it is approved: devices hear the old one cancelled and the new one.
    const stream = await EventStream.open(`${t.url}/api/v1/device/events`, other.token);
    try {
      const first = ((await (await postCap(alert('Alert', 'QXJ-10'))).json()) as any).emergency;
      // Its audio is spoken from the CAP text first; until then approval is refused (409).
      await settled(t, operator, first.mediaId);
      expect((await t.api.post(`/api/v1/emergencies/${first.id}/approve`, undefined, { token: approver })).status).toBe(
        200,
      );
      await waitFor('the first alert', async () => eventsNamed(stream, 'emergency')[0]);
      const update = await postCap(
        alert('Update', 'QXJ-11', `<references>qxj@520628.example,QXJ-10,${sent}</references>`).replace(
          '大暴雨',
          '特大暴雨',
        ),
      );
      expect(update.status).toBe(201);
      const replacement = ((await update.json()) as any).emergency;
      expect(replacement).toMatchObject({
        status: 'draft',
        supersedesId: first.id,
        text: expect.stringContaining('特大暴雨'),
      });
      await settled(t, operator, replacement.mediaId);
      expect(
        (await t.api.post(`/api/v1/emergencies/${replacement.id}/approve`, undefined, { token: approver })).status,
      ).toBe(200);
      const told = await waitFor('the replacement', async () =>
        eventsNamed(stream, 'emergency').find((event) => JSON.parse(event.data).id === replacement.id),
      );
      expect(told).toBeDefined();
      await waitFor('the first to be superseded', async () =>
        (await t.api.get(`/api/v1/emergencies/${first.id}`, { token: operator })).body.status === 'superseded'
          ? true
          : undefined,
      );
      // The status is written before the cancellation is published, so the event may come a moment later.
      await waitFor(
        'the first to be cancelled on the stream',
        async () => eventsNamed(stream, 'emergency-cancelled')[0],
      );
      expect(eventsNamed(stream, 'emergency-cancelled').map((event) => JSON.parse(event.data).id)).toEqual([first.id]);
      const updateCap = await (
        await fetch(`${t.url}/api/v1/emergencies/${replacement.id}/cap`, {
          headers: { authorization: `Bearer ${operator}` },
        })
      ).text();
      expect(updateCap).toContain('<msgType>Update</msgType>');
      expect(updateCap).toContain(`dalaba-${first.id}`);
      expect((await t.api.post(`/api/v1/emergencies/${replacement.id}/cancel`, {}, { token: approver })).status).toBe(
        200,
      );
    } finally {
      stream.close();
    }

    const unknown = await postCap(
      alert('Cancel', 'QXJ-3', `<references>qxj@520628.example,NEVER-SENT,${sent}</references>`).replace(
        /<info>[\s\S]*<\/info>/,
        '',
      ),
    );
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as any).message).toMatch(/NEVER-SENT/);
  });
});
