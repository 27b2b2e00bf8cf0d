import { volunteerHistory, type VolunteerEntry } from './history';

const SESSION_A = 'session-a';
const SESSION_B = 'session-b';
const at = (day: number) => new Date(Date.UTC(2026, 11, day, 11));

function hours(seq: number, sessionId: string, minutes: number, own = false): VolunteerEntry {
  return {
    seq: BigInt(seq),
    kind: 'volunteer_hours',
    occurredAt: at(seq),
    payload: {
      volunteerId: 'v',
      name: '张伟',
      sessionId,
      minutes,
      ...(own ? { signedInAt: '2026-12-01T19:00:00+08:00', signedOutAt: '2026-12-01T20:12:00+08:00' } : {}),
    },
  };
}

function points(
  seq: number,
  kind: 'points_awarded' | 'points_redeemed',
  change: number,
  balance: number,
  sessionId: string | null,
): VolunteerEntry {
  return {
    seq: BigInt(seq),
    kind,
    occurredAt: at(seq),
    payload: {
      holderType: 'volunteer',
      holderId: 'v',
      holderName: '张伟',
      points: change,
      balance,
      reason: kind === 'points_awarded' ? 'volunteer hours' : '兑换',
      minutes: sessionId ? 72 : null,
      sessionId,
      ...(kind === 'points_redeemed' ? { item: { id: 'i', name: '洗衣粉', quantity: 2, stockLeft: 5 } } : {}),
    },
  };
}

describe("a volunteer's history", () => {
  it('puts each session’s hours and the points they earned on one line, and redemptions on their own, newest first', () => {
    const history = volunteerHistory([
      hours(1, SESSION_A, 72, true),
      points(2, 'points_awarded', 12, 12, SESSION_A),
      hours(3, SESSION_B, 4),
      points(4, 'points_redeemed', -10, 2, null),
    ]);
    expect(history.map((item) => [item.kind, item.sessionId, item.minutes, item.points, item.balance])).toEqual([
      ['redeemed', null, null, -10, 2],
      ['hours', SESSION_B, 4, 0, null],
      ['hours', SESSION_A, 72, 12, 12],
    ]);
    expect(history[0].reason).toBe('洗衣粉 × 2');
    expect(history[2]).toMatchObject({
      signedInAt: '2026-12-01T19:00:00+08:00',
      signedOutAt: '2026-12-01T20:12:00+08:00',
    });
    // Named by the lecturer, not scanned: no own times.
    expect(history[1]).toMatchObject({ signedInAt: null, signedOutAt: null });
  });
});
