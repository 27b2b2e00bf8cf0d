import {
  addDays,
  countyDate,
  countyInstant,
  countyIso,
  isLocalDate,
  isoWeekday,
  parseMinute,
} from '../../kernel/county-time';
import { playlistItems, playlistVersion } from './playlist';
import { occursOn, parseRRule, RecurrenceError } from './recurrence';
import { composeRundown, entriesReaching, overflowsOn, parseItemId, type ScheduledEntry } from './rundown';
import type { RegionPath } from '../../kernel/region';

const C = '520628000000';
const T = '520628001000';
const V = '520628001001';
const OTHER_T = '520628101000';
const OTHER_V = '520628101101';

describe('county time', () => {
  it('is UTC+8 with no daylight saving', () => {
    expect(countyInstant('2026-11-24', 17 * 60 + 30).toISOString()).toBe('2026-11-24T09:30:00.000Z');
    expect(countyInstant('2026-07-01', 17 * 60 + 30).toISOString()).toBe('2026-07-01T09:30:00.000Z');
    expect(countyIso(new Date('2026-11-24T09:30:00Z'))).toBe('2026-11-24T17:30:00+08:00');
    expect(countyIso(new Date('2026-11-24T09:30:00.250Z'))).toBe('2026-11-24T17:30:00.250+08:00');
    expect(countyDate(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(countyDate(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
  });

  it('reads dates and times strictly', () => {
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-1-5')).toBe(false);
    expect(parseMinute('17:30')).toBe(1050);
    expect(parseMinute('24:00')).toBeNull();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isoWeekday('2026-11-23')).toBe(0); // a Monday
  });
});

describe('recurrence (RRULE subset)', () => {
  it('airs daily, every other day, and on chosen weekdays', () => {
    const daily = parseRRule('FREQ=DAILY');
    expect(occursOn(daily, '2026-11-23', null, '2026-12-25')).toBe(true);
    expect(occursOn(daily, '2026-11-23', '2026-11-30', '2026-12-01')).toBe(false);
    expect(occursOn(daily, '2026-11-23', null, '2026-11-22')).toBe(false);

    const everyOther = parseRRule('RRULE:FREQ=DAILY;INTERVAL=2');
    expect(['2026-11-23', '2026-11-24', '2026-11-25'].map((d) => occursOn(everyOther, '2026-11-23', null, d))).toEqual([
      true,
      false,
      true,
    ]);

    const weekdays = parseRRule('FREQ=WEEKLY;BYDAY=MO,WE,FR');
    const week = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
    expect(week.map((d) => occursOn(weekdays, '2026-11-23', null, d))).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it('counts weeks from the start week, and defaults BYDAY to the start’s weekday', () => {
    const fortnightly = parseRRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=SU');
    // Starts on Wednesday 2026-11-25: its own week's Sunday (29th) airs, the next (6 Dec) not, then 13 Dec.
    expect(['2026-11-29', '2026-12-06', '2026-12-13'].map((d) => occursOn(fortnightly, '2026-11-25', null, d))).toEqual(
      [true, false, true],
    );
    const weekly = parseRRule('FREQ=WEEKLY');
    expect(['2026-11-25', '2026-11-26', '2026-12-02'].map((d) => occursOn(weekly, '2026-11-25', null, d))).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('treats no rule as one date', () => {
    expect(occursOn(null, '2026-11-25', null, '2026-11-25')).toBe(true);
    expect(occursOn(null, '2026-11-25', null, '2026-11-26')).toBe(false);
  });

  it.each([
    ['FREQ=MONTHLY', 'FREQ must be DAILY or WEEKLY'],
    ['FREQ=DAILY;BYDAY=MO', 'BYDAY is supported with FREQ=WEEKLY only'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY: "XX" is not one of MO, TU, WE, TH, FR, SA, SU'],
    ['FREQ=DAILY;COUNT=3', 'COUNT is not supported; use FREQ, INTERVAL and BYDAY (give the last date as `until`)'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be a whole number from 1 to 366'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ appears twice'],
    ['nonsense', '"nonsense" is not NAME=VALUE'],
  ])('refuses %s', (rule, message) => {
    expect(() => parseRRule(rule)).toThrow(new RecurrenceError(message));
  });
});

function entry(
  broadcastId: string,
  targetCode: string,
  level: ScheduledEntry['level'],
  position: number,
  minutes: number[],
): ScheduledEntry {
  return {
    broadcastId,
    targetCode,
    level,
    position,
    createdAt: 0,
    airs: {
      kind: 'programme',
      id: `p-${broadcastId}`,
      title: `节目 ${broadcastId}`,
      durationMs: minutes.reduce((a, b) => a + b, 0) * 60_000,
      segments: minutes.map((m, i) => ({
        mediaId: `m${i}`,
        durationMs: m * 60_000,
        sha256: `${broadcastId}${i}`.padEnd(64, '0'),
        bytes: 1000,
      })),
    },
  };
}

describe('the rundown rule', () => {
  const village: RegionPath = { code: V, countyCode: C, townshipCode: T };
  const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
  const entries = [
    entry(id(1), V, 'village', 1, [3]),
    entry(id(2), T, 'township', 2, [4]),
    entry(id(3), C, 'county', 5, [10, 5]),
    entry(id(4), T, 'township', 1, [2]),
    entry(id(5), OTHER_T, 'township', 1, [7]),
  ];

  it('airs county, then township, then village entries, each in its set order, back to back', () => {
    const slotStart = countyInstant('2026-11-24', 17 * 60 + 30);
    const items = composeRundown('2026-11-24', slotStart, entriesReaching(village, entries));
    expect(items.map((item) => [item.broadcastId, item.segmentIndex, countyIso(item.startsAt)])).toEqual([
      [id(3), 0, '2026-11-24T17:30:00+08:00'],
      [id(3), 1, '2026-11-24T17:40:00+08:00'],
      [id(4), 0, '2026-11-24T17:45:00+08:00'],
      [id(2), 0, '2026-11-24T17:47:00+08:00'],
      [id(1), 0, '2026-11-24T17:51:00+08:00'],
    ]);
    expect(items[0].title).toBe(`节目 ${id(3)} (1/2)`);
    expect(items[0].id).toBe(`${id(3)}.20261124.0`);
    expect(parseItemId(items[0].id)).toEqual({ broadcastId: id(3), date: '2026-11-24', segmentIndex: 0 });
  });

  it('gives a township’s own loudspeaker the county and township entries only', () => {
    const township = entriesReaching({ code: T, countyCode: C, townshipCode: T }, entries);
    expect(township.map((e) => e.broadcastId)).toEqual([id(3), id(4), id(2)]);
  });

  it('names the topmost region of each chain that overflows, and by how much', () => {
    const regions: RegionPath[] = [
      { code: C, countyCode: C, townshipCode: null },
      { code: T, countyCode: C, townshipCode: T },
      { code: V, countyCode: C, townshipCode: T },
      { code: OTHER_T, countyCode: C, townshipCode: OTHER_T },
      { code: OTHER_V, countyCode: C, townshipCode: OTHER_T },
    ];
    const totals = new Map([
      [C, 20 * 60_000],
      [T, 6 * 60_000],
      [V, 5 * 60_000 + 1],
      [OTHER_T, 11 * 60_000],
    ]);
    expect(overflowsOn('2026-11-24', 30 * 60_000, regions, totals)).toEqual([
      { regionCode: V, date: '2026-11-24', overSeconds: 61 },
      { regionCode: OTHER_T, date: '2026-11-24', overSeconds: 60 },
    ]);
    expect(overflowsOn('2026-11-24', 40 * 60_000, regions, totals)).toEqual([]);
  });
});

describe('playlist', () => {
  it('tells devices county times and a version that follows the content', () => {
    const items = composeRundown('2026-11-24', countyInstant('2026-11-24', 1050), [
      entry('00000000-0000-0000-0000-000000000001', C, 'county', 1, [1]),
    ]);
    const playlist = playlistItems(items, (sha) => `/media/${sha}.mp3`, null);
    expect(playlist[0]).toMatchObject({
      kind: 'scheduled',
      startsAt: '2026-11-24T17:30:00+08:00',
      durationMs: 60_000,
      media: { mime: 'audio/mpeg' },
    });
    const version = playlistVersion('2026-11-24', playlist);
    expect(playlistVersion('2026-11-24', structuredClone(playlist))).toBe(version);
    expect(playlistVersion('2026-11-25', playlist)).not.toBe(version);
    expect(playlistVersion('2026-11-24', [{ ...playlist[0], durationMs: 60_001 }])).not.toBe(version);
  });
});

describe('a relayed stream', () => {
  const relay: ScheduledEntry = {
    broadcastId: '00000000-0000-0000-0000-000000000002',
    targetCode: C,
    level: 'county',
    position: 2,
    createdAt: 0,
    airs: {
      kind: 'relay',
      url: 'http://radio.example/live',
      title: '县台转播',
      durationMs: 90_000,
      mount: '/d-relay-x.mp3',
    },
  };

  it('takes its duration in the rundown, and devices are sent to the Icecast mount, never the outside source', () => {
    const items = composeRundown('2026-11-24', countyInstant('2026-11-24', 1050), [
      entry('00000000-0000-0000-0000-000000000001', C, 'county', 1, [1]),
      relay,
      entry('00000000-0000-0000-0000-000000000003', C, 'county', 3, [1]),
    ]);
    expect(items.map((item) => [item.kind, item.startsAt.toISOString()])).toEqual([
      ['programme', '2026-11-24T09:30:00.000Z'],
      ['relay', '2026-11-24T09:31:00.000Z'],
      ['programme', '2026-11-24T09:32:30.000Z'],
    ]);
    const playlist = playlistItems(
      items,
      (sha) => `/media/${sha}.mp3`,
      (mount) => `http://icecast.example${mount}`,
    );
    expect(playlist[1]).toEqual({
      id: '00000000-0000-0000-0000-000000000002.20261124.0',
      kind: 'relay',
      title: '县台转播',
      startsAt: '2026-11-24T17:31:00+08:00',
      durationMs: 90_000,
      priority: 10,
      stream: { url: 'http://icecast.example/d-relay-x.mp3', mime: 'audio/mpeg' },
    });
    expect(JSON.stringify(playlist)).not.toContain('radio.example');
    // Without Icecast nothing could play it: it is left out, and what follows keeps its time.
    const without = playlistItems(items, (sha) => `/media/${sha}.mp3`, null);
    expect(without.map((item) => item.startsAt)).toEqual(['2026-11-24T17:30:00+08:00', '2026-11-24T17:32:30+08:00']);
  });
});
