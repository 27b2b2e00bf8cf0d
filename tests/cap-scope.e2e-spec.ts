import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type TestApp } from './helpers/app';
import { adminToken, importSongtao, PANSHI, REGIONS_DIR, userToken } from './helpers/factories';
import { settled } from './helpers/media';

// A second real county (武陵源区, Hunan) beside Songtao.
const WULINGYUAN = '430811000000';
const JUNDIPING = '430811001000'; // 军地坪街道

const SENDER = 'qxj@province.example';
const sent = () => new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
const expires = () => new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, '+00:00');

/** A CAP message from one upstream sender; `areas` are division codes, `references` identifiers it names. */
function cap(
  msgType: 'Alert' | 'Update' | 'Cancel',
  identifier: string,
  areas: string[],
  references: string[] = [],
): string {
  const refs = references.length
    ? `<references>${references.map((reference) => `${reference.includes(',') ? reference : `${SENDER},${reference}`},${sent()}`).join(' ')}</references>`
    : '';
  const info =
    msgType === 'Cancel'
      ? ''
      : `<info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>${expires()}</expires><headline>暴雨预警 ${identifier}</headline><description>未来三小时有大暴雨。</description>
    ${areas.map((code) => `<area><areaDesc>${code}</areaDesc><geocode><valueName>GB/T 2260</valueName><value>${code}</value></geocode></area>`).join('')}</info>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier><sender>${SENDER}</sender><sent>${sent()}</sent>
  <status>Exercise</status><msgType>${msgType}</msgType><scope>Public</scope>${refs}${info}
</alert>`;
}

describe('CAP imports are resolved within the importer’s scope (issue 13, point 1)', () => {
  let t: TestApp;
  const songtao = { operator: '', approver: '' };
  const wulingyuan = { operator: '', approver: '' };

  const postCap = async (xml: string, token: string) => {
    const reply = await fetch(`${t.url}/api/v1/emergencies/cap`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/cap+xml' },
      body: xml,
    });
    return { status: reply.status, body: (await reply.json()) as any };
  };
  const alert = async (id: string, token: string) => (await t.api.get(`/api/v1/emergencies/${id}`, { token })).body;
  const approve = async (county: typeof songtao, draft: { id: string; mediaId: string }) => {
    await settled(t, county.operator, draft.mediaId);
    return t.api.post(`/api/v1/emergencies/${draft.id}/approve`, undefined, { token: county.approver });
  };
  const listed = async (token: string) =>
    (await t.api.get('/api/v1/emergencies', { token })).body.items as Array<{
      id: string;
      capIdentifier: string | null;
    }>;

  beforeAll(async () => {
    t = await startApp({});
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    const imported = await t.api.post('/api/v1/regions/import', undefined, {
      token: admin,
      raw: readFileSync(join(REGIONS_DIR, 'wulingyuan.csv'), 'utf8'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    songtao.operator = await userToken(t, admin, 'operator', '520628000000');
    songtao.approver = await userToken(t, admin, 'approver', '520628000000');
    wulingyuan.operator = await userToken(t, admin, 'operator', WULINGYUAN);
    wulingyuan.approver = await userToken(t, admin, 'approver', WULINGYUAN);
  }, 60_000);
  afterAll(() => t.close());

  it('an Update or Cancel from another county naming a live alert is a reference it does not know (422), and the alert stays live', async () => {
    const original = await postCap(cap('Alert', 'QXJ-LIVE', [PANSHI]), songtao.operator);
    expect(original.status).toBe(201);
    expect((await approve(songtao, original.body.emergency)).status).toBe(200);
    const id = original.body.emergency.id;

    for (const reference of ['QXJ-LIVE', `dalaba@${'520628000000'},dalaba-${id}`]) {
      const update = await postCap(
        cap('Update', `WLY-UPDATE-${reference.length}`, [JUNDIPING], [reference]),
        wulingyuan.operator,
      );
      expect({ reference, status: update.status }).toEqual({ reference, status: 422 });
      expect(update.body.message).toMatch(/does not know/);
      const cancel = await postCap(
        cap('Cancel', `WLY-CANCEL-${reference.length}`, [], [reference]),
        wulingyuan.operator,
      );
      expect({ reference, status: cancel.status }).toEqual({ reference, status: 422 });
    }
    // Nothing was drafted in Wulingyuan, and Songtao's alert is untouched.
    expect(await listed(wulingyuan.operator)).toEqual([]);
    expect((await alert(id, songtao.operator)).status).toMatch(/^(approved|active)$/);
    const trail = (await t.api.get(`/api/v1/audit?entity=emergency&id=${id}`, { token: songtao.operator })).body
      .entries;
    expect(trail.map((entry: any) => entry.action)).not.toContain('superseded');
    expect(trail.map((entry: any) => entry.action)).not.toContain('cancelled');
    expect((await t.api.post(`/api/v1/emergencies/${id}/cancel`, {}, { token: songtao.approver })).status).toBe(200);
  }, 120_000);

  it('the same upstream alert, imported by both counties, becomes each county’s own alert; its Update and Cancel act in the importer’s county only', async () => {
    // The same identifier, each county's message naming its own areas (this was a 500 for the second county).
    expect((await postCap(cap('Alert', 'QXJ-SAME', [PANSHI]), songtao.operator)).status).toBe(201);
    expect((await postCap(cap('Alert', 'QXJ-SAME', [JUNDIPING]), wulingyuan.operator)).status).toBe(201);
    // One provincial message naming areas in both counties: each imports the part in its scope.
    const both = cap('Alert', 'QXJ-PROVINCE-1', [PANSHI, JUNDIPING]);
    const inSongtao = await postCap(both, songtao.operator);
    const inWulingyuan = await postCap(both, wulingyuan.operator);
    expect(inSongtao.status).toBe(201);
    expect(inWulingyuan.status).toBe(201);
    expect(inSongtao.body.emergency).toMatchObject({ regionCodes: [PANSHI], capIdentifier: 'QXJ-PROVINCE-1' });
    expect(inWulingyuan.body.emergency).toMatchObject({ regionCodes: [JUNDIPING], capIdentifier: 'QXJ-PROVINCE-1' });
    // Imported twice in one county: 409 naming the alert, never a 500.
    const again = await postCap(both, songtao.operator);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(inSongtao.body.emergency.id);

    const wlyAlert = inWulingyuan.body.emergency;
    expect((await approve(wulingyuan, wlyAlert)).status).toBe(200);

    // Songtao's Update replaces Songtao's alert only.
    const update = await postCap(
      cap('Update', 'QXJ-PROVINCE-2', [PANSHI, JUNDIPING], ['QXJ-PROVINCE-1']),
      songtao.operator,
    );
    expect(update.status).toBe(201);
    expect(update.body.emergency).toMatchObject({ supersedesId: inSongtao.body.emergency.id, regionCodes: [PANSHI] });
    expect((await approve(songtao, update.body.emergency)).status).toBe(200);
    expect((await alert(wlyAlert.id, wulingyuan.operator)).status).toMatch(/^(approved|active)$/);

    // Songtao's Cancel of the update cancels Songtao's; Wulingyuan's own Cancel cancels Wulingyuan's.
    const cancelled = await postCap(cap('Cancel', 'QXJ-PROVINCE-3', [], ['QXJ-PROVINCE-2']), songtao.operator);
    expect(cancelled.status).toBe(201);
    expect(cancelled.body.emergency).toMatchObject({ id: update.body.emergency.id, status: 'cancelled' });
    expect((await alert(wlyAlert.id, wulingyuan.operator)).status).toMatch(/^(approved|active)$/);
    const wlyCancel = await postCap(cap('Cancel', 'QXJ-PROVINCE-4', [], ['QXJ-PROVINCE-1']), wulingyuan.operator);
    expect(wlyCancel.status).toBe(201);
    expect(wlyCancel.body.emergency).toMatchObject({ id: wlyAlert.id, status: 'cancelled' });

    // An upstream alert with no area in the importer's scope is refused, saying so.
    const elsewhere = await postCap(cap('Alert', 'QXJ-PROVINCE-5', [PANSHI]), wulingyuan.operator);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toMatch(/scope/);
  }, 180_000);

  it('an Update naming one alert of its own county and one of another supersedes its own only', async () => {
    const own = await postCap(cap('Alert', 'QXJ-MIXED-1', [JUNDIPING]), wulingyuan.operator);
    const other = await postCap(cap('Alert', 'QXJ-MIXED-2', [PANSHI]), songtao.operator);
    expect([own.status, other.status]).toEqual([201, 201]);
    const update = await postCap(
      cap(
        'Update',
        'QXJ-MIXED-3',
        [JUNDIPING],
        [`dalaba@520628000000,dalaba-${other.body.emergency.id}`, 'QXJ-MIXED-2', 'QXJ-MIXED-1'],
      ),
      wulingyuan.operator,
    );
    expect(update.status).toBe(201);
    expect(update.body.emergency.supersedesId).toBe(own.body.emergency.id);
    // Another county's approver cannot approve it (its own county's can).
    await settled(t, wulingyuan.operator, update.body.emergency.mediaId);
    expect(
      (
        await t.api.post(`/api/v1/emergencies/${update.body.emergency.id}/approve`, undefined, {
          token: songtao.approver,
        })
      ).status,
    ).toBe(403);
    expect((await approve(wulingyuan, update.body.emergency)).status).toBe(200);
    expect((await alert(other.body.emergency.id, songtao.operator)).status).toBe('draft');
  }, 60_000);

  it('an Alert (not an Update) naming another alert in <references> is a new alert and replaces nothing', async () => {
    const live = await postCap(cap('Alert', 'QXJ-RELATED-1', [JUNDIPING]), wulingyuan.operator);
    const related = await postCap(cap('Alert', 'QXJ-RELATED-2', [JUNDIPING], ['QXJ-RELATED-1']), wulingyuan.operator);
    expect([live.status, related.status]).toEqual([201, 201]);
    expect(related.body).toMatchObject({ action: 'draft', emergency: { supersedesId: null } });
  }, 60_000);

  it('characters the database cannot store, anywhere in a CAP alert, are a 422 (never a 500); hidden ones are left out of the title and text', async () => {
    const rawCap = (identifier: string) => cap('Alert', identifier, [JUNDIPING]);
    for (const [where, xml] of [
      ['headline', rawCap('QXJ-NUL-1').replace('<headline>', '<headline>&#0;')],
      ['description', rawCap('QXJ-NUL-2').replace('<description>', '<description>&#xD800;')],
      ['identifier', rawCap('QXJ-NUL-3&#0;')],
      ['geocode', rawCap('QXJ-NUL-4').replace(`<value>${JUNDIPING}</value>`, `<value>${JUNDIPING}&#0;</value>`)],
    ]) {
      const imported = await postCap(xml, wulingyuan.operator);
      expect({ where, status: imported.status }).toEqual({ where, status: 422 });
    }
    const hidden = await postCap(
      rawCap('QXJ-BIDI-1')
        .replace('<headline>', '<headline>&#x202E;&#x200B;')
        .replace('<description>', '<description>&#x202E;&#x1;'),
      wulingyuan.operator,
    );
    expect(hidden.status).toBe(201);
    expect(hidden.body.emergency.title).toBe('暴雨预警 QXJ-BIDI-1');
    expect(hidden.body.emergency.text).toBe('未来三小时有大暴雨。');
    expect(await listed(wulingyuan.operator)).not.toContainEqual(
      expect.objectContaining({ capIdentifier: expect.stringMatching(/NUL/) }),
    );
  }, 60_000);
});
