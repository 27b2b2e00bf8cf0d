import { addDays, isDate, zoneDate, zoneIso } from './clock';

describe('the county clock', () => {
  const evening = Date.parse('2026-11-24T09:30:00Z');

  it('writes instants in UTC+8', () => {
    expect(zoneIso(evening)).toBe('2026-11-24T17:30:00.000+08:00');
    expect(Date.parse(zoneIso(evening))).toBe(evening);
  });

  it('turns the date at midnight in the county, not in UTC', () => {
    expect(zoneDate(Date.parse('2026-11-24T15:59:59Z'))).toBe('2026-11-24');
    expect(zoneDate(Date.parse('2026-11-24T16:00:00Z'))).toBe('2026-11-25');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows a real date', () => {
    expect(isDate('2026-11-24')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('2026-1-2')).toBe(false);
  });
});
