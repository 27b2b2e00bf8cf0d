import { parsePeriod } from '../../ledger/domain/periods';
import { buildAssessment, type AssessmentInput } from './assessment';
import { assessmentTables, assessmentTitle } from './assessment-tables';
import { toCsv } from './report-tables';

const COUNTY = { code: '520628000000', name: '松桃县', level: 'county' as const };
const DAXING = { code: '520628001000', name: '大兴街道', level: 'township' as const };
const PANSHI = { code: '520628101000', name: '盘石镇', level: 'township' as const };
const LIAOGAO = { code: '520628002000', name: '蓼皋街道', level: 'township' as const };
const DX1 = '520628001001';
const DX2 = '520628001002';
const PS1 = '520628101101';
const OTHER_COUNTY_VILLAGE = '520627001001';

const reach = (code: string, endpoints: number, reached: number) => ({ code, endpoints, played: reached, reached });
const at = (iso: string) => new Date(iso);

function input(overrides: Partial<AssessmentInput> = {}): AssessmentInput {
  return {
    region: COUNTY,
    children: [DAXING, PANSHI, LIAOGAO],
    period: parsePeriod('2026-11'),
    broadcasts: [],
    sessions: [],
    volunteerHours: [],
    ratings: [],
    orders: [],
    ...overrides,
  };
}

describe('the assessment', () => {
  it('counts village-days: scheduled when a broadcast was to reach a loudspeaker there, aired when one played it', () => {
    const assessment = buildAssessment(
      input({
        broadcasts: [
          // Day 1: both Daxing villages scheduled, one aired; Panshi aired with one of two loudspeakers.
          { date: '2026-11-01', regions: [reach(DX1, 2, 2), reach(DX2, 1, 0), reach(PS1, 2, 1)] },
          // Day 1 again (a second evening broadcast): DX2 aired it, so DX2's day aired; the day counts once.
          { date: '2026-11-01', regions: [reach(DX2, 1, 1)] },
          // Day 2: a village with no loudspeakers listed (endpoints 0) is not scheduled; another county is not counted.
          { date: '2026-11-02', regions: [reach(DX1, 0, 0), reach(PS1, 2, 0), reach(OTHER_COUNTY_VILLAGE, 5, 5)] },
        ],
      }),
    );
    expect(assessment.figures.broadcast).toEqual({ scheduledDays: 4, airedDays: 3, rate: 0.75 });
    expect(assessment.figures.loudspeakers).toEqual({ expected: 8, reached: 4, rate: 0.5 });
    const [first, second, third] = assessment.children;
    expect(first).toMatchObject({
      rank: 1,
      region: { code: DAXING.code },
      figures: { broadcast: { scheduledDays: 2, airedDays: 2, rate: 1 }, loudspeakers: { expected: 4, reached: 3 } },
    });
    expect(second).toMatchObject({
      rank: 2,
      region: { code: PANSHI.code },
      figures: { broadcast: { scheduledDays: 2, airedDays: 1, rate: 0.5 }, loudspeakers: { rate: 0.25 } },
    });
    // Nothing to count: no rates, no score, no rank, listed last.
    expect(third).toMatchObject({
      rank: null,
      region: { code: LIAOGAO.code },
      figures: { broadcast: { rate: null }, orders: { rate: null }, score: null },
    });
  });

  it('counts orders on time by their deadline, leaves cancelled ones out, and rates satisfaction', () => {
    const deliverBy = at('2026-11-04T10:00:00Z');
    const assessment = buildAssessment(
      input({
        region: DAXING,
        children: [
          { code: DX1, name: '白岩社区', level: 'village' },
          { code: DX2, name: '星光社区', level: 'village' },
        ],
        orders: [
          { regionCode: DX1, status: 'rated', deliveredAt: at('2026-11-03T10:00:00Z'), deliverBy },
          { regionCode: DX1, status: 'delivered', deliveredAt: at('2026-11-04T10:00:01Z'), deliverBy },
          { regionCode: DX1, status: 'accepted', deliveredAt: null, deliverBy },
          { regionCode: DX2, status: 'cancelled', deliveredAt: null, deliverBy: null },
          { regionCode: PS1, status: 'rated', deliveredAt: at('2026-11-03T10:00:00Z'), deliverBy },
        ],
        ratings: [
          { regionCode: DX1, payload: { rating: 'excellent' } },
          { regionCode: DX1, payload: { rating: 'satisfied' } },
          { regionCode: DX2, payload: { rating: 'unsatisfied' } },
        ],
      }),
    );
    expect(assessment.figures.orders).toEqual({ orders: 3, onTime: 1, rate: 0.333 });
    expect(assessment.figures.satisfaction).toEqual({
      ratings: 3,
      excellent: 1,
      satisfied: 1,
      unsatisfied: 1,
      rate: 0.667,
    });
    // The score is the mean of the rates that exist: orders and satisfaction here.
    expect(assessment.figures.score).toBe(0.5);
    expect(assessment.children.map((child) => [child.rank, child.region.code, child.figures.score])).toEqual([
      [1, DX1, 0.667],
      [2, DX2, 0],
    ]);
  });

  it('adds up sessions, hours and volunteers: participations per sign-in, volunteers once each', () => {
    const assessment = buildAssessment(
      input({
        sessions: [
          { regionCode: DX1, payload: { actualMinutes: 90 } },
          { regionCode: PS1, payload: { actualMinutes: 45 } },
          { regionCode: COUNTY.code, payload: { actualMinutes: 30 } },
        ],
        volunteerHours: [
          { regionCode: DX1, payload: { volunteerId: 'a', minutes: 90 } },
          { regionCode: DX1, payload: { volunteerId: 'b', minutes: 60 } },
          { regionCode: PS1, payload: { volunteerId: 'a', minutes: 20 } },
        ],
      }),
    );
    expect(assessment.figures.sessions).toEqual({ sessions: 3, hours: 2.8 });
    expect(assessment.figures.volunteers).toEqual({ participations: 3, volunteers: 2, hours: 2.8 });
    const daxing = assessment.children.find((child) => child.region.code === DAXING.code)!;
    expect(daxing.figures.volunteers).toEqual({ participations: 2, volunteers: 2, hours: 2.5 });
    expect(daxing.figures.sessions).toEqual({ sessions: 1, hours: 1.5 });
  });

  it('counts a township’s own loudspeakers in the township, in none of its villages', () => {
    const assessment = buildAssessment(
      input({
        region: DAXING,
        children: [{ code: DX1, name: '白岩社区', level: 'village' }],
        broadcasts: [{ date: '2026-11-01', regions: [reach(DAXING.code, 1, 1), reach(DX1, 1, 0)] }],
      }),
    );
    expect(assessment.figures.broadcast).toEqual({ scheduledDays: 2, airedDays: 1, rate: 0.5 });
    expect(assessment.children[0].figures.broadcast).toEqual({ scheduledDays: 1, airedDays: 0, rate: 0 });
  });

  it('ranks equal scores alike', () => {
    const assessment = buildAssessment(
      input({
        ratings: [
          { regionCode: DX1, payload: { rating: 'excellent' } },
          { regionCode: PS1, payload: { rating: 'satisfied' } },
        ],
      }),
    );
    expect(assessment.children.map((child) => child.rank)).toEqual([1, 1, null]);
  });

  it('lays out one table with the region first and the ranked regions below, in Chinese', () => {
    const assessment = buildAssessment(
      input({ period: parsePeriod('2026-H2'), ratings: [{ regionCode: DX1, payload: { rating: 'excellent' } }] }),
    );
    expect(assessmentTitle(assessment)).toBe('松桃县 新时代文明实践考核（半年总结 2026-H2）');
    const [table] = assessmentTables(assessment);
    expect(table.rows.map((row) => row.slice(0, 3))).toEqual([
      ['合计', '松桃县', COUNTY.code],
      ['1', '大兴街道', DAXING.code],
      ['—', '蓼皋街道', LIAOGAO.code],
      ['—', '盘石镇', PANSHI.code],
    ]);
    expect(table.columns.length).toBe(table.rows[0].length);
    const csv = toCsv(assessmentTitle(assessment), [table]).toString('utf8');
    expect(csv).toContain('满意率');
    expect(csv.split('\r\n')[4].split(',').at(-1)).toBe('1');
  });
});
