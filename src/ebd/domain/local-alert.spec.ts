import { ALERT_CATEGORIES } from '../../emergencies/domain/alert';
import { categoryOfEvent } from './ebm';
import { eventOfCategory, msgTypeOf } from './local-alert';
import { terminalState } from './resource-state';

describe('a local alert as an EBM of this platform', () => {
  it('gives every category an event code that reads back as the same category', () => {
    for (const category of ALERT_CATEGORIES) {
      expect(eventOfCategory(category)).toMatch(/^[0-9][0-9A-Z]{4}$/);
      expect(categoryOfEvent(eventOfCategory(category))).toBe(category);
    }
  });

  it('goes up as 平台演练 (3) when a drill, 实际播发 (1) otherwise', () => {
    expect(msgTypeOf(true)).toBe(3);
    expect(msgTypeOf(false)).toBe(1);
  });
});

describe("a loudspeaker's StateCode", () => {
  const since = new Date('2026-12-03T08:00:00Z');
  const later = new Date(since.getTime() + 1000);
  it('is on when seen since the threshold, broadcasting when it said it plays, off when not seen', () => {
    expect(terminalState({ lastSeenAt: later, playing: false }, since)).toBe(1);
    expect(terminalState({ lastSeenAt: later, playing: null }, since)).toBe(1);
    expect(terminalState({ lastSeenAt: later, playing: true }, since)).toBe(5);
    expect(terminalState({ lastSeenAt: new Date(since.getTime() - 1), playing: true }, since)).toBe(2);
    expect(terminalState({ lastSeenAt: null, playing: null }, since)).toBe(2);
  });
});
