import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { addDays, countyDate, countyInstant } from '../src/kernel/county-time';
import { SchedulingJobs } from '../src/scheduling/scheduling.jobs';
import { sql } from './helpers/databases';
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
import { audioFixture, settled, upload } from './helpers/media';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

const TOMORROW = addDays(countyDate(new Date()), 1);

describe('the 17:30 rundown, compiled playlists and the device protocol', () => {
  let t: TestApp;
  let county: string; // county operator
  let daxing: string; // township operator, 大兴
  let panshi: string; // township operator, 盘石
  let clip: { id: string; durationMs: number; sha256: string; url: string };
  let device: { endpointId: string; token: string };
  let otherDevice: { endpointId: string; token: string };

  const programme = async (token: string, title: string, segments: string[]) => {
    const reply = await t.api.post('/api/v1/programmes', { title, category: 'core_values', segments }, { token });
    expect(reply.status).toBe(201);
    return reply.body as { id: string; durationMs: number };
  };
  const schedule = (token: string, body: Record<string, unknown>) =>
    t.api.post('/api/v1/broadcasts', { date: TOMORROW, ...body }, { token });
  const playlist = (token: string, etag?: string) =>
    fetch(`${t.url}/api/v1/device/playlist?date=${TOMORROW}`, {
      headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) },
    });
  const currentVersion = async (token: string) =>
    ((await (await playlist(token)).json()) as { version: string }).version;

  beforeAll(async () => {
    t = await startApp({ DEVICE_EVENTS_HEARTBEAT_SECONDS: '1' });
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    county = await userToken(t, admin, 'operator', SONGTAO);
    daxing = await userToken(t, admin, 'operator', DAXING);
    panshi = await userToken(t, admin, 'operator', PANSHI);
    const uploaded = await upload(t, county, audioFixture('announcement-cmn.wav'));
    clip = await settled(t, county, uploaded.body.id);
    device = await enroll(t, (await createEndpoint(t, daxing, DAXING_VILLAGE)).enrollmentCode, 'SN-DX-1');
    otherDevice = await enroll(t, (await createEndpoint(t, panshi, PANSHI_VILLAGE)).enrollmentCode, 'SN-PS-1');
  });
  afterAll(() => t.close());

  describe('programmes', () => {
    it('last as long as their segments, and take only ready media', async () => {
      const made = await programme(county, '社会主义核心价值观', [clip.id, clip.id]);
      expect(made.durationMs).toBe(2 * clip.durationMs);
      const pending = await t.api.post('/api/v1/media/tts', { text: '还没有准备好的节目。' }, { token: county });
      const refused = await t.api.post(
        '/api/v1/programmes',
        { title: '未完成', category: 'policy', segments: [pending.body.id] },
        { token: county },
      );
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/not ready to air/);
      expect(
        (
          await t.api.post(
            '/api/v1/programmes',
            { title: 'x', category: 'policy', segments: [randomUUID()] },
            { token: county },
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await t.api.post(
            '/api/v1/programmes',
            { title: 'x', category: 'opera', segments: [clip.id] },
            { token: county },
          )
        ).status,
      ).toBe(400);
      // County media is not a township operator's to use.
      expect(
        (
          await t.api.post(
            '/api/v1/programmes',
            { title: 'x', category: 'policy', segments: [clip.id] },
            { token: daxing },
          )
        ).status,
      ).toBe(403);
    });
  });

  describe('the rundown rule', () => {
    it('airs county, then township, then village entries, back to back from 17:30', async () => {
      const news = await programme(county, '县新闻', [clip.id]);
      const rules = await programme(county, '村规民约', [clip.id]);
      const local = await programme(county, '大兴通知', [clip.id]);
      // Made in the reverse of airing order, so order comes from the rule, not from when they were made.
      expect((await schedule(county, { programmeId: local.id, regionCodes: [DAXING_VILLAGE] })).status).toBe(201);
      expect((await schedule(county, { programmeId: rules.id, regionCodes: [DAXING] })).status).toBe(201);
      expect((await schedule(county, { programmeId: news.id, regionCodes: [SONGTAO] })).status).toBe(201);

      const rundown = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${TOMORROW}`, { token: daxing });
      expect(rundown.status).toBe(200);
      expect(rundown.body.slot).toMatchObject({
        name: 'evening',
        start: '17:30',
        windowMinutes: 30,
        startsAt: `${TOMORROW}T17:30:00+08:00`,
      });
      expect(rundown.body.items.map((item: any) => [item.title, item.level])).toEqual([
        ['县新闻', 'county'],
        ['村规民约', 'township'],
        ['大兴通知', 'village'],
      ]);
      expect(Date.parse(rundown.body.items[1].startsAt) - Date.parse(rundown.body.items[0].startsAt)).toBe(
        clip.durationMs,
      );
      expect(Date.parse(rundown.body.items[2].startsAt) - Date.parse(rundown.body.items[1].startsAt)).toBe(
        clip.durationMs,
      );
      expect(rundown.body.totalMs).toBe(3 * clip.durationMs);
      expect(rundown.body.remainingMs).toBe(30 * 60_000 - 3 * clip.durationMs);

      const next = await t.api.get(`/api/v1/regions/${PANSHI_VILLAGE}/rundown?date=${TOMORROW}`, { token: panshi });
      expect(next.body.items.map((item: any) => item.title)).toEqual(['县新闻']);
    });

    it('refuses, naming regions, dates and seconds over, a change that would overflow the window', async () => {
      // 30 minutes of one clip repeated, at township level: over for 大兴 and everything under it.
      const segments = Array.from({ length: Math.ceil((30 * 60_000) / clip.durationMs) }, () => clip.id);
      const long = await programme(county, '长节目', segments);
      const refused = await schedule(county, { programmeId: long.id, regionCodes: [DAXING] });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/overflow the evening slot's 30-minute window/);
      // Named at the township, the top of the chain that overflows: county news + township rules + this.
      const over = (long.durationMs + 2 * clip.durationMs - 30 * 60_000) / 1000;
      expect(refused.body.details).toEqual([
        {
          path: `${DAXING}@${TOMORROW}`,
          message: `${Math.ceil(over)} s over the window`,
          regionCode: DAXING,
          date: TOMORROW,
          overSeconds: Math.ceil(over),
        },
      ]);
      const rundown = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${TOMORROW}`, { token: daxing });
      expect(rundown.body.items).toHaveLength(3);

      // The dry run answers the same question without saving, so the console can say it before offering to save.
      const check = (token: string, body: Record<string, unknown>) =>
        t.api.post('/api/v1/broadcasts/check', { date: TOMORROW, ...body }, { token });
      const saved = async () => (await t.api.get(`/api/v1/broadcasts?region=${SONGTAO}`, { token: county })).body.items;
      const before = await saved();
      const dry = await check(county, { programmeId: long.id, regionCodes: [DAXING] });
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({
        fits: false,
        overflows: [{ regionCode: DAXING, date: TOMORROW, overSeconds: Math.ceil(over) }],
      });
      expect(
        (
          await check(county, {
            programmeId: long.id,
            regionCodes: [PANSHI],
            recurrence: 'FREQ=DAILY',
            startDate: TOMORROW,
            date: undefined,
          })
        ).body.overflows[0],
      ).toMatchObject({ regionCode: PANSHI, date: TOMORROW });
      const short = await programme(county, '短通知', [clip.id]);
      expect((await check(county, { programmeId: short.id, regionCodes: [PANSHI_VILLAGE] })).body).toEqual({
        fits: true,
        overflows: [],
      });
      expect((await check(daxing, { programmeId: long.id, regionCodes: [PANSHI_VILLAGE] })).status).toBe(403);
      expect(await saved()).toEqual(before);

      // A daily recurrence is checked on every date it would air: it overflows from tomorrow on, where the others add up.
      const daily = await t.api.post(
        '/api/v1/broadcasts',
        { programmeId: long.id, regionCodes: [PANSHI_VILLAGE], recurrence: 'FREQ=DAILY', startDate: TOMORROW },
        { token: county },
      );
      expect(daily.status).toBe(409);
      expect(daily.body.details[0]).toMatchObject({ regionCode: PANSHI_VILLAGE, date: TOMORROW });
    });

    it('refuses what a user may not schedule, and dates that have passed', async () => {
      const news = await programme(county, '县新闻二', [clip.id]);
      expect((await schedule(daxing, { programmeId: news.id, regionCodes: [DAXING_VILLAGE] })).status).toBe(403); // the programme is the county's
      const own = await upload(t, daxing, audioFixture('loud-stereo-48k.flac'));
      const mine = await programme(daxing, '大兴自办', [(await settled(t, daxing, own.body.id)).id]);
      expect((await schedule(daxing, { programmeId: mine.id, regionCodes: [PANSHI_VILLAGE] })).status).toBe(403);
      expect(
        (await schedule(daxing, { programmeId: mine.id, regionCodes: [DAXING_VILLAGE], date: '2020-01-01' })).status,
      ).toBe(400);
      expect(
        (
          await schedule(county, {
            programmeId: news.id,
            regionCodes: [DAXING_VILLAGE],
            date: undefined,
            recurrence: 'FREQ=MONTHLY',
          })
        ).body.message,
      ).toBe('recurrence: FREQ must be DAILY or WEEKLY');
      expect(
        (await schedule(daxing, { programmeId: mine.id, regionCodes: [DAXING_VILLAGE], recurrence: 'FREQ=DAILY' }))
          .status,
      ).toBe(400); // both date and recurrence
    });

    it('lets a township operator move, extend and cancel its own broadcasts', async () => {
      const own = await upload(t, daxing, audioFixture('loud-stereo-48k.flac'));
      const mine = await programme(daxing, '大兴每周', [(await settled(t, daxing, own.body.id)).id]);
      const weekly = await t.api.post(
        '/api/v1/broadcasts',
        {
          programmeId: mine.id,
          regionCodes: [DAXING_VILLAGE],
          recurrence: 'FREQ=DAILY',
          startDate: TOMORROW,
          until: TOMORROW,
        },
        { token: daxing },
      );
      expect(weekly.status).toBe(201);
      expect(weekly.body).toMatchObject({ recurrence: 'FREQ=DAILY', until: TOMORROW, startDate: TOMORROW });
      const moved = await t.api.request(
        'PATCH',
        `/api/v1/broadcasts/${weekly.body.id}`,
        { position: 0, until: addDays(TOMORROW, 6) },
        { token: daxing },
      );
      expect(moved.status).toBe(200);
      const rundown = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${addDays(TOMORROW, 3)}`, {
        token: daxing,
      });
      expect(rundown.body.items.map((item: any) => item.title)).toEqual(['大兴每周']);
      const first = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${TOMORROW}`, { token: daxing });
      expect(first.body.items.map((item: any) => item.title)).toEqual(['县新闻', '村规民约', '大兴每周', '大兴通知']);

      expect(
        (await t.api.request('DELETE', `/api/v1/broadcasts/${weekly.body.id}`, undefined, { token: panshi })).status,
      ).toBe(403);
      expect(
        (await t.api.request('DELETE', `/api/v1/broadcasts/${weekly.body.id}`, undefined, { token: daxing })).status,
      ).toBe(204);
      const after = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${TOMORROW}`, { token: daxing });
      expect(after.body.items.map((item: any) => item.title)).toEqual(['县新闻', '村规民约', '大兴通知']);
    });

    it('checks a shorter window against what is scheduled, and moves everything with a new start', async () => {
      const tight = await t.api.request(
        'PUT',
        `/api/v1/regions/${SONGTAO}/slots/evening`,
        { start: '17:30', windowMinutes: 1 },
        { token: county },
      );
      expect(tight.status).toBe(409);
      expect(
        (
          await t.api.request(
            'PUT',
            `/api/v1/regions/${DAXING}/slots/evening`,
            { start: '17:30', windowMinutes: 40 },
            { token: daxing },
          )
        ).status,
      ).toBe(400);
      const later = await t.api.request(
        'PUT',
        `/api/v1/regions/${SONGTAO}/slots/evening`,
        { start: '18:00', windowMinutes: 40 },
        { token: county },
      );
      expect(later.status).toBe(200);
      const rundown = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${TOMORROW}`, { token: daxing });
      expect(rundown.body.items[0].startsAt).toBe(`${TOMORROW}T18:00:00+08:00`);
      await t.api.request(
        'PUT',
        `/api/v1/regions/${SONGTAO}/slots/evening`,
        { start: '17:30', windowMinutes: 30 },
        { token: county },
      );
    });
  });

  describe('the device protocol', () => {
    it('gives each endpoint its own playlist, in county time, with a strong ETag', async () => {
      const reply = await waitFor('the compiled playlist', async () => {
        const response = await playlist(device.token);
        const body = (await response.json()) as any;
        return body.items.length === 3 && body.items[0].startsAt === `${TOMORROW}T17:30:00+08:00`
          ? { response, body }
          : undefined;
      });
      expect(reply.response.headers.get('etag')).toBe(`"${reply.body.version}"`);
      expect(reply.body).toMatchObject({ endpointId: device.endpointId, date: TOMORROW, timezone: 'Asia/Shanghai' });
      expect(reply.body.items[0]).toEqual({
        id: expect.stringMatching(new RegExp(`\\.${TOMORROW.replaceAll('-', '')}\\.0$`)),
        kind: 'scheduled',
        title: '县新闻',
        startsAt: `${TOMORROW}T17:30:00+08:00`,
        durationMs: clip.durationMs,
        priority: 10,
        media: { url: clip.url, sha256: clip.sha256, bytes: expect.any(Number), mime: 'audio/mpeg' },
      });
      const media = await fetch(t.url + reply.body.items[0].media.url);
      expect(media.status).toBe(200);

      const again = await playlist(device.token, `"${reply.body.version}"`);
      expect(again.status).toBe(304);
      const other = (await (await playlist(otherDevice.token)).json()) as any;
      expect(other.endpointId).toBe(otherDevice.endpointId);
      expect(other.items.map((item: any) => item.title)).toEqual(['县新闻']);
      // The route is answered ahead of Fastify (for speed); it keeps the request id, HEAD, and the one error shape.
      const traced = await fetch(`${t.url}/api/v1/device/playlist?date=${TOMORROW}`, {
        headers: { authorization: `Bearer ${device.token}`, 'x-request-id': 'village-poll-7' },
      });
      expect(traced.headers.get('x-request-id')).toBe('village-poll-7');
      const head = await fetch(`${t.url}/api/v1/device/playlist?date=${TOMORROW}`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${device.token}` },
      });
      expect({ status: head.status, etag: head.headers.get('etag'), body: await head.text() }).toEqual({
        status: 200,
        etag: `"${reply.body.version}"`,
        body: '',
      });
      const posted = await fetch(`${t.url}/api/v1/device/playlist`, {
        method: 'POST',
        headers: { authorization: `Bearer ${device.token}` },
      });
      expect(posted.status).toBe(404);
      expect(await posted.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const outside = await fetch(`${t.url}/api/v1/device/playlist?date=2020-01-01`, {
        headers: { authorization: `Bearer ${device.token}` },
      });
      expect(outside.status).toBe(400);
      const outsideBody = (await outside.json()) as any;
      expect(outsideBody).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/2020-01-01 is outside/),
        requestId: outside.headers.get('x-request-id'),
      });
      const twice = await fetch(`${t.url}/api/v1/device/playlist?date=${TOMORROW}&date=${TOMORROW}`, {
        headers: { authorization: `Bearer ${device.token}` },
      });
      expect(twice.status).toBe(400);
      expect(((await twice.json()) as any).details).toEqual([{ path: 'query.date', message: expect.any(String) }]);
      const forged = await fetch(`${t.url}/api/v1/device/playlist`, {
        headers: { authorization: 'Bearer not-a-token' },
      });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ statusCode: 401, message: 'Device token is invalid or revoked' });
      const user = await fetch(`${t.url}/api/v1/device/playlist`, { headers: { authorization: `Bearer ${county}` } });
      expect(user.status).toBe(401);
      expect((await fetch(`${t.url}/api/v1/device/playlist`)).status).toBe(401);
    });

    it('pushes playlist-changed to the endpoints a change reaches, and only to them', async () => {
      const before = await currentVersion(device.token);
      // The device holds this version: told so, from the answer prepared for it.
      const holding = await playlist(device.token, `"${before}"`);
      expect(holding.status).toBe(304);
      const stream = await EventStream.open(`${t.url}/api/v1/device/events`, device.token);
      const otherStream = await EventStream.open(`${t.url}/api/v1/device/events`, otherDevice.token);
      try {
        expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        await waitFor('the retry hint', async () => (stream.retry ? true : undefined));
        const extra = await programme(county, '大兴加播', [clip.id]);
        expect((await schedule(county, { programmeId: extra.id, regionCodes: [DAXING] })).status).toBe(201);
        const event = await waitFor('playlist-changed', async () =>
          stream.events.find((e) => e.event === 'playlist-changed' && JSON.parse(e.data).date === TOMORROW),
        );
        const { version } = JSON.parse(event.data);
        expect(version).not.toBe(before);
        // Still holding the old version, it is sent the new one in full, of the length announced.
        const stale = await playlist(device.token, `"${before}"`);
        const bytes = Buffer.from(await stale.arrayBuffer());
        expect({
          status: stale.status,
          etag: stale.headers.get('etag'),
          length: Number(stale.headers.get('content-length')),
        }).toEqual({ status: 200, etag: `"${version}"`, length: bytes.length });
        expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ endpointId: device.endpointId, version });
        expect((await playlist(device.token, `"${version}"`)).status).toBe(304);
        expect(await currentVersion(device.token)).toBe(version);
        expect(otherStream.events.filter((e) => JSON.parse(e.data).date === TOMORROW)).toEqual([]);

        // A device that reconnects says what it last saw, and hears what changed since.
        const missed = await EventStream.open(
          `${t.url}/api/v1/device/events`,
          device.token,
          String(Date.now() - 60_000),
        );
        await waitFor('the missed change', async () =>
          missed.events.some((e) => JSON.parse(e.data).version === version) ? true : undefined,
        );
        missed.close();
        // Heartbeat comments keep idle connections through proxies (every DEVICE_EVENTS_HEARTBEAT_SECONDS).
        await waitFor(
          'a heartbeat comment',
          async () => (stream.comments.includes('heartbeat') ? true : undefined),
          5_000,
        );
      } finally {
        stream.close();
        otherStream.close();
      }
    });

    it('counts a retried batch of receipts once', async () => {
      const { items } = (await (await playlist(device.token)).json()) as any;
      const receipts = items.map((item: any) => ({
        id: randomUUID(),
        itemId: item.id,
        startedAt: item.startsAt,
        endedAt: item.startsAt,
        outcome: 'played',
      }));
      receipts[1].outcome = 'failed';
      const first = await t.api.post('/api/v1/device/receipts', { receipts }, { token: device.token });
      expect(first.body).toEqual({ accepted: items.length, duplicates: 0 });
      const retried = await t.api.post('/api/v1/device/receipts', { receipts }, { token: device.token });
      expect(retried.body).toEqual({ accepted: 0, duplicates: items.length });
      expect(
        (
          await t.api.post(
            '/api/v1/device/receipts',
            { receipts: [{ ...receipts[0], outcome: 'lost' }] },
            { token: device.token },
          )
        ).status,
      ).toBe(400);
    });
  });

  describe('compiling', () => {
    it('recompiles only the subtree a change reaches', async () => {
      const compiledAt = async () =>
        new Map(
          (
            await sql<{ region_code: string; compiled_at: Date }>(
              t.database,
              `SELECT region_code, compiled_at FROM compiled_playlist WHERE date = $1`,
              [TOMORROW],
            )
          ).map((row) => [row.region_code, row.compiled_at.getTime()]),
        );
      // A full compile first, so every region of the county has a stored playlist.
      await t.app.get(SchedulingJobs).compile({ countyCode: SONGTAO, dates: [TOMORROW] });
      const before = await compiledAt();
      expect(before.size).toBe(551);
      const extra = await programme(county, '盘石加播', [clip.id]);
      expect((await schedule(county, { programmeId: extra.id, regionCodes: [PANSHI_VILLAGE] })).status).toBe(201);
      const after = await waitFor('the recompile', async () => {
        const now = await compiledAt();
        return now.get(PANSHI_VILLAGE) !== before.get(PANSHI_VILLAGE) ? now : undefined;
      });
      const recompiled = [...after].filter(([code, at]) => before.get(code) !== at).map(([code]) => code);
      expect(recompiled).toEqual([PANSHI_VILLAGE]);
    });

    it('compiles every county’s next three days each night, once however many processes fire the schedule', async () => {
      const jobs = t.app.get(SchedulingJobs);
      await sql(t.database, 'DELETE FROM compiled_playlist');
      await Promise.all([jobs.scheduleNightlyCompile(), jobs.scheduleNightlyCompile()]);
      const today = countyDate(new Date());
      const dates = [today, addDays(today, 1), addDays(today, 2)];
      await waitFor('the nightly compile', async () => {
        const [{ count }] = await sql<{ count: string }>(t.database, 'SELECT count(*) FROM compiled_playlist');
        return Number(count) === 551 * 3 ? true : undefined;
      });
      const rows = await sql<{ date: Date; regions: string }>(
        t.database,
        'SELECT date, count(*) AS regions FROM compiled_playlist GROUP BY date ORDER BY date',
      );
      expect(rows.map((row) => [row.date.toISOString().slice(0, 10), Number(row.regions)])).toEqual(
        dates.map((date) => [date, 551]),
      );
      const queue = new Queue('schedule', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
      try {
        expect(
          (await queue.getJobs(['completed'])).filter((job) => job.id?.startsWith('nightly-compile-')),
        ).toHaveLength(1);
      } finally {
        await queue.close();
      }
    });
  });

  describe('readiness and coverage', () => {
    it('names the endpoints that would not air on their own, and why', async () => {
      const { version, items } = (await (await playlist(device.token)).json()) as any;
      await t.api.post(
        '/api/v1/device/heartbeat',
        {
          volume: 80,
          held: { playlists: [{ date: TOMORROW, version }], media: items.map((i: any) => i.media.sha256) },
        },
        { token: device.token },
      );
      const readiness = await t.api.get(`/api/v1/regions/${SONGTAO}/readiness?date=${TOMORROW}`, { token: county });
      expect(readiness.status).toBe(200);
      expect(readiness.body).toMatchObject({ total: 2, ready: 1, notReady: 1 });
      // It fetched its playlist once, before 盘石加播 was added, and never sent a heartbeat.
      expect(readiness.body.endpoints).toEqual([
        {
          endpointId: otherDevice.endpointId,
          name: '村委会门口',
          regionCode: PANSHI_VILLAGE,
          reasons: ['offline', 'playlist-outdated', 'media-missing'],
        },
      ]);
      // The same counts per village, with its township, for the console to sum by township.
      const none = { offline: 0, 'playlist-not-fetched': 0, 'playlist-outdated': 0, 'media-missing': 0 };
      expect(readiness.body.regions).toEqual([
        { regionCode: DAXING_VILLAGE, townshipCode: DAXING, total: 1, ready: 1, byReason: none },
        {
          regionCode: PANSHI_VILLAGE,
          townshipCode: PANSHI,
          total: 1,
          ready: 0,
          byReason: { ...none, offline: 1, 'playlist-outdated': 1, 'media-missing': 1 },
        },
      ]);
      expect((await t.api.get(`/api/v1/regions/${SONGTAO}/readiness`, { token: daxing })).status).toBe(403);
    });

    it('checks readiness at 17:00 and reconciles at 18:30 through jobs whose results stay in the queue', async () => {
      const jobs = t.app.get(SchedulingJobs);
      await jobs.scheduleReadiness();
      // At 18:30 (the evening slot ended half an hour before) the day is reconciled.
      const today = countyDate(new Date());
      const queue = new Queue('schedule', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
      try {
        await jobs.scheduleReconciliation(countyInstant(today, 18 * 60 + 30));
        const readiness = await waitFor('the readiness job', async () => {
          const job = await queue.getJob(`readiness-${SONGTAO}-${today}`);
          return job?.returnvalue ? job.returnvalue : undefined;
        });
        expect(readiness).toMatchObject({ total: 2 });
        const reconciled = await waitFor('the reconciliation job', async () => {
          const job = await queue.getJob(`reconcile-${SONGTAO}-${today}`);
          return job?.returnvalue ? job.returnvalue : undefined;
        });
        // Nothing airs today in this file (its broadcasts are tomorrow's): no broadcast to record, and the on-air sessions' turn follows.
        expect(reconciled).toEqual({ broadcasts: [] });
        const civic = new Queue('civic', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
        try {
          await waitFor('the on-air sessions job', async () =>
            (await civic.getJobs(['completed'])).some(
              (job) => job.name === 'lectures.record-on-air' && job.data.date === today,
            )
              ? true
              : undefined,
          );
        } finally {
          await civic.close();
        }
        // At noon the next day, the day is reconciled once more for late receipts.
        await jobs.scheduleReconciliation(countyInstant(addDays(today, 1), 12 * 60));
        expect(await queue.getJob(`reconcile-late-${SONGTAO}-${today}`)).toBeDefined();
      } finally {
        await queue.close();
      }
    });

    it('reconciles what each endpoint played, failed or missed from receipts', async () => {
      const coverage = await t.api.get(`/api/v1/regions/${SONGTAO}/coverage?date=${TOMORROW}`, { token: county });
      expect(coverage.status).toBe(200);
      const news = coverage.body.items.find((item: any) => item.title === '县新闻');
      expect(news.totals).toEqual({ endpoints: 2, played: 1, failed: 0, interrupted: 0, missed: 1 });
      expect(news.regions).toEqual([
        {
          regionCode: DAXING_VILLAGE,
          endpoints: 1,
          played: 1,
          failed: 0,
          interrupted: 0,
          missed: 0,
          missedEndpoints: [],
        },
        {
          regionCode: PANSHI_VILLAGE,
          endpoints: 1,
          played: 0,
          failed: 0,
          interrupted: 0,
          missed: 1,
          missedEndpoints: [otherDevice.endpointId],
        },
      ]);
      const second = coverage.body.items.find((item: any) => item.title === '村规民约');
      expect(second.totals).toMatchObject({ endpoints: 1, failed: 1 });
    });
  });
});
