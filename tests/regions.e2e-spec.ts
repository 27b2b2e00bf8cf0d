import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import {
  adminToken,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  PANSHI,
  SONGTAO,
  songtaoCsv,
  userToken,
} from './helpers/factories';

const csvHeaders = { 'content-type': 'text/csv' };

describe('region tree', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  it('imports the real Songtao county tree and counts it', async () => {
    expect(await importSongtao(t, admin)).toEqual({ rows: 551, created: 551, renamed: 0, unchanged: 0 });
    const county = await t.api.get(`/api/v1/regions/${SONGTAO}`, { token: admin });
    expect(county.status).toBe(200);
    expect(county.body).toMatchObject({
      code: SONGTAO,
      name: '松桃苗族自治县',
      level: 'county',
      parentCode: null,
      ancestors: [],
    });
    expect(county.body.children).toHaveLength(28);
    expect(county.body.counts).toEqual({ townships: 28, villages: 522, endpoints: 0 });
  });

  it('treats re-importing the same file as a no-op', async () => {
    expect(await importSongtao(t, admin)).toEqual({ rows: 551, created: 0, renamed: 0, unchanged: 551 });
    const [{ count }] = await sql<{ count: string }>(t.database, 'SELECT count(*) FROM region');
    expect(Number(count)).toBe(551);
  });

  it('shows a village with its ancestors and a township with its villages', async () => {
    const village = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}`, { token: admin });
    expect(village.body).toMatchObject({
      level: 'village',
      name: '白岩社区居民委员会',
      parentCode: DAXING,
      children: [],
    });
    expect(village.body.ancestors.map((a: { code: string }) => a.code)).toEqual([SONGTAO, DAXING]);
    const township = await t.api.get(`/api/v1/regions/${DAXING}`, { token: admin });
    expect(township.body.counts).toEqual({ townships: 0, villages: township.body.children.length, endpoints: 0 });
  });

  it('rejects the whole file with line numbers when any row is bad, writing nothing', async () => {
    const bad = [
      'code,name,level,parent_code',
      '520628999000,新镇,township,520628000000',
      '520628999001,新村,village,520628999000',
      '520628999002,重复村,village,520628999000',
      '520628999002,重复村,village,520628999000',
      '520628999003,无父村,village,520628998000',
      '520628999004,错级村,hamlet,520628999000',
      '520628999005,跳级村,village,520628000000',
    ].join('\n');
    const reply = await t.api.post('/api/v1/regions/import', undefined, {
      token: admin,
      raw: bad,
      headers: csvHeaders,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('Bad Request');
    expect(reply.body.details.map((d: { line: number }) => d.line)).toEqual([5, 6, 7, 8]);
    expect(reply.body.details[0].message).toContain('duplicate code 520628999002');
    expect(reply.body.details[1].message).toContain('parent 520628998000 is neither in the file nor stored');
    expect(reply.body.details[2].message).toContain('level "hamlet"');
    expect(reply.body.details[3].message).toContain('must be under a township');
    const written = await sql(t.database, "SELECT code FROM region WHERE code LIKE '520628999%'");
    expect(written).toEqual([]);
  });

  it('refuses a body that is not CSV, and bad codes, in the one error shape', async () => {
    const json = await t.api.post('/api/v1/regions/import', { code: SONGTAO }, { token: admin });
    expect(json.status).toBe(415);
    expect(json.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    const xml = await t.api.post('/api/v1/regions/import', undefined, {
      token: admin,
      raw: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    const badCode = await t.api.get('/api/v1/regions/52062', { token: admin });
    expect(badCode.status).toBe(400);
    expect(badCode.body.details[0].path).toBe('path.code');
    const missing = await t.api.get('/api/v1/regions/520628999999', { token: admin });
    expect(missing.status).toBe(404);
  });

  it('renames a region when only its name changed', async () => {
    const csv = songtaoCsv().replace('520628001001,白岩社区居民委员会', '520628001001,白岩社区');
    const reply = await t.api.post('/api/v1/regions/import', undefined, {
      token: admin,
      raw: csv,
      headers: csvHeaders,
    });
    expect(reply.body).toEqual({ rows: 551, created: 0, renamed: 1, unchanged: 550 });
    expect((await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}`, { token: admin })).body.name).toBe('白岩社区');
  });

  it('lets only admins import, and lists the roots of each scope', async () => {
    const operator = await userToken(t, admin, 'operator', DAXING);
    const refused = await t.api.post('/api/v1/regions/import', undefined, {
      token: operator,
      raw: songtaoCsv(),
      headers: csvHeaders,
    });
    expect(refused.status).toBe(403);
    expect((await t.api.get('/api/v1/regions', { token: operator })).body.items).toEqual([
      { code: DAXING, name: '大兴街道', level: 'township' },
    ]);
    expect(
      (await t.api.get('/api/v1/regions', { token: admin })).body.items.map((r: { code: string }) => r.code),
    ).toEqual([SONGTAO]);
    expect((await t.api.get(`/api/v1/regions/${PANSHI}`, { token: operator })).status).toBe(403);
  });

  it('lets a scoped admin import only inside their scope', async () => {
    const countyAdmin = await userToken(t, admin, 'admin', DAXING);
    const outside = 'code,name,level,parent_code\n520628101999,新村,village,520628101000\n';
    const reply = await t.api.post('/api/v1/regions/import', undefined, {
      token: countyAdmin,
      raw: outside,
      headers: csvHeaders,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([
      { path: 'line 2', line: 2, message: 'region 520628101999 is outside your scope' },
    ]);
    const inside = 'code,name,level,parent_code\n520628001999,新村,village,520628001000\n';
    expect(
      (await t.api.post('/api/v1/regions/import', undefined, { token: countyAdmin, raw: inside, headers: csvHeaders }))
        .body.created,
    ).toBe(1);
  });
});
