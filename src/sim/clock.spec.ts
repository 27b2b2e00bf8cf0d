import { zoneIso } from 'dalaba-agent/protocol';
import { parseDuration, parseTimeOffset } from './clock';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['-10m', -600_000],
    ['3h25m', 3 * 3600_000 + 25 * 60_000],
    ['1d', 86_400_000],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['+1.5s', 1500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['90', '', 's', '10x', '1h-5m', '--1s', '1 h'])('refuses "%s"', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
});

describe('the time offset', () => {
  const realNow = Date.parse('2026-11-24T02:00:00Z'); // 10:00 in the county

  it('is a duration added to the real clock', () => {
    expect(parseTimeOffset('-10m', undefined, realNow)).toBe(-600_000);
  });

  it('at:HH:MM:SS makes it that time in the county today', () => {
    const offset = parseTimeOffset('at:17:29:50', undefined, realNow);
    expect(zoneIso(realNow + offset)).toBe('2026-11-24T17:29:50.000+08:00');
  });

  it('at:HH:MM on a given date', () => {
    const offset = parseTimeOffset('at:17:30', '2026-12-01', realNow);
    expect(zoneIso(realNow + offset)).toBe('2026-12-01T17:30:00.000+08:00');
  });

  it('uses the county date, which may be ahead of UTC', () => {
    const lateUtc = Date.parse('2026-11-24T20:00:00Z'); // already the 25th in the county
    expect(zoneIso(lateUtc + parseTimeOffset('at:08:00', undefined, lateUtc))).toBe('2026-11-25T08:00:00.000+08:00');
  });

  it.each(['at:24:00', 'at:17:60', 'at:5:30', 'at:'])('refuses %s', (text) => {
    expect(() => parseTimeOffset(text, undefined, realNow)).toThrow(/not a time of day/);
  });
});
