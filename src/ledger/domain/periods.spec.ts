import { BadPeriod, countyDayRange, monthsOf, parsePeriod } from './periods';

describe('report periods', () => {
  it('reads a month, a quarter and a year as spans of county dates', () => {
    expect(parsePeriod('2026-11')).toEqual({
      kind: 'month',
      label: '2026-11',
      first: '2026-11-01',
      last: '2026-11-30',
    });
    expect(parsePeriod('2024-02').last).toBe('2024-02-29');
    expect(parsePeriod('2026-q4')).toEqual({
      kind: 'quarter',
      label: '2026-Q4',
      first: '2026-10-01',
      last: '2026-12-31',
    });
    expect(parsePeriod('2026-Q1')).toMatchObject({ first: '2026-01-01', last: '2026-03-31' });
    expect(parsePeriod('2026-h2')).toEqual({
      kind: 'half',
      label: '2026-H2',
      first: '2026-07-01',
      last: '2026-12-31',
    });
    expect(parsePeriod('2026-H1')).toMatchObject({ first: '2026-01-01', last: '2026-06-30' });
    expect(parsePeriod('2026')).toEqual({ kind: 'year', label: '2026', first: '2026-01-01', last: '2026-12-31' });
  });
  it('lists the months of a period', () => {
    expect(monthsOf(parsePeriod('2026-Q4'))).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(monthsOf(parsePeriod('2026'))).toHaveLength(12);
    expect(monthsOf(parsePeriod('2026-H1'))).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    expect(monthsOf(parsePeriod('2026-02'))).toEqual(['2026-02']);
  });
  it('refuses anything else, saying what it takes', () => {
    for (const text of ['2026-13', '2026-Q5', '2026-H3', '2026-H0', '26-11', 'november', '2026-11-01'])
      expect(() => parsePeriod(text)).toThrow(BadPeriod);
  });
  it('turns county dates into instants: a county day starts at 16:00 UTC the day before', () => {
    expect(countyDayRange('2026-11-01', '2026-11-30')).toEqual({
      from: new Date('2026-10-31T16:00:00Z'),
      to: new Date('2026-11-30T16:00:00Z'),
    });
    expect(countyDayRange(undefined, undefined)).toEqual({});
    expect(() => countyDayRange('2026-02-30')).toThrow(BadPeriod);
  });
});
