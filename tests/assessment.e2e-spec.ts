import ExcelJS from 'exceljs';
import { startApp, type TestApp } from './helpers/app';
import {
  type AssessmentMonth,
  COUNTY,
  DATES,
  MONTH,
  seedAssessmentMonth,
  T1,
  T2,
  V11,
  V12,
  V21,
  V22,
} from './helpers/assessment-month';
import { sql } from './helpers/databases';

// The assessment of one month, computed here by hand from the raw rows
// (the ledger's payloads, the loudspeakers' receipts, the orders), without
// the service's code, and compared with what the route answers.

type Raw = {
  scheduled: Array<{ code: string; date: string; endpoints: number }>;
  reached: Array<{ code: string; key: string; villageDay: string }>;
  orders: Array<{ region_code: string; status: string; delivered_at: Date | null; deliver_by: Date | null }>;
  entries: Array<{ kind: string; region_code: string; payload: any }>;
};

const round3 = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);
const round1 = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

async function rawRows(database: string): Promise<Raw> {
  const evening = new Set(
    (await sql<{ id: string }>(database, `SELECT id FROM scheduled_broadcast WHERE slot_name = 'evening'`)).map(
      (row) => row.id,
    ),
  );
  const inMonth = (column: string) => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1`;
  const aired = await sql<{ payload: any }>(
    database,
    `SELECT payload FROM ledger_entry WHERE kind = 'broadcast_aired' AND ${inMonth('occurred_at')}`,
    [MONTH],
  );
  const scheduled = aired
    .filter(({ payload }) => evening.has(payload.broadcastId))
    .flatMap(({ payload }) =>
      payload.regions
        .filter((region: any) => region.endpoints > 0)
        .map((region: any) => ({ code: region.code, date: payload.date, endpoints: region.endpoints })),
    );
  const receipts = await sql<{ endpoint_id: string; region_code: string; item_id: string; date: string }>(
    database,
    `SELECT r.endpoint_id, e.region_code, r.item_id, to_char(r.date, 'YYYY-MM-DD') AS date
       FROM play_receipt r JOIN endpoint e ON e.id = r.endpoint_id
      WHERE r.outcome = 'played' AND to_char(r.date, 'YYYY-MM') = $1`,
    [MONTH],
  );
  // A loudspeaker reached by an evening broadcast on a date: it played at least one of its items.
  const reached = new Map<string, { code: string; key: string; villageDay: string }>();
  for (const receipt of receipts) {
    const broadcastId = receipt.item_id.split('.')[0];
    if (!evening.has(broadcastId)) continue;
    const key = `${receipt.endpoint_id}|${broadcastId}|${receipt.date}`;
    reached.set(key, { code: receipt.region_code, key, villageDay: `${receipt.region_code}|${receipt.date}` });
  }
  return {
    scheduled,
    reached: [...reached.values()],
    orders: await sql(
      database,
      `SELECT region_code, status::text, delivered_at, deliver_by FROM lecture_order WHERE ${inMonth('ordered_at')}`,
      [MONTH],
    ),
    entries: await sql(
      database,
      `SELECT kind::text, region_code, payload FROM ledger_entry
        WHERE kind IN ('lecture_session', 'volunteer_hours', 'rating') AND ${inMonth('occurred_at')}`,
      [MONTH],
    ),
  };
}

/** The figures of the regions whose codes start with `prefix`, by the definitions in docs/console.md. */
function byHand(raw: Raw, prefix: string) {
  const within = (code: string) => code.startsWith(prefix);
  const scheduledDays = new Set(raw.scheduled.filter((s) => within(s.code)).map((s) => `${s.code}|${s.date}`));
  const airedDays = new Set(raw.reached.map((r) => r.villageDay).filter((day) => scheduledDays.has(day)));
  const expected = raw.scheduled.filter((s) => within(s.code)).reduce((sum, s) => sum + s.endpoints, 0);
  const reached = raw.reached.filter((r) => within(r.code)).length;
  const orders = raw.orders.filter((o) => within(o.region_code) && o.status !== 'cancelled');
  const onTime = orders.filter((o) => o.delivered_at && o.deliver_by && o.delivered_at <= o.deliver_by).length;
  const entries = (kind: string) => raw.entries.filter((e) => e.kind === kind && within(e.region_code));
  const ratings = entries('rating').map((e) => e.payload.rating as string);
  const count = (rating: string) => ratings.filter((r) => r === rating).length;
  const hours = entries('volunteer_hours');
  const rates = {
    broadcast: round3(airedDays.size, scheduledDays.size),
    loudspeakers: round3(reached, expected),
    orders: round3(onTime, orders.length),
    satisfaction: round3(count('excellent') + count('satisfied'), ratings.length),
  };
  const present = Object.values(rates).filter((rate): rate is number => rate !== null);
  return {
    broadcast: { scheduledDays: scheduledDays.size, airedDays: airedDays.size, rate: rates.broadcast },
    loudspeakers: { expected, reached, rate: rates.loudspeakers },
    orders: { orders: orders.length, onTime, rate: rates.orders },
    satisfaction: {
      ratings: ratings.length,
      excellent: count('excellent'),
      satisfied: count('satisfied'),
      unsatisfied: count('unsatisfied'),
      rate: rates.satisfaction,
    },
    sessions: {
      sessions: entries('lecture_session').length,
      hours: round1(entries('lecture_session').reduce((sum, e) => sum + e.payload.actualMinutes, 0)),
    },
    volunteers: {
      participations: hours.length,
      volunteers: new Set(hours.map((e) => e.payload.volunteerId)).size,
      hours: round1(hours.reduce((sum, e) => sum + e.payload.minutes, 0)),
    },
    score: present.length ? Math.round((present.reduce((a, b) => a + b, 0) / present.length) * 1000) / 1000 : null,
  };
}

/** The CSV's one table as rows keyed by region code, cells keyed by header. */
function csvTable(text: string): Map<string, Record<string, string>> {
  const lines = text.split('\r\n');
  const header = lines.findIndex((line) => line.includes('区划代码'));
  const columns = lines[header].split(',');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(header + 1).filter(Boolean)) {
    const cells = line.split(',');
    rows.set(cells[columns.indexOf('区划代码')], Object.fromEntries(columns.map((column, i) => [column, cells[i]])));
  }
  return rows;
}

const COLUMNS = {
  播出率: (f: any) => f.broadcast.rate,
  喇叭在线率: (f: any) => f.loudspeakers.rate,
  按时送达率: (f: any) => f.orders.rate,
  满意率: (f: any) => f.satisfaction.rate,
  宣讲场次: (f: any) => f.sessions.sessions,
  志愿服务人次: (f: any) => f.volunteers.participations,
  '志愿者（人）': (f: any) => f.volunteers.volunteers,
  '志愿服务时长（小时）': (f: any) => f.volunteers.hours,
  综合得分: (f: any) => f.score,
};

describe('the assessment (考核) of a month', () => {
  let t: TestApp;
  let seeded: AssessmentMonth;
  const assess = (query: string, token = seeded.county) => t.api.get<any>(`/api/v1/assessments?${query}`, { token });

  beforeAll(async () => {
    t = await startApp();
    seeded = await seedAssessmentMonth(t);
  }, 120_000);
  afterAll(() => t.close());

  it('answers what the raw rows say, for the county and its townships, and for a township and its villages', async () => {
    const raw = await rawRows(t.database);
    // Late receipts would have been recorded as corrections; there are none to lay over here.
    expect(await sql(t.database, `SELECT seq FROM ledger_entry WHERE kind = 'correction'`)).toEqual([]);

    const county = await assess(`region=${COUNTY}&period=${MONTH}`);
    expect(county.status).toBe(200);
    expect(county.body.region).toEqual({ code: COUNTY, name: '考核县', level: 'county' });
    expect(county.body.period).toMatchObject({ label: MONTH, kind: 'month' });
    expect(county.body.figures).toEqual(byHand(raw, COUNTY.slice(0, 6)));
    for (const child of county.body.children) expect(child.figures).toEqual(byHand(raw, child.region.code.slice(0, 9)));
    // What the scenario made: every village scheduled every evening; 东岭村 aired every day, 石桥村 on the second
    // (its morning item does not count), 西河村 never, 柳湾村 its own item on the first.
    expect(county.body.figures.broadcast).toMatchObject({
      scheduledDays: 4 * DATES.length,
      airedDays: DATES.length + (DATES.length > 1 ? 1 : 0) + 1,
    });
    expect(county.body.figures.orders).toMatchObject({ orders: 4, onTime: 3 });
    expect(county.body.figures.volunteers).toMatchObject({ participations: 5, volunteers: 4 });

    // The ranking: by score, best first, with ranks.
    const scores = county.body.children.map((child: any) => byHand(raw, child.region.code.slice(0, 9)).score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(county.body.children.map((child: any) => child.region.code).sort()).toEqual([T1, T2]);
    expect(county.body.children.map((child: any) => child.rank)).toEqual(scores[0] === scores[1] ? [1, 1] : [1, 2]);

    const township = await assess(`region=${T1}&period=${MONTH}`, seeded.township1);
    expect(township.status).toBe(200);
    expect(township.body.figures).toEqual(byHand(raw, T1.slice(0, 9)));
    expect(township.body.children.map((child: any) => child.region.code).sort()).toEqual([V11, V12]);
    for (const child of township.body.children) expect(child.figures).toEqual(byHand(raw, child.region.code));

    const village = await assess(`region=${V22}&period=${MONTH}`);
    expect(village.body.children).toEqual([]);
    expect(village.body.figures).toEqual(byHand(raw, V22));
    // The same month inside its quarter, half-year and year: nothing else happened in them.
    const half = Number(MONTH.slice(5)) <= 6 ? 'H1' : 'H2';
    expect((await assess(`region=${COUNTY}&period=${MONTH.slice(0, 4)}-${half}`)).body.figures).toEqual(
      county.body.figures,
    );
    expect((await assess(`region=${V21}&period=${MONTH.slice(0, 4)}`)).body.figures).toEqual(byHand(raw, V21));
  });

  it('gives the same figures as CSV and XLSX, with a Chinese title and the region first', async () => {
    const json = (await assess(`region=${COUNTY}&period=${MONTH}`)).body;
    const regions = [{ region: json.region, figures: json.figures }, ...json.children];

    const csv = await fetch(`${t.url}/api/v1/assessments?region=${COUNTY}&period=${MONTH}&format=csv`, {
      headers: { authorization: `Bearer ${seeded.county}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`dalaba-assessment-${COUNTY}-${MONTH}.csv`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(`考核县 新时代文明实践考核（月度排查 ${MONTH}）`);
    const rows = csvTable(text);
    expect([...rows.keys()]).toEqual(regions.map((row) => row.region.code));
    for (const { region, figures } of regions)
      for (const [header, figure] of Object.entries(COLUMNS)) {
        const cell = rows.get(region.code)![header];
        expect([header, cell === '' ? null : Number(cell)]).toEqual([header, figure(figures)]);
      }

    const xlsx = await fetch(`${t.url}/api/v1/assessments?region=${COUNTY}&period=${MONTH}&format=xlsx`, {
      headers: { authorization: `Bearer ${seeded.county}` },
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet('考核')!;
    const headers = (sheet.getRow(2).values as unknown[]).slice(1) as string[];
    regions.forEach(({ region, figures }, index) => {
      const values = (sheet.getRow(3 + index).values as unknown[]).slice(1);
      expect(values[headers.indexOf('区划代码')]).toBe(region.code);
      for (const [header, figure] of Object.entries(COLUMNS))
        expect([header, values[headers.indexOf(header)] ?? null]).toEqual([header, figure(figures)]);
    });
  });

  it('refuses a bad period or region in the one error shape, an unknown region with 404, and outside the scope with 403', async () => {
    const shape = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };
    for (const query of [
      `region=${COUNTY}&period=2026-H3`,
      `region=${COUNTY}&period=2026-13`,
      `region=${COUNTY}`,
      `region=52069900100&period=${MONTH}`,
      `region=${COUNTY}&period=${MONTH}&format=pdf`,
      `region=${COUNTY}&period=${MONTH}&extra=1`,
    ]) {
      const reply = await assess(query);
      expect([query, reply.status]).toEqual([query, 400]);
      expect(reply.body).toMatchObject({ ...shape, statusCode: 400, requestId: expect.any(String) });
    }
    const badHalf = await assess(`region=${COUNTY}&period=2026-H3`);
    expect(badHalf.body.details).toEqual([expect.objectContaining({ path: 'query.period' })]);
    expect(badHalf.body.message).toMatch(/half-year \(2026-H1\)/);

    const unknown = await assess(`region=520699009000&period=${MONTH}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ ...shape, statusCode: 404 });
    for (const region of [COUNTY, T2, V21]) {
      const outside = await assess(`region=${region}&period=${MONTH}`, seeded.township1);
      expect([region, outside.status]).toEqual([region, 403]);
    }
    // A lecturer's role does not read reports.
    expect((await assess(`region=${T1}&period=${MONTH}`, seeded.lecturer)).status).toBe(403);
    expect((await t.api.get(`/api/v1/assessments?region=${COUNTY}&period=${MONTH}`)).status).toBe(401);
  });
});
