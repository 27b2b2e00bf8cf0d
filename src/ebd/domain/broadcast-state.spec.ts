import { broadcastState, coverageOf, statesToReport } from './broadcast-state';
import { BrdState } from './codes';

const at = new Date('2026-12-03T08:00:00Z');
const alert = (status: Parameters<typeof broadcastState>[0]['status'], extra = {}) => ({
  status,
  activatedAt: status === 'draft' || status === 'approved' ? null : at,
  mediaFailed: false,
  ...extra,
});

describe('the state of a broadcast (BrdStateCode)', () => {
  it('waits while a draft or approved, broadcasts while active, is cancelled when cancelled or superseded', () => {
    expect(broadcastState(alert('draft'), { played: 0 })).toBe(BrdState.Waiting);
    expect(broadcastState(alert('approved'), { played: 0 })).toBe(BrdState.Waiting);
    expect(broadcastState(alert('active'), { played: 3 })).toBe(BrdState.Broadcasting);
    expect(broadcastState(alert('cancelled'), { played: 3 })).toBe(BrdState.Cancelled);
    expect(broadcastState(alert('superseded'), { played: 0 })).toBe(BrdState.Cancelled);
  });

  it('ends in success if any targeted loudspeaker played it, in failure if none did or its audio failed', () => {
    expect(broadcastState(alert('ended'), { played: 1 })).toBe(BrdState.Succeeded);
    expect(broadcastState(alert('ended'), { played: 0 })).toBe(BrdState.Failed);
    expect(broadcastState(alert('approved', { mediaFailed: true }), { played: 0 })).toBe(BrdState.Failed);
  });

  it('reports each change once, 播发中 before the end of an alert that went live between two looks, nothing after a final state', () => {
    expect(statesToReport(null, BrdState.Waiting, false)).toEqual([BrdState.Waiting]);
    expect(statesToReport(BrdState.Waiting, BrdState.Waiting, false)).toEqual([]);
    expect(statesToReport(BrdState.Waiting, BrdState.Broadcasting, true)).toEqual([BrdState.Broadcasting]);
    expect(statesToReport(BrdState.Waiting, BrdState.Succeeded, true)).toEqual([
      BrdState.Broadcasting,
      BrdState.Succeeded,
    ]);
    expect(statesToReport(null, BrdState.Failed, true)).toEqual([BrdState.Broadcasting, BrdState.Failed]);
    expect(statesToReport(BrdState.Broadcasting, BrdState.Succeeded, true)).toEqual([BrdState.Succeeded]);
    // Cancelled before it ever went live: straight to 5.
    expect(statesToReport(BrdState.Waiting, BrdState.Cancelled, false)).toEqual([BrdState.Cancelled]);
    expect(statesToReport(BrdState.Succeeded, BrdState.Cancelled, true)).toEqual([]);
  });

  it('covers loudspeakers that played ÷ loudspeakers targeted, zero when it targets none', () => {
    expect(coverageOf({ endpoints: 4, played: 3 }, ['520628001000'])).toEqual({
      rate: 0.75,
      areaCodes: ['520628001000'],
      terminals: 3,
    });
    expect(coverageOf({ endpoints: 0, played: 0 }, []).rate).toBe(0);
  });
});
