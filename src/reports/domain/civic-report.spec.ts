import type { LectureSessionPayload } from '../../ledger/domain/entries';
import { parsePeriod } from '../../ledger/domain/periods';
import { buildReport, inRegion, type ReportInput } from './civic-report';
import { reportTables, reportTitle, toCsv } from './report-tables';

const COUNTY = { code: '520628000000', name: '松桃苗族自治县', level: 'county' as const };
const DAXING = { code: '520628001000', name: '大兴街道', level: 'township' as const };

function session(overrides: Partial<LectureSessionPayload>): LectureSessionPayload {
  return {
    sessionId: overrides.sessionId ?? 's1',
    mode: 'onsite',
    topicId: 't1',
    topicTitle: '村规民约',
    theme: '文明乡风',
    teamId: null,
    lecturers: [{ id: 'l1', name: '王理论' }],
    startsAt: '2026-11-05T09:30:00+08:00',
    plannedMinutes: 90,
    actualMinutes: 90,
    attendance: 80,
    volunteers: [{ id: 'v1', name: '张三' }],
    orderId: null,
    onAir: null,
    ...overrides,
  };
}

const onAir = (regions: Array<[string, number, number]>) => ({
  broadcastId: 'b1',
  date: '2026-11-12',
  endpoints: regions.reduce((s, [, e]) => s + e, 0),
  played: regions.reduce((s, [, , p]) => s + p, 0),
  reached: regions.reduce((s, [, , p]) => s + p, 0),
  regionsReached: regions.filter(([, , p]) => p > 0).map(([code]) => code),
  regions: regions.map(([code, endpoints, played]) => ({ code, endpoints, played, reached: played })),
});

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    region: COUNTY,
    period: parsePeriod('2026-11'),
    sessions: [
      { seq: '1', regionCode: '520628001001', payload: session({}) },
      {
        seq: '9',
        regionCode: '520628101101',
        payload: session({
          sessionId: 's2',
          mode: 'online',
          topicTitle: '移风易俗',
          theme: null,
          attendance: 300,
          actualMinutes: 45,
          volunteers: [
            { id: 'v1', name: '张三' },
            { id: 'v2', name: '李四' },
          ],
          startsAt: '2026-11-20T19:00:00+08:00',
        }),
      },
      {
        seq: '14',
        regionCode: '520628001000',
        payload: session({
          sessionId: 's3',
          mode: 'on_air',
          attendance: 3,
          actualMinutes: 6,
          volunteers: [],
          onAir: onAir([
            ['520628001001', 2, 2],
            ['520628001002', 2, 1],
          ]),
        }),
      },
    ],
    onAirAbove: [],
    ratings: [
      {
        orderId: 'o1',
        topicId: 't1',
        topicTitle: '村规民约',
        teamId: 'team',
        sessionId: 's1',
        rating: 'excellent',
        comment: null,
        onTime: true,
      },
    ],
    orders: [
      {
        status: 'rated',
        rating: 'excellent',
        dispatchedAt: new Date('2026-11-02'),
        acceptedAt: new Date('2026-11-02'),
        deliveredAt: new Date('2026-11-04'),
        deliverBy: new Date('2026-11-05'),
        escalations: 0,
      },
      {
        status: 'escalated',
        rating: null,
        dispatchedAt: new Date('2026-11-10'),
        acceptedAt: null,
        deliveredAt: null,
        deliverBy: new Date('2026-11-13'),
        escalations: 1,
      },
      {
        status: 'ordered',
        rating: null,
        dispatchedAt: null,
        acceptedAt: null,
        deliveredAt: null,
        deliverBy: null,
        escalations: 0,
      },
    ],
    themes: [{ month: '2026-11', title: '文明乡风' }],
    regionNames: new Map([['520628001001', '白岩社区']]),
    ...overrides,
  };
}

describe('the civic-practice report', () => {
  it('counts sessions, hours and audience by mode, theme, topic and month; on air counts as coverage, not audience', () => {
    const report = buildReport(input());
    expect(report.totals).toEqual({
      sessions: 3,
      hours: 2.4,
      audience: 380,
      volunteers: 2,
      lecturers: 1,
      lecturerHours: 2.4,
    });
    expect(report.byMode).toEqual([
      { mode: 'onsite', sessions: 1, hours: 1.5, audience: 80 },
      { mode: 'on_air', sessions: 1, hours: 0.1, audience: 0 },
      { mode: 'online', sessions: 1, hours: 0.8, audience: 300 },
    ]);
    expect(report.byTheme).toEqual([
      { theme: '文明乡风', sessions: 2, hours: 1.6, audience: 80 },
      { theme: '（未定主题）', sessions: 1, hours: 0.8, audience: 300 },
    ]);
    expect(report.byMonth).toEqual([{ month: '2026-11', theme: '文明乡风', sessions: 3, hours: 2.4, audience: 380 }]);
    expect(report.onAir).toEqual({ airings: 1, endpoints: 4, played: 3, coverage: 0.75, villagesReached: 2 });
    expect(report.orders).toEqual({
      ordered: 3,
      dispatched: 2,
      accepted: 1,
      delivered: 1,
      deliveredOnTime: 1,
      escalated: 1,
      rated: 1,
      cancelled: 0,
      open: 2,
      ratings: { excellent: 1, satisfied: 0, unsatisfied: 0 },
    });
    expect(report.sessions.map((row) => [row.seq, row.regionName, row.attendance, row.endpointsPlayed])).toEqual([
      ['1', '白岩社区', 80, null],
      ['14', '520628001000', null, 3],
      ['9', '520628101101', 300, null],
    ]);
  });

  it('counts a county programme on air in a township report only for the township’s own loudspeakers', () => {
    const county = session({
      sessionId: 'c1',
      mode: 'on_air',
      onAir: onAir([
        ['520628001001', 2, 2],
        ['520628101101', 5, 0],
      ]),
    });
    const report = buildReport(input({ region: DAXING, sessions: [], onAirAbove: [county] }));
    expect(report.onAir).toEqual({ airings: 1, endpoints: 2, played: 2, coverage: 1, villagesReached: 1 });
    expect(
      buildReport(
        input({ region: { code: '520628101000', name: '盘石镇', level: 'township' }, sessions: [], onAirAbove: [] }),
      ).onAir.coverage,
    ).toBeNull();
    expect(inRegion('520628001001', DAXING)).toBe(true);
    expect(inRegion('520628101101', DAXING)).toBe(false);
    expect(inRegion('520628001001', { code: '520628001001', name: '', level: 'village' })).toBe(true);
  });

  it('lays out as tables with Chinese headers, and as one CSV a spreadsheet opens (BOM, CRLF, quoting)', () => {
    const report = buildReport(
      input({
        sessions: [{ seq: '1', regionCode: '520628001001', payload: session({ topicTitle: '讲"法治", 也讲德治' }) }],
      }),
    );
    const tables = reportTables(report);
    expect(tables.map((table) => table.name)).toEqual([
      '概况',
      '按宣讲方式',
      '按月度主题',
      '按宣讲题目',
      '按月',
      '四单',
      '宣讲台账',
    ]);
    expect(tables.every((table) => table.rows.every((row) => row.length === table.columns.length))).toBe(true);
    expect(reportTitle(report)).toBe('松桃苗族自治县 新时代文明实践月度排查报表（2026-11）');
    const csv = toCsv(reportTitle(report), tables);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString('utf8');
    expect(text.split('\r\n').slice(0, 5)).toEqual([
      '松桃苗族自治县 新时代文明实践月度排查报表（2026-11）',
      '',
      '【概况】',
      '指标,数值',
      '地区,松桃苗族自治县（520628000000）',
    ]);
    expect(text).toContain('"讲""法治"", 也讲德治"');
    // Text a spreadsheet would run as a formula stays text; numbers stay numbers.
    const formula = toCsv('t', [
      {
        name: 'x',
        columns: [{ header: 'a' }, { header: 'b' }],
        rows: [
          ['=HYPERLINK("http://x")', -3],
          ['@SUM(A1)', null],
        ],
      },
    ])
      .subarray(3)
      .toString('utf8');
    expect(formula).toContain(`"'=HYPERLINK(""http://x"")",-3\r\n'@SUM(A1),\r\n`);
    expect(text).not.toMatch(/[^\r]\n/);
  });
});
