import { VolunteerCodes } from '../src/auth/volunteer-codes';
import type { Role } from '../src/auth/domain/permissions';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  person as createPerson,
  SONGTAO,
} from './helpers/factories';

/**
 * Points redemption (积分兑换): a township's or county's catalogue, every
 * stock change in the ledger, and the counter where an operator scans the
 * code on a volunteer's phone: the stock and the points change together or
 * not at all.
 */
describe('points redemption: the catalogue and the counter', () => {
  let t: TestApp;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};
  const volunteers: Record<string, string> = {};
  let codes: VolunteerCodes;
  let towel: string;
  let flask: string;

  const api = (method: string, path: string, who: string, body?: unknown) =>
    t.api.request<any>(method, path, body, { token: users[who].token });
  const items = async (who: string, query = '') =>
    (await api('GET', `/api/v1/redemption-items${query}`, who)).body.items as any[];
  const stockOf = async (id: string) => (await items('county')).find((item) => item.id === id)?.stock;
  const pointsOf = async (name: string) =>
    (await api('GET', `/api/v1/points?region=${SONGTAO}`, 'county')).body.items.find((b: any) => b.name === name)
      .points as number;
  const ledger = async (kind: string) =>
    (await api('GET', `/api/v1/ledger?kind=${kind}&limit=1000`, 'county')).body.items as any[];
  const code = (name: string) => codes.issue(volunteers[name]).code;

  async function person(name: string, role: Role, scopeCode: string) {
    users[name] = await createPerson(t, admin, name, role, scopeCode);
  }

  /** Volunteers named at a completed hour-long session in a village: 60 points each at 60 an hour. */
  async function volunteersAt(village: string, names: string[], topicId: string) {
    const session = await api('POST', '/api/v1/lecture-sessions', 'county', {
      topicId,
      mode: 'onsite',
      regionCode: village,
      startsAt: new Date(Date.now() - 90 * 60_000).toISOString(),
      plannedMinutes: 60,
      lecturerIds: [users.lecturer.id],
    });
    expect(session.status).toBe(201);
    const done = await api('POST', `/api/v1/lecture-sessions/${session.body.id}/complete`, 'county', {
      attendance: 30,
      actualMinutes: 60,
      signIns: names,
    });
    expect(done.status).toBe(200);
  }

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    codes = t.app.get(VolunteerCodes);
    await importSongtao(t, admin);
    await person('county', 'operator', SONGTAO);
    await person('daxing', 'operator', DAXING);
    await person('panshi', 'operator', PANSHI);
    await person('lecturer', 'lecturer', SONGTAO);
    expect((await api('PUT', `/api/v1/regions/${SONGTAO}/points-rate`, 'county', { pointsPerHour: 60 })).status).toBe(
      200,
    );
    const topic = await api('POST', '/api/v1/topics', 'county', {
      countyCode: SONGTAO,
      title: '文明新风',
      category: 'customs',
    });
    await volunteersAt(DAXING_VILLAGE, ['李大姐', '王大哥', '张三'], topic.body.id);
    await volunteersAt(PANSHI_VILLAGE, ['赵四'], topic.body.id);
    for (const balance of (await api('GET', `/api/v1/points?region=${SONGTAO}`, 'county')).body.items)
      if (balance.holderType === 'volunteer') volunteers[balance.name] = balance.holderId;
    expect(Object.keys(volunteers).sort()).toEqual(['张三', '李大姐', '王大哥', '赵四'].sort());
  }, 60_000);
  afterAll(() => t.close());

  it('refuses a bad item, a village catalogue and a bad stock change with 400, and stores nothing', async () => {
    const good = { regionCode: DAXING, name: '毛巾', pointsPrice: 20, stock: 3 };
    for (const bad of [
      { ...good, pointsPrice: 0 },
      { ...good, stock: -1 },
      { ...good, name: '' },
      { ...good, name: '毛\u202e巾' },
      { ...good, colour: 'red' },
      { ...good, regionCode: DAXING_VILLAGE },
    ])
      expect((await api('POST', '/api/v1/redemption-items', 'daxing', bad)).status).toBe(400);
    expect(await items('county')).toEqual([]);
    expect(await ledger('goods_stocked')).toEqual([]);
  });

  it('keeps a catalogue per county or township in scope, every stock change a goods_stocked ledger entry', async () => {
    const created = await api('POST', '/api/v1/redemption-items', 'daxing', {
      regionCode: DAXING,
      name: '毛巾',
      description: '纯棉',
      pointsPrice: 20,
      stock: 3,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ regionName: '大兴街道', name: '毛巾', stock: 3, retiredAt: null });
    towel = created.body.id;
    expect(
      (
        await api('POST', '/api/v1/redemption-items', 'daxing', {
          regionCode: DAXING,
          name: '毛巾',
          pointsPrice: 5,
          stock: 1,
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await api('POST', '/api/v1/redemption-items', 'panshi', {
          regionCode: DAXING,
          name: '肥皂',
          pointsPrice: 5,
          stock: 1,
        })
      ).status,
    ).toBe(403);
    expect((await api('GET', '/api/v1/redemption-items', 'lecturer')).status).toBe(403);
    flask = (
      await api('POST', '/api/v1/redemption-items', 'county', {
        regionCode: SONGTAO,
        name: '保温杯',
        pointsPrice: 50,
        stock: 0,
      })
    ).body.id;

    const patch = (who: string, id: string, body: unknown) => api('PATCH', `/api/v1/redemption-items/${id}`, who, body);
    for (const bad of [{}, { stock: 2, stockChange: 1 }, { stockChange: 0 }, { stock: -1 }, { pointsPrice: 0 }])
      expect((await patch('daxing', towel, bad)).status).toBe(400);
    expect((await patch('daxing', towel, { stockChange: -4 })).status).toBe(409);
    expect((await patch('panshi', towel, { stockChange: 1 })).status).toBe(403);
    expect((await patch('daxing', flask, { stockChange: 1 })).status).toBe(403);
    expect(await stockOf(towel)).toBe(3);
    expect((await patch('daxing', towel, { stockChange: 2 })).body.stock).toBe(5);
    expect((await patch('county', flask, { stock: 1, pointsPrice: 55 })).body).toMatchObject({
      stock: 1,
      pointsPrice: 55,
    });
    // A price alone is recorded too (no stock moved); a description is not a ledger matter.
    expect((await patch('county', flask, { pointsPrice: 50 })).status).toBe(200);
    expect((await patch('daxing', towel, { description: null })).body.description).toBeNull();

    expect((await ledger('goods_stocked')).map((entry) => entry.payload)).toEqual([
      { itemId: towel, name: '毛巾', change: 3, stock: 3, pointsPrice: 20 },
      { itemId: flask, name: '保温杯', change: 0, stock: 0, pointsPrice: 50 },
      { itemId: towel, name: '毛巾', change: 2, stock: 5, pointsPrice: 20 },
      { itemId: flask, name: '保温杯', change: 1, stock: 1, pointsPrice: 55 },
      { itemId: flask, name: '保温杯', change: 0, stock: 1, pointsPrice: 50 },
    ]);
    // A township operator sees their township's catalogue, the county operator both.
    expect((await items('daxing')).map((item) => item.name)).toEqual(['毛巾']);
    expect((await items('county')).map((item) => item.name).sort()).toEqual(['保温杯', '毛巾'].sort());
  });

  it('refuses a forged, expired or malformed volunteer code with 400 saying so, and changes nothing', async () => {
    const valid = code('李大姐');
    const expired = codes.issue(volunteers['李大姐'], new Date(Date.now() - 11 * 60_000)).code;
    const forged = valid.slice(0, -2) + (valid.endsWith('A') ? 'BB' : 'AA');
    for (const volunteerCode of [expired, forged, 'not a code', `V1.${volunteers['李大姐']}.9999999999.x`]) {
      const refused = await api('POST', '/api/v1/redemptions', 'daxing', { itemId: towel, quantity: 1, volunteerCode });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/not valid or has expired/);
    }
    for (const bad of [
      { itemId: towel, quantity: 0, volunteerCode: valid },
      { itemId: towel, quantity: 1.5, volunteerCode: valid },
      { itemId: 'towel', quantity: 1, volunteerCode: valid },
      { itemId: towel, quantity: 1, volunteerCode: valid, points: 1 },
    ])
      expect((await api('POST', '/api/v1/redemptions', 'daxing', bad)).status).toBe(400);
    expect(await stockOf(towel)).toBe(5);
    expect(await pointsOf('李大姐')).toBe(60);
    expect(await ledger('points_redeemed')).toEqual([]);
  });

  it('shows the volunteer and the cost to confirm, then takes stock and points together with one ledger entry', async () => {
    const body = { itemId: towel, quantity: 2, volunteerCode: code('李大姐') };
    const check = await api('POST', '/api/v1/redemptions/check', 'daxing', body);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({
      volunteer: { name: '李大姐', regionCode: DAXING_VILLAGE, points: 60 },
      points: 40,
      enoughPoints: true,
      enoughStock: true,
    });
    expect(await stockOf(towel)).toBe(5);

    const done = await api('POST', '/api/v1/redemptions', 'daxing', body);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({
      volunteer: { name: '李大姐' },
      item: { name: '毛巾' },
      points: 40,
      pointsLeft: 20,
      stockLeft: 3,
    });
    const [entry] = await ledger('points_redeemed');
    expect(entry).toMatchObject({
      seq: done.body.ledgerSeq,
      regionCode: DAXING_VILLAGE,
      actor: { id: users.daxing.id },
      payload: {
        holderType: 'volunteer',
        holderId: volunteers['李大姐'],
        points: -40,
        balance: 20,
        item: { id: towel, name: '毛巾', quantity: 2, stockLeft: 3 },
      },
    });
  });

  it('takes neither when one of them is short: too few points leave the stock, too little stock leaves the points', async () => {
    // 李大姐 has 20 points left; two towels cost 40. The stock is taken first in the transaction, then rolled back.
    const poor = await api('POST', '/api/v1/redemptions', 'daxing', {
      itemId: towel,
      quantity: 2,
      volunteerCode: code('李大姐'),
    });
    expect(poor.status).toBe(409);
    expect(poor.body.message).toMatch(/李大姐 holds 20 points; 40 cannot be redeemed/);
    expect(await stockOf(towel)).toBe(3);
    expect(await pointsOf('李大姐')).toBe(20);

    const short = await api('POST', '/api/v1/redemptions', 'daxing', {
      itemId: towel,
      quantity: 4,
      volunteerCode: code('王大哥'),
    });
    expect(short.status).toBe(409);
    expect(short.body.message).toMatch(/only 3 of "毛巾" left/);
    expect(await pointsOf('王大哥')).toBe(60);
    expect(await stockOf(towel)).toBe(3);
    expect(await ledger('points_redeemed')).toHaveLength(1);
  });

  it("serves only the catalogue region's volunteers, within the operator's scope", async () => {
    // 赵四 is a volunteer of 盘石镇: not of 大兴街道's catalogue, wherever the counter.
    const elsewhere = { itemId: towel, quantity: 1, volunteerCode: code('赵四') };
    expect((await api('POST', '/api/v1/redemptions', 'daxing', elsewhere)).status).toBe(403);
    expect((await api('POST', '/api/v1/redemptions', 'county', elsewhere)).status).toBe(403);
    // The county's catalogue is for the whole county, but only a county operator's counter hands it out.
    expect(
      (
        await api('POST', '/api/v1/redemptions/check', 'panshi', {
          itemId: flask,
          quantity: 1,
          volunteerCode: code('赵四'),
        })
      ).status,
    ).toBe(403);
    expect(await pointsOf('赵四')).toBe(60);
  });

  it('gives the last one to exactly one of two volunteers redeeming it at the same moment', async () => {
    expect(await stockOf(flask)).toBe(1);
    const race = await Promise.all(
      ['王大哥', '张三'].map((name) =>
        api('POST', '/api/v1/redemptions', 'county', { itemId: flask, quantity: 1, volunteerCode: code(name) }),
      ),
    );
    expect(race.map((reply) => reply.status).sort()).toEqual([201, 409]);
    const winner = race.find((reply) => reply.status === 201)!.body.volunteer.name as string;
    const loser = winner === '王大哥' ? '张三' : '王大哥';
    expect(await stockOf(flask)).toBe(0);
    expect(await pointsOf(winner)).toBe(10);
    expect(await pointsOf(loser)).toBe(60);
    expect((await ledger('points_redeemed')).filter((entry) => entry.payload.item.id === flask)).toHaveLength(1);
  });

  it('refuses a retired item at the counter and keeps the ledger verifiable', async () => {
    expect((await api('PATCH', `/api/v1/redemption-items/${towel}`, 'daxing', { retired: true })).status).toBe(200);
    expect(await items('daxing')).toEqual([]);
    expect((await items('daxing', '?retired=true')).map((item) => item.name)).toEqual(['毛巾']);
    expect(
      (
        await api('POST', '/api/v1/redemptions', 'daxing', {
          itemId: towel,
          quantity: 1,
          volunteerCode: code('王大哥'),
        })
      ).status,
    ).toBe(409);
    expect((await api('GET', '/api/v1/ledger/verify', 'county')).body).toMatchObject({ ok: true });
  });
});
