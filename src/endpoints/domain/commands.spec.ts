import { applyReport, expiryOf, statusCounts } from './commands';

describe('endpoint command rules', () => {
  const limits = { defaultMinutes: 1440, maxMinutes: 10080 };
  const issuedAt = new Date('2026-12-03T08:00:00Z');

  it('refuses a lifetime over the maximum, and takes the default when none is asked', () => {
    expect(expiryOf(issuedAt, 10081, limits)).toBeNull();
    expect(expiryOf(issuedAt, undefined, limits)).toEqual(new Date('2026-12-04T08:00:00Z'));
    expect(expiryOf(issuedAt, 5, limits)).toEqual(new Date('2026-12-03T08:05:00Z'));
  });

  it('takes no report once a delivery is finished or its command expired', () => {
    for (const current of ['done', 'failed', 'expired'] as const)
      expect(applyReport(current, 'acknowledged', false)).toBe('finished');
    expect(applyReport('sent', 'done', true)).toBe('finished');
  });

  it('moves an open delivery to what the device says, and an acknowledgement twice is one', () => {
    expect(applyReport('pending', 'acknowledged', false)).toEqual({ status: 'acknowledged' });
    expect(applyReport('acknowledged', 'acknowledged', false)).toEqual({ status: 'acknowledged' });
    expect(applyReport('sent', 'failed', false)).toEqual({ status: 'failed' });
    expect(applyReport('acknowledged', 'done', false)).toEqual({ status: 'done' });
  });

  it('counts every status, absent ones as zero', () => {
    expect(statusCounts([{ status: 'sent', count: 3 }])).toEqual({
      pending: 0,
      sent: 3,
      acknowledged: 0,
      done: 0,
      failed: 0,
      expired: 0,
    });
  });
});
