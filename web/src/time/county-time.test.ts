import { addDays, countyClock, countyDate, countyDateTime, countyInstant, duration } from './county-time';

describe('county time', () => {
  it('reads an instant on the county calendar, not the browser one', () => {
    // 16:30 UTC is already the next day in the county (UTC+8).
    expect(countyDate(new Date('2026-12-01T16:30:00Z'))).toBe('2026-12-02');
    expect(countyDateTime('2026-12-01T09:30:00Z')).toBe('2026-12-01 17:30');
    expect(countyClock('2026-12-01T09:30:05Z', true)).toBe('17:30:05');
  });

  it('names the instant of a county date and clock, whatever the browser zone', () => {
    const instant = countyInstant('2026-12-02', '00:30');
    expect(new Date(instant).toISOString()).toBe('2026-12-01T16:30:00.000Z');
    expect(countyDateTime(instant)).toBe('2026-12-02 00:30');
  });

  it('counts days on the calendar across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('writes lengths the way a programme reads', () => {
    expect(duration(59)).toBe('0:59');
    expect(duration(605)).toBe('10:05');
    expect(duration(3725)).toBe('1:02:05');
    expect(countyDateTime(null)).toBe('—');
  });
});
