import { describe, expect, it } from 'vitest';
import {
  type AssessedChild,
  chartPercent,
  type Figures,
  percent,
  rankingBars,
  rankingSummary,
  ratesSummary,
} from './figures';

const figures = (score: number | null, rate: number | null = score): Figures => ({
  broadcast: { scheduledDays: 6, airedDays: 4, rate },
  loudspeakers: { expected: 9, reached: 5, rate },
  orders: { orders: 2, onTime: 1, rate: null },
  satisfaction: { ratings: 1, excellent: 0, satisfied: 1, unsatisfied: 0, rate },
  sessions: { sessions: 2, hours: 2 },
  volunteers: { participations: 2, volunteers: 2, hours: 3 },
  score,
});
const child = (rank: number | null, name: string, score: number | null): AssessedChild => ({
  rank,
  region: { code: name, name, level: 'township' },
  figures: figures(score),
});

describe('assessment figures', () => {
  it('shows rates as percentages, and nothing to count as a dash', () => {
    expect(percent(0.4167)).toBe('41.7%');
    expect(percent(1)).toBe('100.0%');
    expect(percent(null)).toBe('—');
    expect(chartPercent(0.667)).toBe(66.7);
    expect(chartPercent(null)).toBeNull();
  });
  it('charts and says the ranking, leaving out regions with no score', () => {
    const children = [child(1, '东岭镇', 0.681), child(2, '西河乡', 0.453), child(null, '南山乡', null)];
    expect(rankingBars(children)).toEqual({ categories: ['1. 东岭镇', '2. 西河乡'], values: [68.1, 45.3] });
    expect(rankingSummary(children)).toBe('1. 东岭镇 68.1%；2. 西河乡 45.3%');
    expect(
      ratesSummary([children[0]], {
        broadcast: '播出率',
        loudspeakers: '在线率',
        orders: '按时',
        satisfaction: '满意',
      }),
    ).toBe('东岭镇：播出率 68.1%，在线率 68.1%，按时 —，满意 68.1%');
  });
});
