import { bytesLeftToday, countyDayBounds, exceededQuota } from './media-quota';

const limits = {
  user: { queued: 2, bytesPerDay: 1_000, charsPerDay: 100 },
  scope: { queued: 5, bytesPerDay: 3_000, charsPerDay: 300 },
};
const usage = (user: Partial<{ queued: number; bytesToday: number; charsToday: number }>, scope: typeof user = {}) => ({
  user: { queued: 0, bytesToday: 0, charsToday: 0, ...user },
  scope: { queued: 0, bytesToday: 0, charsToday: 0, ...scope },
});
// 2026-12-02 23:30 in county time (UTC+8).
const NOW = new Date('2026-12-02T15:30:00Z');

describe('media quotas', () => {
  it('runs daily quotas by the county day', () => {
    expect(countyDayBounds(NOW)).toEqual({ start: new Date('2026-12-01T16:00:00Z'), end: new Date('2026-12-02T16:00:00Z') });
  });

  it('lets through what fits, up to and including the limit', () => {
    expect(exceededQuota(limits, usage({ queued: 1, charsToday: 60 }), { bytes: 0, chars: 40 }, NOW)).toBeNull();
  });

  it("names the author's quota before the scope's, with its limit, use and reset", () => {
    expect(exceededQuota(limits, usage({ charsToday: 90 }, { charsToday: 290 }), { bytes: 0, chars: 20 }, NOW)).toMatchObject({
      holder: 'user', quota: 'charsPerDay', limit: 100, used: 90, variable: 'TTS_QUOTA_USER_CHARS_PER_DAY', resetsAt: new Date('2026-12-02T16:00:00Z'),
    });
    expect(exceededQuota(limits, usage({}, { queued: 5 }), { bytes: 10, chars: 0 }, NOW)).toMatchObject({ holder: 'scope', quota: 'queued', resetsAt: null });
  });

  it('does not refuse text for bytes, nor an upload for characters', () => {
    expect(exceededQuota(limits, usage({ bytesToday: 1_000 }), { bytes: 0, chars: 10 }, NOW)).toBeNull();
    expect(exceededQuota(limits, usage({ charsToday: 100 }), { bytes: 10, chars: 0 }, NOW)).toBeNull();
  });

  it('leaves an upload the smaller of what the author and the scope have left', () => {
    expect(bytesLeftToday(limits, usage({ bytesToday: 200 }, { bytesToday: 2_500 }))).toBe(500);
    expect(bytesLeftToday(limits, usage({ bytesToday: 1_200 }))).toBe(0);
  });
});
