import { coverageBars, coverageTotals, type Coverage } from './coverage';

const tally = (played: number, failed: number, interrupted: number, missed: number) => ({
  endpoints: played + failed + interrupted + missed,
  played,
  failed,
  interrupted,
  missed,
});

const coverage: Coverage = {
  regionCode: '520628000000',
  date: '2026-12-01',
  endpoints: 4,
  items: [
    { itemId: 'a', title: '新闻联播', startsAt: '2026-12-01T17:30:00+08:00', totals: tally(3, 1, 0, 0), regions: [] },
    { itemId: 'b', title: '农技知识', startsAt: '2026-12-01T17:45:00+08:00', totals: tally(1, 0, 1, 2), regions: [] },
  ],
};

describe('coverage', () => {
  it('adds every broadcast of the day on every loudspeaker into one count per outcome', () => {
    expect(coverageTotals(coverage)).toEqual({ endpoints: 8, played: 4, failed: 1, interrupted: 1, missed: 2 });
  });

  it('labels each bar with its county start time and stacks played, interrupted, failed, missed', () => {
    expect(coverageBars(coverage, (iso) => iso.slice(11, 16))).toEqual([
      { label: '17:30 新闻联播', counts: [3, 0, 1, 0] },
      { label: '17:45 农技知识', counts: [1, 1, 0, 2] },
    ]);
  });
});
