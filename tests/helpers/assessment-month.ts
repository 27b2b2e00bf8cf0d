import { randomUUID } from 'node:crypto';
import { addDays, countyDate } from '../../src/kernel/county-time';
import { SchedulingJobs } from '../../src/scheduling/scheduling.jobs';
import { adminToken, createEndpoint, enroll, person } from './factories';
import type { TestApp } from './app';
import { audioFixture, settled, upload } from './media';

// A small county of two townships with two villages each, and a month of
// what the assessment counts, made through the real routes: loudspeakers
// that air the evening broadcast on some days and not others (and a morning
// broadcast that is not the 17:30 one), on-site sessions with volunteers,
// orders delivered, left open and cancelled, and ratings.

export const COUNTY = '520699000000';
export const T1 = '520699001000';
export const T2 = '520699002000';
export const V11 = '520699001001';
export const V12 = '520699001002';
export const V21 = '520699002001';
export const V22 = '520699002002';

const REGIONS = [
  'code,name,level,parent_code',
  `${COUNTY},考核县,county,`,
  `${T1},东岭镇,township,${COUNTY}`,
  `${V11},东岭村,village,${T1}`,
  `${V12},石桥村,village,${T1}`,
  `${T2},西河乡,township,${COUNTY}`,
  `${V21},西河村,village,${T2}`,
  `${V22},柳湾村,village,${T2}`,
].join('\n');

export const TODAY = countyDate(new Date());
export const MONTH = TODAY.slice(0, 7);
/** Up to three evening dates from today, all in this month (on the last day of a month, today alone). */
export const DATES = [0, 1, 2].map((days) => addDays(TODAY, days)).filter((date) => date.startsWith(MONTH));
// Sessions start minutes ago, so that they fall in this county month whenever the test runs (bar the first minutes of a month).
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export interface AssessmentMonth {
  admin: string;
  county: string;
  township1: string;
  lecturer: string;
}

type Device = { endpointId: string; token: string };

export async function seedAssessmentMonth(t: TestApp): Promise<AssessmentMonth> {
  const admin = await adminToken(t);
  const call = async (method: string, path: string, token: string, body?: unknown, expected = [200, 201]) => {
    const reply = await t.api.request<any>(method, path, body, { token });
    if (!expected.includes(reply.status))
      throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const imported = await t.api.post('/api/v1/regions/import', undefined, {
    token: admin,
    raw: REGIONS,
    headers: { 'content-type': 'text/csv' },
  });
  if (imported.status !== 200) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
  const county = (await person(t, admin, 'kh-county', 'operator', COUNTY)).token;
  const township1 = (await person(t, admin, 'kh-east', 'operator', T1)).token;
  const township2 = (await person(t, admin, 'kh-west', 'operator', T2)).token;
  const east = await person(t, admin, 'kh-lecturer-east', 'lecturer', T1, '东岭宣讲员');
  const west = await person(t, admin, 'kh-lecturer-west', 'lecturer', T2, '西河宣讲员');

  // Loudspeakers: two in 东岭村, one in each other village.
  const devices: Record<string, Device[]> = {};
  for (const [village, count] of [
    [V11, 2],
    [V12, 1],
    [V21, 1],
    [V22, 1],
  ] as const) {
    devices[village] = [];
    for (let n = 0; n < count; n++)
      devices[village].push(
        await enroll(
          t,
          (await createEndpoint(t, county, village, `喇叭${n + 1}`)).enrollmentCode,
          `SN-${village}-${n}`,
        ),
      );
  }

  // The county's evening programme every day, a second evening item for 柳湾村 on the first day, and a morning item for 东岭镇.
  const clip = await settled(t, county, (await upload(t, county, audioFixture('announcement-cmn.wav'))).body.id);
  const programme = await call('POST', '/api/v1/programmes', county, {
    title: '空中大课堂',
    category: 'core_values',
    segments: [clip.id],
  });
  await call('PUT', `/api/v1/regions/${COUNTY}/slots/morning`, county, { start: '07:00', windowMinutes: 30 });
  const daily = await call('POST', '/api/v1/broadcasts', county, {
    programmeId: programme.id,
    regionCodes: [COUNTY],
    recurrence: 'FREQ=DAILY',
    startDate: DATES[0],
    until: DATES[DATES.length - 1],
  });
  const village = await call('POST', '/api/v1/broadcasts', county, {
    programmeId: programme.id,
    regionCodes: [V22],
    date: DATES[0],
  });
  const morning = await call('POST', '/api/v1/broadcasts', county, {
    programmeId: programme.id,
    slot: 'morning',
    regionCodes: [T1],
    date: DATES[0],
  });

  // What each loudspeaker airs, by the day's index: 东岭村's first every day, its second the first day only;
  // 石桥村's misses the first evening (but airs the morning item) and fails the third; 西河村's never airs;
  // 柳湾村's airs only the village's own item.
  const plays = (broadcastId: string, dayIndex: number) => [{ broadcastId, dayIndex }];
  const aired: Array<[Device, Array<{ broadcastId: string; dayIndex: number }>]> = [
    [devices[V11][0], DATES.flatMap((_, day) => plays(daily.id, day))],
    [devices[V11][1], plays(daily.id, 0)],
    [devices[V12][0], [...plays(morning.id, 0), ...plays(daily.id, 1)]],
    [devices[V22][0], plays(village.id, 0)],
  ];
  const receipt = (broadcastId: string, date: string, outcome: string) => ({
    id: randomUUID(),
    itemId: `${broadcastId}.${date.replaceAll('-', '')}.0`,
    startedAt: `${date}T17:30:00+08:00`,
    endedAt: `${date}T17:31:00+08:00`,
    outcome,
  });
  for (const [device, items] of aired)
    await call('POST', '/api/v1/device/receipts', device.token, {
      receipts: items
        .filter(({ dayIndex }) => dayIndex < DATES.length)
        .map(({ broadcastId, dayIndex }) => receipt(broadcastId, DATES[dayIndex], 'played')),
    });
  if (DATES.length > 2)
    await call('POST', '/api/v1/device/receipts', devices[V12][0].token, {
      receipts: [receipt(daily.id, DATES[2], 'failed')],
    });
  for (const date of DATES) await t.app.get(SchedulingJobs).reconcile({ countyCode: COUNTY, date });

  // Sessions, volunteers, orders and ratings.
  const topic = await call('POST', '/api/v1/topics', county, {
    countyCode: COUNTY,
    title: '移风易俗',
    category: 'customs',
  });
  const team = async (token: string, name: string, regionCode: string, userId: string) =>
    (await call('POST', '/api/v1/teams', token, { name, regionCode, members: [{ userId, title: '宣讲员' }] })).id;
  const teams = {
    east: await team(township1, '东岭宣讲队', T1, east.id),
    west: await team(township2, '西河宣讲队', T2, west.id),
  };
  const order = async (token: string, regionCode: string) =>
    (await call('POST', '/api/v1/orders', token, { topicId: topic.id, regionCode })).id;
  const dispatchAndAccept = async (id: string, teamId: string, lecturer: string) => {
    await call('POST', `/api/v1/orders/${id}/dispatch`, county, { teamId });
    await call('POST', `/api/v1/orders/${id}/accept`, lecturer);
  };
  const session = async (
    lecturer: { id: string; token: string },
    teamId: string,
    regionCode: string,
    done: { actualMinutes: number; signIns: string[] },
    orderId?: string,
  ) => {
    const registered = await call('POST', '/api/v1/lecture-sessions', lecturer.token, {
      topicId: topic.id,
      mode: 'onsite',
      regionCode,
      startsAt: minutesAgo(done.actualMinutes + 5),
      plannedMinutes: done.actualMinutes,
      lecturerIds: [lecturer.id],
      teamId,
      ...(orderId ? { orderId } : {}),
    });
    await call('POST', `/api/v1/lecture-sessions/${registered.id}/complete`, lecturer.token, {
      attendance: 30,
      ...done,
    });
  };

  // 东岭村: an order delivered and rated 基本满意, by a session with two volunteers; 石桥村: an order dispatched, not delivered.
  const delivered = await order(township1, V11);
  await dispatchAndAccept(delivered, teams.east, east.token);
  await session(east, teams.east, V11, { actualMinutes: 90, signIns: ['张三', '李四'] }, delivered);
  await call('POST', `/api/v1/orders/${delivered}/rating`, township1, { rating: 'satisfied' });
  await dispatchAndAccept(await order(township1, V12), teams.east, east.token);
  // 西河村: two orders delivered, rated 满意 and 不满意; 张三 of 东岭村 is not 西河村's 张三. 柳湾村: an order withdrawn.
  for (const [rating, signIns] of [
    ['excellent', ['王五', '张三']],
    ['unsatisfied', ['王五']],
  ] as const) {
    const id = await order(township2, V21);
    await dispatchAndAccept(id, teams.west, west.token);
    await session(west, teams.west, V21, { actualMinutes: 45, signIns: [...signIns] }, id);
    await call('POST', `/api/v1/orders/${id}/rating`, township2, { rating });
  }
  await call('POST', `/api/v1/orders/${await order(township2, V22)}/cancel`, township2);
  // And a session without an order in 石桥村, with nobody signed in.
  await session(east, teams.east, V12, { actualMinutes: 30, signIns: [] });
  return { admin, county, township1, lecturer: east.token };
}
