import { confirmationNeeded, statusCounts } from './command-logic';

describe('remote control rules in the console', () => {
  it('asks to confirm a restart anywhere and any command to a whole county', () => {
    expect(confirmationNeeded('restart', 'village')).toBe('restart');
    expect(confirmationNeeded('mute', 'county')).toBe('county');
    expect(confirmationNeeded('restart', 'county')).toBe('county');
    expect(confirmationNeeded('mute', 'township')).toBeNull();
    expect(confirmationNeeded('test-tone', undefined)).toBeNull();
  });

  it('lists the statuses a command stands at in delivery order, none that no device has', () => {
    expect(statusCounts({ pending: 1, sent: 0, acknowledged: 0, done: 3, failed: 1, expired: 0, total: 5 })).toEqual([
      { status: 'pending', count: 1 },
      { status: 'done', count: 3 },
      { status: 'failed', count: 1 },
    ]);
  });
});
