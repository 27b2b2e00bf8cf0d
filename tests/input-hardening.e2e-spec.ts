import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from './helpers/databases';
import { startApp, type TestApp } from './helpers/app';
import { adminToken, DAXING, DAXING_VILLAGE, importSongtao, login, SONGTAO } from './helpers/factories';

// Rows a refused request must not have added to.
const TABLES = [
  'region',
  'app_user',
  'endpoint',
  'media',
  'programme',
  'emergency',
  'topic',
  'lecture_team',
  'lecture_order',
  'lecture_session',
  'ledger_entry',
  'audit_entry',
];

/**
 * Input the database cannot store, or that would mislead whoever reads it:
 * NUL characters, JSON nested thousands deep, broken multipart bodies, and
 * names and titles carrying bidirectional overrides or invisible characters.
 * Each is a 400 (or 413/415) in the one error shape, naming the field, and
 * leaves nothing behind; ordinary Chinese text and emoji still work.
 */
describe('input the service cannot store or show', () => {
  let t: TestApp;
  let admin: string;
  let operator: string;
  let topicId: string;

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (table) => [
          table,
          Number((await sql<{ n: string }>(t.database, `select count(*) as n from ${table}`))[0].n),
        ]),
      ),
    );
  const api = (method: string, path: string, body?: unknown, token = operator) =>
    t.api.request<any>(method, path, body, { token });
  const raw = (method: string, path: string, payload: string, contentType: string, token = operator) =>
    t.api.request<any>(method, path, undefined, { token, raw: payload, headers: { 'content-type': contentType } });

  /** Runs a request that must be refused with the status (and, when given, the field), and checks nothing was written. */
  async function refused(request: () => Promise<{ status: number; body: any }>, status: number, field?: string) {
    const before = await counts();
    const reply = await request();
    expect({ status: reply.status, error: typeof reply.body?.error, message: typeof reply.body?.message }).toEqual({
      status,
      error: 'string',
      message: 'string',
    });
    if (field) expect(reply.body.details?.map((detail: { path: string }) => detail.path)).toContain(field);
    expect(await counts()).toEqual(before);
    return reply.body;
  }

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    expect(
      (
        await t.api.post(
          '/api/v1/users',
          { username: 'county-op', password: 'county-op-password', role: 'operator', scopeCode: SONGTAO },
          { token: admin },
        )
      ).status,
    ).toBe(201);
    operator = await login(t, 'county-op', 'county-op-password');
    topicId = (await api('POST', '/api/v1/topics', { countyCode: SONGTAO, title: '移风易俗', category: 'customs' }))
      .body.id;
  }, 60_000);
  afterAll(() => t.close());

  describe('NUL characters', () => {
    it('refuses a NUL in a JSON body field with 400 naming the field, on every kind of route', async () => {
      await refused(
        () => api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '村委会\u0000门口' }),
        400,
        'body.name',
      );
      await refused(
        () =>
          api(
            'POST',
            '/api/v1/users',
            {
              username: 'nul-user',
              password: 'a-long-password',
              role: 'operator',
              scopeCode: DAXING,
              displayName: '张\u0000三',
            },
            admin,
          ),
        400,
        'body.displayName',
      );
      await refused(
        () =>
          api('POST', '/api/v1/programmes', {
            title: '节目\u0000',
            category: 'policy',
            segments: ['00000000-0000-4000-8000-000000000000'],
          }),
        400,
        'body.title',
      );
      await refused(() => api('POST', '/api/v1/media/tts', { text: '请注意\u0000防汛' }), 400, 'body.text');
      await refused(
        () =>
          api('POST', '/api/v1/emergencies', {
            title: '暴雨\u0000',
            level: 2,
            category: 'flood',
            regionCodes: [DAXING],
            text: '请注意',
            expiresAt: new Date(Date.now() + 3600_000).toISOString(),
            drill: true,
          }),
        400,
        'body.title',
      );
      await refused(
        () => api('POST', '/api/v1/orders', { topicId, regionCode: DAXING_VILLAGE, notes: '想听\u0000' }),
        400,
        'body.notes',
      );
      await refused(
        () => api('POST', '/api/v1/auth/login', { username: 'ad\u0000min', password: 'whatever' }, ''),
        400,
        'body.username',
      );
    });

    it('refuses a NUL in a key or deep inside a body, where no field rule looks', async () => {
      await refused(
        () => api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '门口', 'x\u0000': 1 }),
        400,
      );
      await refused(
        () =>
          raw(
            'POST',
            '/api/v1/orders',
            `{"topicId":"${topicId}","regionCode":"${DAXING_VILLAGE}","notes":"a\\u0000b"}`,
            'application/json',
          ),
        400,
        'body.notes',
      );
    });

    it('refuses a NUL in a query string or a path parameter with 400', async () => {
      await refused(() => api('GET', '/api/v1/endpoints?region=%00'), 400);
      await refused(() => api('GET', `/api/v1/endpoints?region=${DAXING}%00`), 400);
      await refused(() => api('GET', `/api/v1/reports?region=${SONGTAO}&period=2026%00`), 400);
      await refused(() => api('GET', '/api/v1/orders?status=ordered%00'), 400);
      await refused(() => api('GET', '/api/v1/regions/%00'), 400);
      await refused(() => api('GET', `/api/v1/regions/${SONGTAO}%00`), 400);
      await refused(() => api('GET', '/api/v1/endpoints/%00'), 400);
      await refused(() => api('GET', '/api/v1/media/a%00b'), 400);
      await refused(() => api('POST', '/api/v1/orders/%00/cancel'), 400);
    });
  });

  describe('deep JSON', () => {
    const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

    it('refuses JSON nested 10,000 deep with 400, whether or not the route reads a body', async () => {
      await refused(
        () =>
          raw(
            'POST',
            '/api/v1/endpoints',
            `{"regionCode":"${DAXING_VILLAGE}","name":${deep(10_000)}}`,
            'application/json',
          ),
        400,
      );
      await refused(
        () =>
          raw(
            'POST',
            '/api/v1/ledger/1/corrections',
            `{"reason":"x","changes":{"comment":${deep(10_000)}}}`,
            'application/json',
          ),
        400,
      );
      await refused(
        () =>
          raw(
            'POST',
            '/api/v1/auth/login',
            `{"username":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
            'application/json',
            '',
          ),
        400,
      );
      await refused(
        () =>
          raw('POST', '/api/v1/orders/00000000-0000-4000-8000-000000000000/accept', deep(10_000), 'application/json'),
        400,
      );
    });

    it('still reads the ordinary nesting of a real body', async () => {
      const reply = await api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '村委会门口' });
      expect(reply.status).toBe(201);
    });
  });

  describe('broken multipart uploads', () => {
    const boundary = 'dalaba-test-boundary';
    const filePart = (bytes = 'ID3 not really audio') =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n${bytes}\r\n`;
    const upload = (payload: string, contentType = `multipart/form-data; boundary=${boundary}`) =>
      raw('POST', '/api/v1/media', payload, contentType);
    const incoming = () => {
      try {
        return readdirSync(join(t.config.mediaDir, '.incoming'));
      } catch {
        return [];
      }
    };

    it('answers 400 for a truncated part, a wrong or missing boundary, a part without headers and a missing file part, leaving no file behind', async () => {
      await refused(() => upload(filePart().slice(0, -10)), 400);
      await refused(
        () => upload(`${filePart()}--${boundary}--\r\n`, 'multipart/form-data; boundary=another-boundary'),
        400,
      );
      await refused(() => upload(`${filePart()}--${boundary}--\r\n`, 'multipart/form-data'), 400);
      await refused(() => upload(`--${boundary}\r\n\r\nno headers at all\r\n--${boundary}--\r\n`), 400);
      await refused(
        () =>
          upload(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n标题\r\n--${boundary}--\r\n`),
        400,
        'body.file',
      );
      await refused(
        () =>
          upload(
            `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n标题\u0000\r\n${filePart()}--${boundary}--\r\n`,
          ),
        400,
        'body.title',
      );
      await refused(
        () =>
          upload(
            `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n标题\u202e3pm.exe\r\n${filePart()}--${boundary}--\r\n`,
          ),
        400,
        'body.title',
      );
      await refused(() => upload('garbage that is no multipart body'), 400);
      expect(incoming()).toEqual([]);
    });

    it('leaves hidden characters out of a title taken from the file name or the text', async () => {
      const fileName = encodeURIComponent('通知\u202egpj.exe.mp3');
      const uploaded = await upload(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${fileName}\r\nContent-Type: audio/mpeg\r\n\r\nID3 not really audio\r\n--${boundary}--\r\n`,
      );
      expect(uploaded.status).toBe(202);
      expect(uploaded.body.title).toBe('通知gpj.exe');
      const spoken = await api('POST', '/api/v1/media/tts', { text: '第一行\n第二行' });
      expect(spoken.status).toBe(202);
      expect(spoken.body.title).toBe('第一行 第二行');
    });

    it('answers 415 for a body that is not multipart at all', async () => {
      await refused(() => upload(filePart(), 'text/plain'), 415);
      await refused(() => upload('{"file":"x"}', 'application/json'), 415);
    });
  });

  describe('names and titles that reach devices, consoles and reports', () => {
    const RLO = '\u202e';
    it('refuses bidirectional overrides, isolates, zero-width and control characters with 400 naming the field', async () => {
      await refused(
        () => api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: `村委会${RLO}口门` }),
        400,
        'body.name',
      );
      await refused(
        () => api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '村委\u2066会\u2069' }),
        400,
        'body.name',
      );
      await refused(
        () => api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '村委\u200b会' }),
        400,
        'body.name',
      );
      await refused(
        () => api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '村委会\n门口' }),
        400,
        'body.name',
      );
      await refused(
        () => api('POST', '/api/v1/topics', { countyCode: SONGTAO, title: '移风\ufeff易俗', category: 'customs' }),
        400,
        'body.title',
      );
      await refused(
        () =>
          api('POST', '/api/v1/topics', {
            countyCode: SONGTAO,
            title: '移风易俗',
            summary: '响\u0007铃',
            category: 'customs',
          }),
        400,
        'body.summary',
      );
      await refused(
        () =>
          api(
            'POST',
            '/api/v1/users',
            {
              username: 'bidi-user',
              password: 'a-long-password',
              role: 'operator',
              scopeCode: DAXING,
              displayName: `王${RLO}五`,
            },
            admin,
          ),
        400,
        'body.displayName',
      );
      await refused(
        () =>
          api('POST', '/api/v1/programmes', {
            title: '节目\u200f',
            category: 'policy',
            segments: ['00000000-0000-4000-8000-000000000000'],
          }),
        400,
        'body.title',
      );
      await refused(
        () => api('POST', '/api/v1/media/tts', { text: '请注意防汛', title: `通知${RLO}` }),
        400,
        'body.title',
      );
      await refused(
        () => api('POST', '/api/v1/orders', { topicId, regionCode: DAXING_VILLAGE, notes: `想听${RLO}听` }),
        400,
        'body.notes',
      );
      await refused(
        () =>
          api('POST', '/api/v1/teams', {
            name: '宣讲\u2060团',
            regionCode: DAXING,
            members: [{ userId: '00000000-0000-4000-8000-000000000000' }],
          }),
        400,
        'body.name',
      );
      await refused(
        () =>
          api('POST', '/api/v1/emergencies', {
            title: `暴雨${RLO}`,
            level: 2,
            category: 'flood',
            regionCodes: [DAXING],
            text: '请注意',
            expiresAt: new Date(Date.now() + 3600_000).toISOString(),
            drill: true,
          }),
        400,
        'body.title',
      );
      const body = await refused(
        () => api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: `村委会${RLO}口门` }),
        400,
        'body.name',
      );
      expect(body.message).toMatch(/U\+202E/);
    });

    it('refuses a region name with a bidirectional override in the CSV import, naming the line', async () => {
      const csv = `code,name,level,parent_code\n520628001099,新${RLO}村,village,${DAXING}\n`;
      const body = await refused(() => raw('POST', '/api/v1/regions/import', csv, 'text/csv', admin), 400);
      expect(body.details).toEqual([expect.objectContaining({ line: 2 })]);
    });

    it('keeps ordinary Chinese text, full-width punctuation, line breaks where text runs on, and emoji working', async () => {
      const name = '白岩村委会门口（东侧）：第一号喇叭📢';
      const created = await api('POST', '/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name });
      expect(created.status).toBe(201);
      expect(created.body.name).toBe(name);
      const notes = '想听听移风易俗，尤其是红白喜事简办。\n请周末来！👨‍👩‍👧 🏳️‍🌈';
      const order = await api('POST', '/api/v1/orders', { topicId, regionCode: DAXING_VILLAGE, notes });
      expect(order.status).toBe(201);
      expect(order.body.notes).toBe(notes);
      const topic = await api('POST', '/api/v1/topics', {
        countyCode: SONGTAO,
        title: '《村规民约》——问与答',
        summary: '第一讲：什么是村规民约？\n第二讲：怎样订？',
        category: 'village_rules',
      });
      expect(topic.status).toBe(201);
    });
  });
});
