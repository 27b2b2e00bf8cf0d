import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { dockCounty, startUpper } from './helpers/ebd';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  PANSHI,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { waitFor } from './helpers/processes';
import type { UpperPlatform } from '../src/sim/upper/upper-platform';

/** The read side of the docking: the exchange log, each loudspeaker's EBRID and position, an alert's EBM. */
describe('EBD log, terminal codes and positions', () => {
  let t: TestApp;
  let upper: UpperPlatform;
  let admin: string;
  let operator: string;
  let panshiOperator: string;

  beforeAll(async () => {
    upper = await startUpper();
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', SONGTAO);
    panshiOperator = await userToken(t, admin, 'operator', PANSHI);
  });
  afterAll(async () => {
    await t?.close();
    await upper?.close();
  });

  it('refuses a coordinate out of range, half a position or a stranger, and changes nothing', async () => {
    const { id } = await createEndpoint(t, operator, DAXING_VILLAGE, '白岩村口');
    const patch = (body: unknown, token = operator) =>
      t.api.request('PATCH', `/api/v1/endpoints/${id}`, body, { token });
    for (const body of [
      { longitude: 181, latitude: 27.9 },
      { longitude: 108.9, latitude: -90.5 },
      { longitude: 108.9, latitude: null },
      { longitude: 108.9 },
      { longitude: '108.9', latitude: '27.9' },
      { longitude: 108.9, latitude: 27.9, name: 'renamed' },
    ])
      expect((await patch(body)).status).toBe(400);
    expect((await patch({ longitude: 108.9, latitude: 27.9 }, panshiOperator)).status).toBe(403);
    const unchanged = await t.api.get(`/api/v1/endpoints/${id}`, { token: operator });
    expect(unchanged.body).toMatchObject({ name: '白岩村口', longitude: null, latitude: null });
    // Its terminal code: village level, 0314 大喇叭系统, subtype 04 终端, under the village's division code.
    expect(unchanged.body.ebrid).toMatch(new RegExp(`^6${DAXING_VILLAGE}0314\\d{2}04\\d{2}$`));
  });

  it('keeps a position an operator sets, and clears it with null', async () => {
    const { id } = await createEndpoint(t, operator, DAXING_VILLAGE, '学校');
    const placed = await t.api.request(
      'PATCH',
      `/api/v1/endpoints/${id}`,
      { longitude: 109.2023, latitude: 28.1641 },
      { token: operator },
    );
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ longitude: 109.2023, latitude: 28.1641 });
    const listed = await t.api.get(`/api/v1/endpoints?region=${DAXING}`, { token: operator });
    expect(listed.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({ latitude: 28.1641 });
    const cleared = await t.api.request(
      'PATCH',
      `/api/v1/endpoints/${id}`,
      { longitude: null, latitude: null },
      { token: operator },
    );
    expect(cleared.body).toMatchObject({ longitude: null, latitude: null });
  });

  it("lists a county's packages newest first without their bytes, filtered, and only to its own people", async () => {
    await dockCounty(t, admin, upper);
    const log = (query: string, token = operator) =>
      t.api.get(`/api/v1/ebd/links/${SONGTAO}/packages${query}`, { token });
    for (const query of ['?direction=sideways', '?limit=201', '?type=Nonsense', '?tar=1'])
      expect((await log(query)).status).toBe(400);
    expect((await log('', panshiOperator)).status).toBe(403);

    const heartbeat = await waitFor('a heartbeat the upper platform answered', async () => {
      const items = (await log('?direction=outbound&type=ConnectionCheck')).body.items;
      return items.find((item: { status: string }) => item.status === 'sent');
    });
    expect(heartbeat).toMatchObject({ direction: 'outbound', resultCode: 1, peerEbrid: upper.ebrid });
    expect(heartbeat.bytes).toBeGreaterThan(0);
    expect(heartbeat).not.toHaveProperty('tar');
    expect((await log('?direction=inbound')).body.items).toEqual([]);
  });

  it('lists the EBMs with their alert and reported state, and an alert shows the EBM it is', async () => {
    const drafted = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '山洪预警',
        level: 2,
        category: 'flood',
        regionCodes: [DAXING],
        text: '请注意，山洪预警演练。',
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        drill: true,
      },
      { token: operator },
    );
    expect(drafted.status).toBe(201);
    const alertId = drafted.body.id as string;
    expect(drafted.body.ebm).toBeNull();
    // As the receiving side records them: the EBM that became the alert, then the cancel that names it.
    await sql(
      t.database,
      `INSERT INTO ebd_message (id, county_code, ebm_id, direction, msg_type, emergency_id, reported_state, created_at)
       VALUES (gen_random_uuid(), $1, $2, 'inbound', 3, $3, 2, now() - interval '1 minute'),
              (gen_random_uuid(), $1, $4, 'inbound', 2, $3, NULL, now())`,
      [SONGTAO, '35206000000000101010101202612030001', alertId, '35206000000000101010101202612030002'],
    );
    const messages = await t.api.get(`/api/v1/ebd/links/${SONGTAO}/messages`, { token: operator });
    expect(messages.status).toBe(200);
    expect(messages.body.items).toMatchObject([
      { ebmId: '35206000000000101010101202612030002', msgType: 2, reportedState: null, reportedStateDesc: null },
      {
        ebmId: '35206000000000101010101202612030001',
        direction: 'inbound',
        msgType: 3,
        reportedState: 2,
        reportedStateDesc: '播发中',
        emergency: { id: alertId, title: '山洪预警', status: 'draft', level: 2, drill: true },
      },
    ]);
    const alert = await t.api.get(`/api/v1/emergencies/${alertId}`, { token: operator });
    expect(alert.body.ebm).toEqual({ ebmId: '35206000000000101010101202612030001', direction: 'inbound', msgType: 3 });
    expect((await t.api.get(`/api/v1/ebd/links/${SONGTAO}/messages`, { token: panshiOperator })).status).toBe(403);
  });
});
