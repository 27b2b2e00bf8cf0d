import { isOnline } from './device-state';
import { beatFields, flushedValues, steadyGapMs, writeAtOnce } from './heartbeat-report';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 3, 9) + seconds * 1000);
const steady = { volume: 60, state: 'idle' as const, version: 'dalaba-agent/0.3.0', freeBytes: 1000, clockOffsetMs: 3 };
const GAP = steadyGapMs(180, 15);

describe('which heartbeats Postgres hears at once', () => {
  it('the first one, and the first after Redis lost the previous', () => {
    expect(writeAtOnce(null, beatFields(steady, at(0)), GAP)).toBe(true);
    expect(writeAtOnce({}, beatFields(steady, at(0)), GAP)).toBe(true);
  });

  it('not a steady one, whatever its free space, clock offset or time', () => {
    const previous = beatFields(steady, at(0));
    expect(writeAtOnce(previous, beatFields({ ...steady, freeBytes: 999, clockOffsetMs: -7 }, at(60)), GAP)).toBe(
      false,
    );
    expect(writeAtOnce(previous, beatFields(steady, at(150)), GAP)).toBe(false);
  });

  it('one after a gap longer than the online window less two flush intervals', () => {
    expect(GAP).toBe(150_000);
    expect(writeAtOnce(beatFields(steady, at(0)), beatFields(steady, at(151)), GAP)).toBe(true);
    // A flush interval as long as half the online window: every beat is written at once.
    expect(writeAtOnce(beatFields(steady, at(0)), beatFields(steady, at(1)), steadyGapMs(30, 15))).toBe(true);
  });

  it.each([
    ['volume', { volume: 61 }],
    ['state', { state: 'playing' as const }],
    ['playing of an older device', { playing: true }],
    ['fault', { state: 'fault' as const, fault: { code: 'amp.overheat', text: '功放过热' } }],
    ['mute', { muted: true }],
    ['version', { version: 'dalaba-agent/0.4.0' }],
  ])('one whose %s changed', (_what, change) => {
    expect(writeAtOnce(beatFields(steady, at(0)), beatFields({ ...steady, ...change }, at(60)), GAP)).toBe(true);
  });

  it('one whose held media changed; the same media in another order, or none reported, are no news', () => {
    const held = { ...steady, held: { media: ['a'.repeat(64), 'b'.repeat(64)] } };
    const previous = beatFields(held, at(0));
    expect(writeAtOnce(previous, beatFields({ ...steady, held: { media: ['b'.repeat(64)] } }, at(60)), GAP)).toBe(true);
    const reordered = { ...steady, held: { media: ['b'.repeat(64), 'a'.repeat(64)] } };
    expect(writeAtOnce(previous, beatFields(reordered, at(60)), GAP)).toBe(false);
    expect(writeAtOnce(previous, beatFields(steady, at(60)), GAP)).toBe(false);
  });

  it('flushes what moves: last seen, free space and clock offset, none for an entry that expired', () => {
    expect(flushedValues(beatFields(steady, at(5)))).toEqual({ seenAt: at(5), freeBytes: 1000, clockOffsetMs: 3 });
    expect(flushedValues(beatFields({ volume: 1 }, at(5)))).toEqual({
      seenAt: at(5),
      freeBytes: null,
      clockOffsetMs: null,
    });
    expect(flushedValues({})).toBeNull();
  });
});

describe('online read from Postgres between flushes', () => {
  // A deterministic pseudo-random sequence: the same run every time.
  function random(seed: number) {
    return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  }

  it.each([
    [180, 15],
    [180, 60],
    [30, 5],
    [600, 15],
  ])(
    'is online read from Redis at every second (online %i s, flush every %i s, flushes up to one interval late)',
    (online, flush) => {
      const next = random(online * 1000 + flush);
      const gap = steadyGapMs(online, flush);
      let previous: ReturnType<typeof beatFields> | null = null;
      let real: Date | null = null;
      let postgres: Date | null = null;
      const waiting: Date[] = [];
      let nextBeat = 0;
      let nextFlush = flush;
      let mismatches = 0;
      let steadyBeats = 0;
      for (let second = 0; second < 20_000; second++) {
        if (second === nextFlush) {
          for (const seen of waiting.splice(0)) if (!postgres || postgres < seen) postgres = seen;
          // A flush comes between one and two intervals after the previous one.
          nextFlush = second + flush + Math.floor(next() * flush);
        }
        if (second === nextBeat) {
          const beat = beatFields(steady, at(second));
          if (writeAtOnce(previous, beat, gap)) postgres = at(second);
          else {
            waiting.push(at(second));
            steadyBeats++;
          }
          previous = beat;
          real = at(second);
          // Devices beat now steadily, now after a pause (a power cut, a reboot, a bad link).
          nextBeat = second + 1 + Math.floor(next() < 0.9 ? next() * online : next() * online * 3);
        }
        const since = at(second - online);
        if (
          isOnline({ revokedAt: null, lastSeenAt: real }, since) !==
          isOnline({ revokedAt: null, lastSeenAt: postgres }, since)
        )
          mismatches++;
      }
      expect(steadyBeats).toBeGreaterThan(50);
      expect(mismatches).toBe(0);
    },
  );
});
