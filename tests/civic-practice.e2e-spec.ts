import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { countyDate } from '../src/kernel/county-time';
import { LecturesJobs } from '../src/lectures/lectures.jobs';
import { SchedulingJobs } from '../src/scheduling/scheduling.jobs';
import { JobQueue } from '../src/infra/queue/job-queue.service';
import { JobName } from '../src/infra/queue/jobs';
import { sql } from './helpers/databases';
import { startApp, type TestApp } from './helpers/app';
import type { Role } from '../src/auth/domain/permissions';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  person as createPerson,
  SONGTAO,
} from './helpers/factories';
import { makeTone, settled, upload } from './helpers/media';
import { waitFor } from './helpers/processes';

const DAXING_VILLAGE_2 = '520628001002'; // 星光社区
const LIAOGAO = '520628002000'; // 蓼皋街道: no loudspeakers in this file
const TODAY = countyDate(new Date());
const MONTH = TODAY.slice(0, 7);
// Sessions start minutes ago, so that all of them fall in this county month whenever the test runs (bar the first minutes of a month).
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/**
 * Lecture sessions and the civic-practice ledger, end to end: the topic
 * menu and themes, teams, sessions on site and on air (placed into the 17:30
 * rundown and completed from what the loudspeakers reported), the hash
 * chain, points, the four-order flow and the reports a county office opens.
 */
describe('lecture sessions and the civic-practice ledger', () => {
  let t: TestApp;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};
  let topicId: string;
  let teamId: string;
  let onsiteSession: string;

  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api.request<any>(method, path, body, { token });
  const as = (who: string) => users[who].token;
  const ledger = async (query: string) =>
    (await t.api.get(`/api/v1/ledger?${query}`, { token: as('county') })).body.items as any[];

  async function person(name: string, role: Role, scopeCode: string, displayName?: string) {
    users[name] = await createPerson(t, admin, name, role, scopeCode, displayName);
  }

  beforeAll(async () => {
    // As production should run: a role that may only insert into and read the ledger (the owner migrated).
    t = await startApp({}, { appRole: true });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    await person('county', 'operator', SONGTAO);
    await person('daxing', 'operator', DAXING);
    await person('panshi', 'operator', PANSHI);
    await person('village', 'operator', DAXING_VILLAGE);
    await person('approver', 'approver', SONGTAO);
    await person('wang', 'lecturer', DAXING, '王理论');
    await person('liu', 'lecturer', DAXING, '刘劳模');
    await person('zhao', 'lecturer', PANSHI, '赵老师');
    await person('sun', 'lecturer', SONGTAO, '孙讲师');
  }, 60_000);
  afterAll(() => t.close());

  it('keeps a county topic menu with one theme a month, and teams of lecturers', async () => {
    const topic = await api('POST', '/api/v1/topics', as('county'), {
      countyCode: SONGTAO,
      title: '社会主义核心价值观',
      category: 'core_values',
      summary: '富强、民主、文明、和谐',
    });
    expect(topic.status).toBe(201);
    topicId = topic.body.id;
    expect(
      (
        await api('POST', '/api/v1/topics', as('county'), {
          countyCode: SONGTAO,
          title: '社会主义核心价值观',
          category: 'core_values',
        })
      ).status,
    ).toBe(409);
    expect(
      (await api('POST', '/api/v1/topics', as('daxing'), { countyCode: SONGTAO, title: '乡镇自定', category: 'other' }))
        .status,
    ).toBe(403);
    expect(
      (await api('POST', '/api/v1/topics', as('county'), { countyCode: DAXING, title: '不是县', category: 'other' }))
        .status,
    ).toBe(400);
    expect(
      (await api('POST', '/api/v1/topics', as('county'), { countyCode: SONGTAO, title: '', category: 'nope' })).status,
    ).toBe(400);
    expect(
      (await api('POST', '/api/v1/topics', as('wang'), { countyCode: SONGTAO, title: '讲师自定', category: 'other' }))
        .status,
    ).toBe(403);
    // A lecturer of a township reads the menu of their county.
    expect((await api('GET', '/api/v1/topics', as('wang'))).body.items.map((item: any) => item.title)).toEqual([
      '社会主义核心价值观',
    ]);

    expect(
      (await api('PUT', `/api/v1/themes/${MONTH}`, as('county'), { countyCode: SONGTAO, title: '文明乡风', topicId }))
        .status,
    ).toBe(200);
    expect(
      (await api('PUT', `/api/v1/themes/${MONTH}`, as('daxing'), { countyCode: SONGTAO, title: '改一改' })).status,
    ).toBe(403);
    expect(
      (await api('PUT', '/api/v1/themes/2026-13', as('county'), { countyCode: SONGTAO, title: '月份不对' })).status,
    ).toBe(400);
    expect((await api('GET', `/api/v1/themes?from=${MONTH}&to=${MONTH}`, as('liu'))).body.items).toEqual([
      expect.objectContaining({ month: MONTH, title: '文明乡风', topicId }),
    ]);

    const team = await api('POST', '/api/v1/teams', as('daxing'), {
      name: '大兴宣讲队',
      regionCode: DAXING,
      members: [
        { userId: users.wang.id, title: '理论专家' },
        { userId: users.liu.id, title: '劳动模范' },
      ],
    });
    expect(team.status).toBe(201);
    teamId = team.body.id;
    expect(team.body.members.map((member: any) => member.title)).toEqual(
      expect.arrayContaining(['理论专家', '劳动模范']),
    );
    expect(
      (
        await api('POST', '/api/v1/teams', as('daxing'), {
          name: '外镇讲师',
          regionCode: DAXING,
          members: [{ userId: users.zhao.id }],
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api('POST', '/api/v1/teams', as('daxing'), {
          name: '不是讲师',
          regionCode: DAXING,
          members: [{ userId: users.daxing.id }],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/api/v1/teams', as('panshi'), {
          name: '越界',
          regionCode: DAXING,
          members: [{ userId: users.wang.id }],
        })
      ).status,
    ).toBe(403);
    expect(
      (await api('GET', `/api/v1/teams?region=${DAXING_VILLAGE}`, as('village'))).body.items.map(
        (item: any) => item.name,
      ),
    ).toEqual(['大兴宣讲队']);
    expect((await api('GET', `/api/v1/teams/${teamId}`, as('zhao'))).status).toBe(403);
  });

  it('completes an on-site session with who came: one transaction writes its ledger entry, volunteer hours and points', async () => {
    const body = {
      topicId,
      mode: 'onsite',
      regionCode: DAXING_VILLAGE,
      startsAt: minutesAgo(20),
      plannedMinutes: 90,
      lecturerIds: [users.wang.id, users.liu.id],
      teamId,
      notes: '村委会广场',
    };
    expect((await api('POST', '/api/v1/lecture-sessions', as('wang'), { ...body, teamId: undefined })).status).toBe(
      400,
    );
    // Not a member of the team: another township's lecturer may not register for it, wherever the session.
    expect(
      (await api('POST', '/api/v1/lecture-sessions', as('zhao'), { ...body, regionCode: PANSHI_VILLAGE })).status,
    ).toBe(403);
    expect(
      (
        await api('POST', '/api/v1/lecture-sessions', as('wang'), {
          ...body,
          lecturerIds: [users.wang.id, users.zhao.id],
        })
      ).status,
    ).toBe(400);
    expect((await api('POST', '/api/v1/lecture-sessions', as('wang'), { ...body, plannedMinutes: 0 })).status).toBe(
      400,
    );
    expect((await api('POST', '/api/v1/lecture-sessions', as('panshi'), body)).status).toBe(403);
    const registered = await api('POST', '/api/v1/lecture-sessions', as('wang'), body);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      status: 'planned',
      mode: 'onsite',
      topicTitle: '社会主义核心价值观',
      ledgerSeq: null,
    });
    onsiteSession = registered.body.id;
    expect((await ledger(`region=${DAXING}`)).length).toBe(0);

    const done = { attendance: 86, actualMinutes: 90, signIns: ['张三', '李四', '张三'] };
    // Not before it has been given.
    const ahead = await api('POST', '/api/v1/lecture-sessions', as('wang'), {
      ...body,
      startsAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect((await api('POST', `/api/v1/lecture-sessions/${ahead.body.id}/complete`, as('wang'), done)).status).toBe(
      409,
    );
    expect((await api('POST', `/api/v1/lecture-sessions/${ahead.body.id}/cancel`, as('wang'))).body.status).toBe(
      'cancelled',
    );
    expect((await api('POST', `/api/v1/lecture-sessions/${onsiteSession}/complete`, as('zhao'), done)).status).toBe(
      403,
    );
    expect(
      (
        await api('POST', `/api/v1/lecture-sessions/${onsiteSession}/complete`, as('wang'), {
          ...done,
          signIns: [randomUUID()],
        })
      ).status,
    ).toBe(400);
    expect((await api('GET', `/api/v1/lecture-sessions/${onsiteSession}`, as('wang'))).body.status).toBe('planned');
    const completed = await api('POST', `/api/v1/lecture-sessions/${onsiteSession}/complete`, as('wang'), done);
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', ledgerSeq: '1' });
    expect((await api('POST', `/api/v1/lecture-sessions/${onsiteSession}/complete`, as('wang'), done)).status).toBe(
      409,
    );

    const entries = await ledger(`region=${DAXING}`);
    expect(entries.map((entry) => entry.kind)).toEqual([
      'lecture_session',
      'volunteer_hours',
      'volunteer_hours',
      'points_awarded',
      'points_awarded',
      'points_awarded',
      'points_awarded',
    ]);
    expect(entries.map((entry) => entry.seq)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(entries[0]).toMatchObject({
      actor: { id: users.wang.id, role: 'lecturer' },
      regionCode: DAXING_VILLAGE,
      subject: `lecture-session:${onsiteSession}`,
      prevHash: '0'.repeat(64),
      payload: {
        mode: 'onsite',
        attendance: 86,
        actualMinutes: 90,
        theme: '文明乡风',
        lecturers: expect.arrayContaining([{ id: users.wang.id, name: '王理论' }]),
        volunteers: expect.any(Array),
      },
    });
    expect(entries[1].prevHash).toBe(entries[0].hash);
    // 90 minutes at the default 10 points an hour: 15 each, for two volunteers and two lecturers.
    expect(entries.slice(3).map((entry) => entry.payload.points)).toEqual([15, 15, 15, 15]);

    expect((await api('GET', '/api/v1/points/me', as('wang'))).body).toMatchObject({
      holderType: 'lecturer',
      name: '王理论',
      points: 15,
      earned: 15,
    });
    const balances = (await api('GET', `/api/v1/points?region=${DAXING_VILLAGE}`, as('daxing'))).body.items;
    const zhang = balances.find((balance: any) => balance.name === '张三');
    expect(zhang).toMatchObject({ holderType: 'volunteer', regionCode: DAXING_VILLAGE, points: 15 });
    expect((await api('GET', `/api/v1/points?region=${DAXING_VILLAGE}`, as('wang'))).status).toBe(403);

    const redeem = (points: number, token = as('village')) =>
      api('POST', '/api/v1/points/redeem', token, {
        holderType: 'volunteer',
        holderId: zhang.holderId,
        points,
        reason: '兑换洗衣粉一袋',
      });
    const spent = await redeem(10);
    expect(spent.status).toBe(200);
    expect(spent.body.balance).toMatchObject({ points: 5, earned: 15 });
    const refused = await redeem(10);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/holds 5 points/);
    expect((await redeem(1, as('panshi'))).status).toBe(403);
    expect((await redeem(0)).status).toBe(400);
    expect(
      (await api('GET', `/api/v1/points?region=${DAXING_VILLAGE}`, as('daxing'))).body.items.find(
        (b: any) => b.name === '张三',
      ).points,
    ).toBe(5);
    const redeemed = await ledger(`region=${DAXING_VILLAGE}&kind=points_redeemed`);
    expect(redeemed.map((entry) => [entry.seq, entry.payload.points, entry.payload.balance])).toEqual([
      [spent.body.ledgerSeq, -10, 5],
    ]);

    expect(
      (await api('PUT', `/api/v1/regions/${SONGTAO}/points-rate`, as('daxing'), { pointsPerHour: 20 })).status,
    ).toBe(403);
    expect(
      (await api('PUT', `/api/v1/regions/${SONGTAO}/points-rate`, as('county'), { pointsPerHour: 20 })).body,
    ).toEqual({ countyCode: SONGTAO, pointsPerHour: 20, isDefault: false });
    expect((await api('GET', `/api/v1/regions/${SONGTAO}/points-rate`, as('wang'))).body.pointsPerHour).toBe(20);
    expect((await api('GET', `/api/v1/regions/${DAXING}/points-rate`, as('wang'))).status).toBe(400);
  });

  it('corrects an entry with a new one that names it; the original stays as written', async () => {
    const [session] = await ledger(`region=${DAXING_VILLAGE}&kind=lecture_session`);
    const correction = await api('POST', `/api/v1/ledger/${session.seq}/corrections`, as('daxing'), {
      reason: '签到表复核，人数录入有误',
      changes: { attendance: 96 },
    });
    expect(correction.status).toBe(201);
    expect(correction.body).toMatchObject({
      kind: 'correction',
      corrects: session.seq,
      subject: session.subject,
      payload: { correctedKind: 'lecture_session', changes: { attendance: 96 } },
    });
    const original = (await api('GET', `/api/v1/ledger/${session.seq}`, as('county'))).body;
    expect(original).toMatchObject({
      payload: { attendance: 86 },
      correctedBy: [correction.body.seq],
      hash: session.hash,
    });
    expect(
      (
        await api('POST', `/api/v1/ledger/${session.seq}/corrections`, as('daxing'), {
          reason: 'x',
          changes: { invented: 1 },
        })
      ).status,
    ).toBe(400);
    for (const changes of [
      { attendance: '96' },
      { mode: 'online' },
      { volunteers: null },
      { constructor: 1 },
      { actualMinutes: 0 },
    ]) {
      expect({
        changes,
        status: (await api('POST', `/api/v1/ledger/${session.seq}/corrections`, as('daxing'), { reason: 'x', changes }))
          .status,
      }).toEqual({ changes, status: 400 });
    }
    expect(
      (
        await api('POST', `/api/v1/ledger/${session.seq}/corrections`, as('daxing'), {
          reason: 'bad\u0000text',
          changes: { attendance: 1 },
        })
      ).status,
    ).toBe(400);
    const [points] = await ledger(`region=${DAXING}&kind=points_awarded`);
    expect(
      (
        await api('POST', `/api/v1/ledger/${points.seq}/corrections`, as('daxing'), {
          reason: 'x',
          changes: { points: 100 },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await api('POST', `/api/v1/ledger/${session.seq}/corrections`, as('panshi'), {
          reason: 'x',
          changes: { attendance: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api('POST', `/api/v1/ledger/${session.seq}/corrections`, as('wang'), {
          reason: 'x',
          changes: { attendance: 1 },
        })
      ).status,
    ).toBe(403);
    expect((await api('GET', '/api/v1/ledger/999999', as('county'))).status).toBe(404);
    expect((await api('GET', `/api/v1/ledger?region=${DAXING}&from=2026-02-30`, as('county'))).status).toBe(400);
  });

  it('puts an on-air session into the evening rundown under the overflow rule, completes it from what the loudspeakers reported, and corrects it with late receipts', async () => {
    const work = mkdtempSync(join(tmpdir(), 'dalaba-civic-'));
    try {
      const speech = await api('POST', '/api/v1/media/tts', as('wang'), {
        text: '乡亲们好，今天我们讲一讲社会主义核心价值观。',
      });
      const recording = await settled(t, as('wang'), speech.body.id);
      makeTone(join(work, 'long.flac'), 70);
      const long = await settled(t, as('wang'), (await upload(t, as('wang'), join(work, 'long.flac'))).body.id);
      const onAir = {
        topicId,
        mode: 'on_air',
        regionCode: DAXING,
        startsAt: new Date().toISOString(),
        plannedMinutes: 1,
        lecturerIds: [users.wang.id],
        teamId,
        recordingMediaId: recording.id,
      };
      const slot = (start: string, windowMinutes: number) =>
        api('PUT', `/api/v1/regions/${SONGTAO}/slots/evening`, as('county'), { start, windowMinutes });
      const register = (body: Record<string, unknown>, token = as('wang')) =>
        api('POST', '/api/v1/lecture-sessions', token, { ...onAir, ...body });

      // A slot that has begun is too late to join: today's evening slot here starts at midnight, then at 23:59 (ahead of the test, whatever the hour).
      expect((await slot('00:00', 30)).status).toBe(200);
      const begun = await register({});
      expect(begun.status).toBe(409);
      expect(begun.body.message).toMatch(/has begun/);
      // A one-minute window: the 70-second recording does not fit, and nothing is scheduled or left behind.
      expect((await slot('23:59', 1)).status).toBe(200);
      const overflow = await register({ recordingMediaId: long.id });
      expect(overflow.status).toBe(409);
      const over = overflow.body.details.find((detail: any) => detail.regionCode === DAXING && detail.date === TODAY);
      expect(over.overSeconds).toBeGreaterThanOrEqual(10);
      expect((await api('GET', `/api/v1/broadcasts?region=${DAXING}`, as('daxing'))).body.items).toEqual([]);
      expect((await sql(t.database, `SELECT id FROM programme WHERE title LIKE '%（宣讲）'`)).length).toBe(0);
      expect((await slot('23:59', 30)).status).toBe(200);
      expect((await register({ recordingMediaId: undefined })).status).toBe(400);

      const registered = await register({});
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ mode: 'on_air', airDate: TODAY, broadcastId: expect.any(String) });
      const rundown = await api('GET', `/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${TODAY}`, as('daxing'));
      expect(rundown.body.items.map((item: any) => item.broadcastId)).toEqual([registered.body.broadcastId]);
      expect(
        (
          await api('POST', `/api/v1/lecture-sessions/${registered.body.id}/complete`, as('wang'), {
            attendance: 1,
            actualMinutes: 1,
          })
        ).status,
      ).toBe(409);
      // One withdrawn by its lecturer leaves the rundown; one whose broadcast an operator cancelled is cancelled when the day is recorded.
      const withdrawn = await register({ regionCode: DAXING_VILLAGE_2 });
      expect((await api('POST', `/api/v1/lecture-sessions/${withdrawn.body.id}/cancel`, as('wang'))).body.status).toBe(
        'cancelled',
      );
      expect(
        (await api('GET', `/api/v1/regions/${DAXING_VILLAGE_2}/rundown?date=${TODAY}`, as('daxing'))).body.items.map(
          (item: any) => item.broadcastId,
        ),
      ).toEqual([registered.body.broadcastId]);
      const dropped = await register({ regionCode: DAXING_VILLAGE });
      expect((await api('DELETE', `/api/v1/broadcasts/${dropped.body.broadcastId}`, as('daxing'))).status).toBe(204);
      // A county lecturer on air in a township with no loudspeakers registered: recorded too, reaching nothing.
      const unheard = await register(
        { regionCode: LIAOGAO, lecturerIds: [users.sun.id], teamId: undefined },
        as('county'),
      );
      expect(unheard.status).toBe(201);

      // Two loudspeakers in 大兴's villages, one in 盘石 (not reached by the broadcast): one airs it, one stays silent (for now).
      const heard = await enroll(
        t,
        (await createEndpoint(t, as('daxing'), DAXING_VILLAGE)).enrollmentCode,
        'SN-CIVIC-1',
      );
      const late = await enroll(
        t,
        (await createEndpoint(t, as('daxing'), DAXING_VILLAGE_2)).enrollmentCode,
        'SN-CIVIC-2',
      );
      await enroll(t, (await createEndpoint(t, as('panshi'), PANSHI_VILLAGE)).enrollmentCode, 'SN-CIVIC-3');
      const airs = async (device: { token: string }) => {
        const item = await waitFor('the session in the playlist', async () => {
          const playlist = (await (
            await fetch(`${t.url}/api/v1/device/playlist?date=${TODAY}`, {
              headers: { authorization: `Bearer ${device.token}` },
            })
          ).json()) as any;
          return playlist.items.find((entry: any) => entry.id.startsWith(registered.body.broadcastId));
        });
        const receipt = {
          id: randomUUID(),
          itemId: item.id,
          startedAt: item.startsAt,
          endedAt: new Date(Date.parse(item.startsAt) + item.durationMs).toISOString(),
          outcome: 'played',
        };
        expect(
          (await t.api.post('/api/v1/device/receipts', { receipts: [receipt] }, { token: device.token })).status,
        ).toBe(200);
      };
      await airs(heard);
      // The slot begins (here: it is moved to midnight): too late to withdraw it, it airs and is recorded.
      expect((await slot('00:00', 30)).status).toBe(200);
      const tooLate = await api('POST', `/api/v1/lecture-sessions/${registered.body.id}/cancel`, as('wang'));
      expect(tooLate.status).toBe(409);
      expect(tooLate.body.message).toMatch(/went on air/);

      // After the slot: the reconciliation records every broadcast, then completes the on-air sessions from it.
      const reconcile = () => t.app.get(JobQueue).enqueue(JobName.Reconcile, { countyCode: SONGTAO, date: TODAY });
      await reconcile();
      const status = async (id: string) => (await api('GET', `/api/v1/lecture-sessions/${id}`, as('county'))).body;
      const session = await waitFor('the on-air session to be completed', async () =>
        (await status(registered.body.id)).status === 'completed' ? status(registered.body.id) : undefined,
      );
      const quiet = await waitFor('the unheard session to be completed', async () =>
        (await status(unheard.body.id)).status === 'completed' ? status(unheard.body.id) : undefined,
      );
      expect((await status(dropped.body.id)).status).toBe('cancelled');
      const [aired] = await ledger(`region=${DAXING}&kind=broadcast_aired`);
      expect(aired).toMatchObject({
        actor: null,
        regionCode: DAXING,
        payload: {
          broadcastId: registered.body.broadcastId,
          endpoints: 2,
          played: 1,
          reached: 1,
          regionsReached: [DAXING_VILLAGE],
        },
      });
      const entry = (await api('GET', `/api/v1/ledger/${session.ledgerSeq}`, as('county'))).body;
      expect(entry).toMatchObject({
        kind: 'lecture_session',
        actor: null,
        payload: {
          mode: 'on_air',
          attendance: 1,
          onAir: {
            broadcastId: registered.body.broadcastId,
            endpoints: 2,
            played: 1,
            regionsReached: [DAXING_VILLAGE],
          },
        },
      });
      expect((await api('GET', `/api/v1/ledger/${quiet.ledgerSeq}`, as('county'))).body.payload).toMatchObject({
        attendance: 0,
        onAir: { endpoints: 0, played: 0, regionsReached: [] },
      });
      // What the loudspeakers reported is not corrected by hand.
      expect(
        (
          await api('POST', `/api/v1/ledger/${session.ledgerSeq}/corrections`, as('county'), {
            reason: '多算',
            changes: { attendance: 2 },
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await api('POST', `/api/v1/ledger/${aired.seq}/corrections`, as('county'), {
            reason: '多算',
            changes: { played: 2 },
          })
        ).status,
      ).toBe(409);
      // 1 minute of recording at 20 points an hour is no whole point: no award.
      expect(
        (await ledger(`region=${DAXING}&kind=points_awarded`)).filter(
          (award) => award.payload.sessionId === registered.body.id,
        ),
      ).toEqual([]);

      // The second loudspeaker aired it offline and reports the next day: the late pass corrects both records, once.
      await airs(late);
      await reconcile();
      const corrections = await waitFor('the late receipts to be taken in', async () => {
        const found = await ledger(`region=${DAXING}&kind=correction`);
        return found.filter((c) => c.actor === null).length === 2 ? found.filter((c) => c.actor === null) : undefined;
      });
      expect(corrections.map((c) => [c.corrects, c.payload.changes.played ?? c.payload.changes.onAir?.played])).toEqual(
        [
          [aired.seq, 2],
          [session.ledgerSeq, 2],
        ],
      );
      expect((await api('GET', `/api/v1/ledger/${session.ledgerSeq}`, as('county'))).body).toMatchObject({
        payload: { attendance: 1 },
        correctedBy: [corrections[1].seq],
      });

      // Reconciling again (a retried job, a second process) records nothing more.
      const before = (await ledger(`region=${SONGTAO}&limit=1000`)).length;
      await t.app.get(SchedulingJobs).reconcile({ countyCode: SONGTAO, date: TODAY });
      await t.app.get(LecturesJobs).recordOnAir({ countyCode: SONGTAO, date: TODAY });
      expect((await ledger(`region=${SONGTAO}&limit=1000`)).length).toBe(before);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs the four-order flow: ordered, dispatched, accepted, delivered within 72 hours, rated into the ledger; late orders go back to the dispatcher', async () => {
    const order = await api('POST', '/api/v1/orders', as('village'), {
      topicId,
      regionCode: DAXING_VILLAGE,
      notes: '想听听移风易俗',
    });
    expect(order.status).toBe(201);
    expect(order.body.status).toBe('ordered');
    const id = order.body.id;
    expect((await api('POST', '/api/v1/orders', as('village'), { topicId, regionCode: DAXING })).status).toBe(403);
    expect((await api('POST', '/api/v1/orders', as('daxing'), { topicId, regionCode: DAXING })).status).toBe(400);
    expect((await api('POST', `/api/v1/orders/${id}/accept`, as('wang'))).status).toBe(409);
    expect((await api('POST', `/api/v1/orders/${id}/dispatch`, as('village'), { teamId })).status).toBe(403);
    expect((await api('POST', `/api/v1/orders/${id}/rating`, as('village'), { rating: 'excellent' })).status).toBe(409);

    const dispatched = await api('POST', `/api/v1/orders/${id}/dispatch`, as('daxing'), { teamId });
    expect(dispatched.status).toBe(200);
    expect(Date.parse(dispatched.body.deliverBy) - Date.parse(dispatched.body.dispatchedAt)).toBe(72 * 3600_000);
    expect((await api('POST', `/api/v1/orders/${id}/dispatch`, as('daxing'), { teamId })).status).toBe(409);
    expect((await api('POST', `/api/v1/orders/${id}/accept`, as('zhao'))).status).toBe(403);
    expect((await api('POST', `/api/v1/orders/${id}/accept`, as('daxing'))).status).toBe(403);
    expect((await api('POST', `/api/v1/orders/${id}/accept`, as('liu'))).body.status).toBe('accepted');
    expect((await api('POST', `/api/v1/orders/${id}/accept`, as('liu'))).status).toBe(409);

    const session = {
      topicId,
      mode: 'onsite',
      regionCode: DAXING_VILLAGE,
      startsAt: minutesAgo(5),
      plannedMinutes: 60,
      lecturerIds: [users.liu.id],
      teamId,
      orderId: id,
    };
    expect(
      (await api('POST', '/api/v1/lecture-sessions', as('liu'), { ...session, regionCode: DAXING_VILLAGE_2 })).status,
    ).toBe(400);
    const delivering = await api('POST', '/api/v1/lecture-sessions', as('liu'), session);
    expect(delivering.status).toBe(201);
    expect((await api('POST', '/api/v1/lecture-sessions', as('liu'), session)).status).toBe(409);
    expect(
      (
        await api('POST', `/api/v1/lecture-sessions/${delivering.body.id}/complete`, as('liu'), {
          attendance: 40,
          actualMinutes: 60,
          signIns: ['张三'],
        })
      ).status,
    ).toBe(200);
    expect((await api('GET', `/api/v1/orders/${id}`, as('village'))).body).toMatchObject({
      status: 'delivered',
      sessionId: delivering.body.id,
    });

    const rated = await api('POST', `/api/v1/orders/${id}/rating`, as('village'), {
      rating: 'excellent',
      comment: '讲得实在',
    });
    expect(rated.body).toMatchObject({ status: 'rated', rating: 'excellent' });
    expect((await api('POST', `/api/v1/orders/${id}/rating`, as('village'), { rating: 'unsatisfied' })).status).toBe(
      409,
    );
    expect((await api('POST', `/api/v1/orders/${id}/rating`, as('village'), { rating: 'meh' })).status).toBe(400);
    const [rating] = await ledger(`region=${DAXING_VILLAGE}&kind=rating`);
    expect(rating).toMatchObject({
      subject: `order:${id}`,
      payload: { rating: 'excellent', onTime: true, sessionId: delivering.body.id, comment: '讲得实在' },
    });

    // One not accepted in time, one accepted but not delivered in time: the hourly job sends both back.
    const late = [];
    for (const overdue of ['accept_by', 'deliver_by']) {
      const placed = (await api('POST', '/api/v1/orders', as('village'), { topicId, regionCode: DAXING_VILLAGE })).body;
      await api('POST', `/api/v1/orders/${placed.id}/dispatch`, as('county'), { teamId });
      if (overdue === 'deliver_by') await api('POST', `/api/v1/orders/${placed.id}/accept`, as('wang'));
      await sql(t.database, `UPDATE lecture_order SET ${overdue} = now() - interval '1 minute' WHERE id = $1`, [
        placed.id,
      ]);
      late.push(placed.id);
    }
    await t.app.get(LecturesJobs).scheduleEscalation();
    const escalated = await waitFor('the late orders to be escalated', async () => {
      const orders = (await api('GET', `/api/v1/orders?region=${DAXING}&status=escalated`, as('daxing'))).body.items;
      return orders.length === 2 ? orders : undefined;
    });
    expect(escalated.map((o: any) => [o.id, o.escalationReason, o.escalations]).sort()).toEqual(
      [
        [late[0], 'not accepted within 24 hours of dispatch', 1],
        [late[1], 'not delivered within 72 hours of dispatch', 1],
      ].sort(),
    );
    expect((await api('POST', `/api/v1/orders/${late[0]}/accept`, as('wang'))).status).toBe(409);
    expect((await api('POST', `/api/v1/orders/${late[0]}/dispatch`, as('daxing'), { teamId })).body).toMatchObject({
      status: 'dispatched',
      escalatedAt: null,
    });
    expect((await api('POST', `/api/v1/orders/${late[1]}/cancel`, as('village'))).body.status).toBe('cancelled');
  });

  it('reports a month, quarter or year for a region as JSON, CSV and XLSX with Chinese headers, from the ledger as corrected', async () => {
    const report = await api('GET', `/api/v1/reports?region=${SONGTAO}&period=${MONTH}`, as('county'));
    expect(report.status).toBe(200);
    // 90 + 60 minutes on site and twice 1 on air; lecturers: 2 × 90 + 60 + 1 + 1 minutes; the first session's attendance as corrected (96).
    expect(report.body.totals).toEqual({
      sessions: 4,
      hours: 2.5,
      audience: 96 + 40,
      volunteers: 2,
      lecturers: 3,
      lecturerHours: 4,
    });
    expect(report.body.byMode).toEqual([
      { mode: 'onsite', sessions: 2, hours: 2.5, audience: 136 },
      { mode: 'on_air', sessions: 2, hours: 0, audience: 0 },
      { mode: 'online', sessions: 0, hours: 0, audience: 0 },
    ]);
    expect(report.body.byTheme).toEqual([{ theme: '文明乡风', sessions: 4, hours: 2.5, audience: 136 }]);
    // The late receipt counts: both loudspeakers aired it.
    expect(report.body.onAir).toEqual({ airings: 1, endpoints: 2, played: 2, coverage: 1, villagesReached: 2 });
    expect(report.body.orders).toMatchObject({
      ordered: 3,
      dispatched: 3,
      accepted: 2,
      delivered: 1,
      deliveredOnTime: 1,
      escalated: 2,
      rated: 1,
      cancelled: 1,
      open: 1,
      ratings: { excellent: 1, satisfied: 0, unsatisfied: 0 },
    });
    expect(report.body.sessions.map((row: any) => row.mode).sort()).toEqual(['on_air', 'on_air', 'onsite', 'onsite']);

    // The township sees the same; a village sees the county's on-air reach within it; 盘石 had none of it.
    expect(
      (await api('GET', `/api/v1/reports?region=${DAXING}&period=${MONTH}`, as('daxing'))).body.totals.sessions,
    ).toBe(3);
    const village = (await api('GET', `/api/v1/reports?region=${DAXING_VILLAGE_2}&period=${MONTH}`, as('daxing'))).body;
    expect(village.totals.sessions).toBe(0);
    expect(village.onAir).toEqual({ airings: 1, endpoints: 1, played: 1, coverage: 1, villagesReached: 1 });
    expect(
      (await api('GET', `/api/v1/reports?region=${PANSHI}&period=${MONTH}`, as('panshi'))).body.onAir.coverage,
    ).toBeNull();
    for (const period of [`${TODAY.slice(0, 4)}-Q${Math.ceil(Number(TODAY.slice(5, 7)) / 3)}`, TODAY.slice(0, 4)]) {
      expect(
        (await api('GET', `/api/v1/reports?region=${SONGTAO}&period=${period}`, as('approver'))).body.totals.sessions,
      ).toBe(4);
    }
    expect((await api('GET', `/api/v1/reports?region=${SONGTAO}&period=2026-13`, as('county'))).status).toBe(400);
    expect((await api('GET', `/api/v1/reports?region=${SONGTAO}&period=${MONTH}`, as('daxing'))).status).toBe(403);
    expect((await api('GET', `/api/v1/reports?region=${DAXING}&period=${MONTH}`, as('wang'))).status).toBe(403);

    const csv = await fetch(`${t.url}/api/v1/reports?region=${SONGTAO}&period=${MONTH}&format=csv`, {
      headers: { authorization: `Bearer ${as('county')}` },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="dalaba-report-520628000000-/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('\r\n【概况】\r\n指标,数值\r\n');
    expect(text).toContain('宣讲场次,4\r\n');
    expect(text).toContain('空中宣讲覆盖率,100.0%\r\n');
    expect(text).toContain('宣讲方式,场次,时长（小时）,受众人次\r\n线下,2,2.5,136\r\n');

    const xlsx = await fetch(`${t.url}/api/v1/reports?region=${SONGTAO}&period=${MONTH}&format=xlsx`, {
      headers: { authorization: `Bearer ${as('county')}` },
    });
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '概况',
      '按宣讲方式',
      '按月度主题',
      '按宣讲题目',
      '按月',
      '四单',
      '宣讲台账',
    ]);
    const byMode = workbook.getWorksheet('按宣讲方式')!;
    expect(byMode.getRow(2).values).toEqual([undefined, '宣讲方式', '场次', '时长（小时）', '受众人次']);
    expect(byMode.getRow(3).values).toEqual([undefined, '线下', 2, 2.5, 136]);
    const orders = workbook.getWorksheet('四单')!;
    expect(orders.getRow(3).values).toEqual([undefined, '点单（村民点单）', 3]);
    expect(workbook.getWorksheet('宣讲台账')!.rowCount).toBe(2 + 4);
  });

  it('is append-only, never forks under concurrent appends, and verify finds an entry edited behind its back', async () => {
    const [first] = await ledger(`region=${SONGTAO}`);
    for (const statement of [
      `UPDATE ledger_entry SET payload = '{}' WHERE seq = 1`,
      'DELETE FROM ledger_entry WHERE seq = 1',
      'TRUNCATE ledger_entry',
    ]) {
      await expect(sql(t.database, statement)).rejects.toThrow(/append-only/);
    }

    const head = await api('GET', '/api/v1/ledger/verify', as('approver'));
    expect(head.body).toMatchObject({ ok: true, head: { seq: String(head.body.count) } });
    const concurrent = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        api('POST', `/api/v1/ledger/${first.seq}/corrections`, as('county'), {
          reason: `复核 ${index}`,
          changes: { attendance: 90 + index },
        }),
      ),
    );
    expect(concurrent.map((reply) => [reply.status, reply.body.message])).toEqual(Array(24).fill([201, undefined]));
    const seqs = concurrent.map((reply) => Number(reply.body.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, index) => head.body.count + 1 + index));
    const after = (await api('GET', '/api/v1/ledger/verify', as('county'))).body;
    expect(after).toMatchObject({ ok: true, count: head.body.count + 24 });

    // A superuser turns the trigger off for one transaction and changes a number.
    await sql(
      t.database,
      `DO $$ BEGIN
         SET LOCAL session_replication_role = replica;
         UPDATE ledger_entry SET payload = jsonb_set(payload, '{attendance}', '999') WHERE seq = 1;
       END $$`,
    );
    const broken = (await api('GET', '/api/v1/ledger/verify', as('county'))).body;
    expect(broken).toEqual({
      ok: false,
      count: 0,
      firstBadSeq: '1',
      reason: expect.stringMatching(/changed after it was written/),
    });
  });
});
