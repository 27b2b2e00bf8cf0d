import { describe, expect, it } from 'vitest';
import { partsOf, periodHolding, periodText, recentYears, switchKind } from './period';

describe('assessment periods', () => {
  it('writes each kind as the server reads it', () => {
    expect(periodText({ kind: 'month', year: 2026, part: 3 })).toBe('2026-03');
    expect(periodText({ kind: 'quarter', year: 2026, part: 4 })).toBe('2026-Q4');
    expect(periodText({ kind: 'half', year: 2026, part: 1 })).toBe('2026-H1');
    expect(periodText({ kind: 'year', year: 2026, part: 0 })).toBe('2026');
  });
  it('finds the period that holds a date, and keeps to the same time when the kind changes', () => {
    expect(periodHolding('2026-08-31', 'month')).toEqual({ kind: 'month', year: 2026, part: 8 });
    expect(periodHolding('2026-08-31', 'quarter').part).toBe(3);
    expect(periodHolding('2026-08-31', 'half').part).toBe(2);
    expect(switchKind({ kind: 'month', year: 2026, part: 11 }, 'half')).toEqual({ kind: 'half', year: 2026, part: 2 });
    expect(switchKind({ kind: 'half', year: 2026, part: 2 }, 'month')).toEqual({ kind: 'month', year: 2026, part: 7 });
    expect(switchKind({ kind: 'year', year: 2025, part: 0 }, 'quarter')).toEqual({
      kind: 'quarter',
      year: 2025,
      part: 1,
    });
  });
  it('offers the parts of a year and recent years', () => {
    expect(partsOf('month')).toHaveLength(12);
    expect(partsOf('half')).toEqual([1, 2]);
    expect(partsOf('year')).toEqual([]);
    expect(recentYears('2026-12-02')).toEqual([2026, 2025, 2024, 2023, 2022]);
  });
});
