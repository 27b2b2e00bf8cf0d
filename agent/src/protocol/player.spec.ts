import { firstSight, type LiveItem, Player, preempts, type Outcome, type PlaylistItem } from './player';
import { Scheduler } from './scheduler';

const T0 = Date.parse('2026-11-24T17:29:50+08:00');

function item(id: string, startsAt: string, durationMs: number, extra: Partial<PlaylistItem> = {}): PlaylistItem {
  return {
    id,
    kind: 'scheduled',
    title: id,
    startsAt: `2026-11-24T${startsAt}+08:00`,
    durationMs,
    priority: 10,
    media: { url: `/media/${id}.mp3`, sha256: `sha-${id}`, bytes: 1000, mime: 'audio/mpeg' },
    ...extra,
  };
}

function setUp(
  settings: { speed?: number; failRate?: number; held?: string[]; waits?: () => string | undefined } = {},
) {
  const clock = { now: () => Date.now() };
  const log: string[] = [];
  const tuned: string[] = [];
  const receipts: Array<{ id: string; outcome: Outcome; startedAt: number; endedAt: number }> = [];
  const whys: string[] = [];
  const held = new Set(settings.held ?? ['sha-a', 'sha-b', 'sha-c', 'sha-e']);
  const player = new Player(
    new Scheduler(clock),
    clock,
    { speed: settings.speed ?? 1, failRate: settings.failRate ?? 0, random: () => 0.5 },
    {
      holds: (sha256) => held.has(sha256),
      skipped: (skipped, why) => log.push(`skip ${skipped.id}: ${why}`),
      started: (started) => log.push(`play ${started.id}`),
      tune: (live) => tuned.push(live.stream.url),
      waits: () => settings.waits?.(),
      finished: (done, outcome, startedAt, endedAt, why) => {
        receipts.push({ id: done.id, outcome, startedAt, endedAt });
        whys.push(why);
      },
    },
  );
  return { player, log, receipts, tuned, whys };
}

/** A live session heard of now, live for `seconds` at most. */
function live(id: string, urgent: boolean, seconds = 600): LiveItem {
  return {
    id: `live:${id}`,
    kind: 'live',
    title: id,
    startsAt: new Date().toISOString(),
    priority: urgent ? 90 : 20,
    urgent,
    endsAt: Date.now() + seconds * 1000,
    stream: { url: `http://icecast.test/${id}.mp3`, mime: 'audio/mpeg' },
  };
}

describe('first sight of an item', () => {
  const a = item('a', '17:30:00', 60_000);
  it('is scheduled before it starts, and too late once it started or ended', () => {
    expect(firstSight(a, Date.parse(a.startsAt) - 1)).toBe('schedule');
    expect(firstSight(a, Date.parse(a.startsAt))).toBe('under way');
    expect(firstSight(a, Date.parse(a.startsAt) + 60_000)).toBe('over');
  });
  it('airs an emergency that is under way at once, but not one that is over', () => {
    const e = item('e', '17:30:00', 60_000, { kind: 'emergency', priority: 101 });
    expect(firstSight(e, Date.parse(e.startsAt) + 1)).toBe('now');
    expect(firstSight(e, Date.parse(e.startsAt) + 60_000)).toBe('over');
  });
});

describe('the player', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('airs each item at its start for its duration, one after the other', () => {
    const { player, receipts } = setUp();
    const items = [item('a', '17:30:00', 60_000), item('b', '17:31:00', 30_000)];
    player.update(items);
    jest.advanceTimersByTime(10_000 - 1);
    expect(player.playing).toBe(false);
    jest.advanceTimersByTime(1);
    expect(player.playing).toBe(true);
    jest.advanceTimersByTime(90_000);
    expect(receipts).toEqual([
      { id: 'a', outcome: 'played', startedAt: T0 + 10_000, endedAt: T0 + 70_000 },
      { id: 'b', outcome: 'played', startedAt: T0 + 70_000, endedAt: T0 + 100_000 },
    ]);
    expect(player.settled(items)).toBe(true);
  });

  it('skips what is over or under way when first seen', () => {
    const { player, log, receipts } = setUp();
    const items = [item('over', '17:00:00', 60_000), item('under-way', '17:29:00', 120_000)];
    player.update(items);
    expect(log).toEqual([
      'skip over: already over when first seen',
      'skip under-way: already under way when first seen',
    ]);
    expect(player.settled(items)).toBe(true);
    jest.advanceTimersByTime(600_000);
    expect(receipts).toEqual([]);
  });

  it('shortens playback by --speed but still starts each item at its time', () => {
    const { player, receipts } = setUp({ speed: 10 });
    player.update([item('a', '17:30:00', 60_000), item('b', '17:31:00', 60_000)]);
    jest.advanceTimersByTime(10_000 + 6000);
    expect(receipts.map((receipt) => receipt.endedAt - T0)).toEqual([16_000]);
    jest.advanceTimersByTime(60_000);
    expect(receipts.map((receipt) => receipt.startedAt - T0)).toEqual([10_000, 70_000]);
  });

  it('fails an item whose media it does not hold, or by --fail-rate', () => {
    const missing = setUp({ held: [] });
    missing.player.update([item('a', '17:30:00', 60_000)]);
    jest.advanceTimersByTime(10_000);
    expect(missing.receipts).toEqual([{ id: 'a', outcome: 'failed', startedAt: T0 + 10_000, endedAt: T0 + 10_000 }]);

    const unlucky = setUp({ failRate: 0.6 });
    unlucky.player.update([item('b', '17:30:30', 60_000)]);
    jest.advanceTimersByTime(30_000);
    expect(unlucky.receipts.map((receipt) => receipt.outcome)).toEqual(['failed']);
  });

  it('lets a due item wait while another plays, unless it has the higher priority', () => {
    const { player, receipts } = setUp();
    player.update([
      item('a', '17:30:00', 60_000),
      item('b', '17:30:30', 10_000),
      item('e', '17:30:20', 20_000, { kind: 'emergency', priority: 100 }),
    ]);
    jest.advanceTimersByTime(200_000);
    expect(
      receipts.map(({ id, outcome, startedAt, endedAt }) => [
        id,
        outcome,
        (startedAt - T0) / 1000,
        (endedAt - T0) / 1000,
      ]),
    ).toEqual([
      ['a', 'interrupted', 10, 30],
      ['e', 'played', 30, 50],
      ['b', 'played', 50, 60],
    ]);
  });

  it('airs a pushed alert at once, cutting off the programme, and an alert found under way in a playlist too', () => {
    const { player, receipts } = setUp();
    const a = item('a', '17:29:55', 120_000);
    player.update([a]);
    jest.advanceTimersByTime(10_000);
    const pushed = item('e', '12:00:00', 20_000, { kind: 'emergency', priority: 101 });
    player.interject(pushed);
    player.interject(pushed);
    jest.advanceTimersByTime(30_000);
    player.update([a, pushed, item('c', '17:30:25', 30_000, { kind: 'emergency', priority: 100 })]);
    jest.advanceTimersByTime(60_000);
    expect(receipts.map(({ id, outcome, startedAt }) => [id, outcome, (startedAt - T0) / 1000])).toEqual([
      ['a', 'interrupted', 5],
      ['e', 'played', 10],
      ['c', 'played', 40],
    ]);
  });

  it('follows a new playlist: withdrawn items never start, a moved item moves, a withdrawn playing item stops', () => {
    const { player, receipts } = setUp();
    player.update([item('a', '17:30:00', 60_000), item('b', '17:32:00', 60_000), item('c', '17:33:00', 60_000)]);
    player.update([item('a', '17:30:00', 60_000), item('c', '17:30:30', 60_000)]);
    jest.advanceTimersByTime(20_000);
    player.update([item('c', '17:30:30', 60_000)]);
    jest.advanceTimersByTime(600_000);
    expect(receipts.map(({ id, outcome, startedAt }) => [id, outcome, (startedAt - T0) / 1000])).toEqual([
      ['a', 'interrupted', 10],
      ['c', 'played', 40],
    ]);
  });

  it('is not settled while an item waits; stop() cuts off the one playing', () => {
    const { player, receipts } = setUp();
    const items = [item('a', '17:30:00', 60_000)];
    player.update(items);
    expect(player.settled(items)).toBe(false);
    jest.advanceTimersByTime(20_000);
    player.stop('the run ended');
    expect(receipts.map((receipt) => receipt.outcome)).toEqual(['interrupted']);
  });
});

describe('live sessions on the player', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  const timeline = (receipts: ReturnType<typeof setUp>['receipts']) =>
    receipts.map(({ id, outcome, startedAt, endedAt }) => [
      id,
      outcome,
      (startedAt - T0) / 1000,
      (endedAt - T0) / 1000,
    ]);

  it('ranks urgent live above programmes, normal live only in the queue, and alerts above both', () => {
    const programme = item('a', '17:30:00', 60_000);
    const alert = item('e', '17:30:00', 60_000, { kind: 'emergency', priority: 100 });
    expect(preempts(live('u', true), programme)).toBe(true);
    expect(preempts(live('n', false), programme)).toBe(false);
    expect(preempts(live('u', true), alert)).toBe(false);
    expect(preempts(alert, live('u', true))).toBe(true);
  });

  it('plays a live stream at once when the horn is idle, until live-ended, heard once however often it is told', () => {
    const { player, receipts, tuned } = setUp();
    const session = live('s', false);
    player.live(session);
    player.live(session);
    expect(tuned).toEqual(['http://icecast.test/s.mp3']);
    jest.advanceTimersByTime(30_000);
    player.endStream('live:s', 'played', 'live-ended');
    player.endStream('live:s', 'played', 'the stream ended');
    expect(timeline(receipts)).toEqual([['live:s', 'played', 0, 30]]);
  });

  it('cuts off the programme for an urgent session, which a new playlist does not stop', () => {
    const { player, receipts } = setUp();
    const a = item('a', '17:30:00', 60_000);
    player.update([a]);
    jest.advanceTimersByTime(20_000);
    player.live(live('u', true));
    player.update([a]);
    jest.advanceTimersByTime(10_000);
    player.endStream('live:u', 'played', 'live-ended');
    expect(timeline(receipts)).toEqual([
      ['a', 'interrupted', 10, 20],
      ['live:u', 'played', 20, 30],
    ]);
  });

  it('lets a normal session wait for the programme to end, and airs it before the next programme', () => {
    const { player, receipts } = setUp();
    player.update([item('a', '17:30:00', 60_000), item('b', '17:31:05', 60_000)]);
    jest.advanceTimersByTime(20_000);
    player.live(live('n', false));
    jest.advanceTimersByTime(60_000);
    player.endStream('live:n', 'played', 'live-ended');
    jest.advanceTimersByTime(60_000);
    expect(timeline(receipts)).toEqual([
      ['a', 'played', 10, 70],
      ['live:n', 'played', 70, 80],
      ['b', 'played', 80, 140],
    ]);
  });

  it('never cuts off an alert: the session airs after it if still live, and not at all if it ended meanwhile', () => {
    const { player, receipts, log } = setUp();
    player.interject(item('e', '17:29:50', 30_000, { kind: 'emergency', priority: 100 }));
    player.live(live('u', true));
    jest.advanceTimersByTime(30_000);
    player.endStream('live:u', 'played', 'live-ended');
    expect(timeline(receipts)).toEqual([
      ['e', 'played', 0, 30],
      ['live:u', 'played', 30, 30],
    ]);
    expect(log).toEqual(['play e', 'play live:u']);
  });

  it('drops a session that ended while waiting behind an alert, with no receipt', () => {
    const { player, receipts, log } = setUp();
    player.interject(item('e', '17:29:50', 30_000, { kind: 'emergency', priority: 100 }));
    player.live(live('n', false));
    player.endStream('live:n', 'played', 'live-ended');
    jest.advanceTimersByTime(30_000);
    expect(timeline(receipts)).toEqual([['e', 'played', 0, 30]]);
    expect(log).toEqual(['play e', 'skip live:n: ended before its turn (live-ended)']);
  });

  it('is cut off by an alert (interrupted), stops at endsBy, and fails when the stream cannot be opened', () => {
    const { player, receipts } = setUp();
    player.live(live('u', true));
    jest.advanceTimersByTime(5_000);
    player.interject(item('e', '17:29:55', 10_000, { kind: 'emergency', priority: 100 }));
    jest.advanceTimersByTime(10_000);
    player.live(live('late', false, 20));
    jest.advanceTimersByTime(60_000);
    player.live(live('broken', true));
    player.endStream('live:broken', 'failed', 'HTTP 404');
    expect(timeline(receipts)).toEqual([
      ['live:u', 'interrupted', 0, 5],
      ['e', 'played', 5, 15],
      ['live:late', 'played', 15, 35],
      ['live:broken', 'failed', 75, 75],
    ]);
  });

  describe('while the clock cannot be trusted', () => {
    let clockOff: string | undefined;
    beforeEach(() => (clockOff = 'refused: the clock is off by -5000 ms'));

    it('holds an item due meanwhile, and airs it at its true start once the clock is put right before it', () => {
      const { player, receipts, log } = setUp({ waits: () => clockOff });
      player.update([item('a', '17:30:00', 60_000)]);
      // 17:30 comes on a clock 5 s fast (17:29:55 by the server's): held, not aired, not failed.
      jest.advanceTimersByTime(10_000);
      expect(player.playing).toBe(false);
      player.reconsider(Date.now() - 5_000, false);
      expect(receipts).toEqual([]);
      // Put right at 17:29:57: it waits for 17:30:00 and airs then.
      jest.setSystemTime(T0 + 7_000);
      clockOff = undefined;
      player.reconsider(Date.now(), true);
      jest.advanceTimersByTime(3_000 - 1);
      expect(player.playing).toBe(false);
      jest.advanceTimersByTime(1);
      expect(log).toEqual(['play a']);
      jest.advanceTimersByTime(60_000);
      expect(receipts.map((r) => [r.id, r.outcome, r.startedAt])).toEqual([['a', 'played', T0 + 10_000]]);
    });

    it('fails a held item once its true start has passed, saying why it was held, and never airs it late', () => {
      const { player, receipts, whys, log } = setUp({ waits: () => clockOff });
      player.update([item('a', '17:30:00', 60_000)]);
      jest.advanceTimersByTime(10_000);
      player.reconsider(Date.now() - 5_000, false);
      jest.advanceTimersByTime(6_000);
      player.reconsider(Date.now() - 5_000, false);
      expect(receipts.map((r) => [r.id, r.outcome])).toEqual([['a', 'failed']]);
      expect(whys).toEqual(['refused: the clock is off by -5000 ms']);
      clockOff = undefined;
      player.reconsider(Date.now(), true);
      jest.advanceTimersByTime(120_000);
      expect(log).toEqual([]);
      expect(receipts).toHaveLength(1);
    });
  });
});
