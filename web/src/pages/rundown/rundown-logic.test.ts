import { mergeOverflows, secondsOver, visibleOverflows } from './overflow';
import { broadcastBody, planAirsOn, type SchedulePlan, weekdayOf } from './schedule-plan';
import { layoutTimeline, manages, movedPositions, type Rundown } from './timeline';

const COUNTY = '520628000000';
const TOWNSHIP = '520628001000';
const VILLAGE = '520628001001';
const CHAIN = [COUNTY, TOWNSHIP, VILLAGE];
const B1 = '11111111-1111-4111-8111-111111111111';
const B2 = '22222222-2222-4222-8222-222222222222';
const B3 = '33333333-3333-4333-8333-333333333333';
const P = '44444444-4444-4444-8444-444444444444';

/** A 30-minute window from 17:30 county time with items laid back to back, as the server lays them. */
function rundown(
  date: string,
  parts: Array<[string, Rundown['items'][number]['level'], string, string, number]>,
): Rundown {
  const start = Date.parse(`${date}T17:30:00+08:00`);
  let at = start;
  const items = parts.map(([broadcastId, level, targetCode, title, seconds], index) => {
    const item = {
      id: `${broadcastId}.${index}`,
      broadcastId,
      kind: 'programme' as const,
      programmeId: P,
      title,
      level,
      targetCode,
      startsAt: new Date(at).toISOString(),
      endsAt: new Date(at + seconds * 1000).toISOString(),
      durationMs: seconds * 1000,
    };
    at += seconds * 1000;
    return item;
  });
  const totalMs = at - start;
  return {
    regionCode: VILLAGE,
    date,
    slot: {
      name: 'evening',
      start: '17:30',
      windowMinutes: 30,
      startsAt: `${date}T17:30:00+08:00`,
      endsAt: `${date}T18:00:00+08:00`,
    },
    items,
    totalMs,
    remainingMs: 30 * 60_000 - totalMs,
  };
}

const DAY = rundown('2026-12-03', [
  [B1, 'county', COUNTY, '县新闻', 600],
  [B2, 'township', TOWNSHIP, '村规民约 (1/2)', 120],
  [B2, 'township', TOWNSHIP, '村规民约 (2/2)', 180],
  [B3, 'township', TOWNSHIP, '防火通知', 300],
  [B2, 'village', VILLAGE, '村规民约', 60],
]);

describe('the timeline', () => {
  it('gathers a programme’s segments into one entry at its start minute, placed in the window', () => {
    const timeline = layoutTimeline(DAY);
    expect(timeline.entries.map((entry) => [entry.title, entry.level, entry.segments, entry.durationMs])).toEqual([
      ['县新闻', 'county', 1, 600_000],
      ['村规民约', 'township', 2, 300_000],
      ['防火通知', 'township', 1, 300_000],
      ['村规民约', 'village', 1, 60_000],
    ]);
    // The same broadcast at two layers is two entries, each with its own place.
    expect(timeline.entries[1].key).not.toBe(timeline.entries[3].key);
    const tenths = (pct: number) => Math.round(pct * 10) / 10;
    expect(timeline.entries.map((entry) => [tenths(entry.leftPct), tenths(entry.widthPct)])).toEqual([
      [0, 33.3],
      [33.3, 16.7],
      [50, 16.7],
      [66.7, 3.3],
    ]);
    expect(timeline.entries[2].startsAt).toBe(new Date(Date.parse('2026-12-03T17:45:00+08:00')).toISOString());
    expect([timeline.windowMs, timeline.usedMs, timeline.remainingMs]).toEqual([1_800_000, 1_260_000, 540_000]);
  });

  it('reorders within one layer only, renumbering it from 1', () => {
    const { entries } = layoutTimeline(DAY);
    expect(movedPositions(entries, `${B3}@${TOWNSHIP}`, -1)).toEqual([
      { broadcastId: B3, position: 1 },
      { broadcastId: B2, position: 2 },
    ]);
    expect(movedPositions(entries, `${B2}@${TOWNSHIP}`, -1)).toBeNull(); // first of its layer
    expect(movedPositions(entries, `${B1}@${COUNTY}`, 1)).toBeNull(); // alone at county level
    expect(movedPositions(entries, 'gone', 1)).toBeNull();
  });

  it('offers changes only for targets at or under the user’s scope', () => {
    expect(manages(CHAIN, TOWNSHIP, VILLAGE)).toBe(true);
    expect(manages(CHAIN, TOWNSHIP, TOWNSHIP)).toBe(true);
    expect(manages(CHAIN, TOWNSHIP, COUNTY)).toBe(false);
    expect(manages(CHAIN, '520628101000', VILLAGE)).toBe(false); // another township
    expect(manages(CHAIN, null, COUNTY)).toBe(true); // an unscoped admin
  });
});

describe('overflow before saving', () => {
  it('counts the seconds past the window, rounded up as the server does', () => {
    expect(secondsOver(1_800_000, 1_260_000, 540_000)).toBe(0); // exactly full fits
    expect(secondsOver(1_800_000, 1_260_000, 540_001)).toBe(1);
    expect(secondsOver(1_800_000, 1_260_000, 600_000)).toBe(60);
    expect(secondsOver(1_800_000, 0, 60_000)).toBe(0);
  });

  const plan: SchedulePlan = {
    programmeId: P,
    regionCodes: [VILLAGE],
    repeat: 'once',
    date: '2026-12-03',
    weekdays: [],
    place: 'last',
    slot: 'evening',
  };

  it('names the viewed region and each loaded date the candidate airs on and would overflow', () => {
    const next = rundown('2026-12-04', [[B1, 'county', COUNTY, '县新闻', 1500]]);
    const check = (over: Partial<SchedulePlan>, candidateMs: number) => {
      const candidate = { ...plan, ...over };
      return visibleOverflows({
        chain: CHAIN,
        targets: candidate.regionCodes,
        rundowns: [DAY, next],
        airsOn: (date) => planAirsOn(candidate, date),
        candidateMs,
      });
    };
    expect(check({}, 600_000)).toEqual([{ regionCode: VILLAGE, date: '2026-12-03', overSeconds: 60 }]);
    expect(check({}, 500_000)).toEqual([]);
    expect(check({ repeat: 'daily' }, 400_000)).toEqual([
      { regionCode: VILLAGE, date: '2026-12-04', overSeconds: 100 },
    ]);
    // At the county (an ancestor) it reaches this village too; at both township and village it airs twice here.
    expect(check({ regionCodes: [COUNTY] }, 600_000)).toHaveLength(1);
    expect(check({ regionCodes: [TOWNSHIP, VILLAGE] }, 300_000)).toEqual([
      { regionCode: VILLAGE, date: '2026-12-03', overSeconds: 60 },
    ]);
    // A village elsewhere does not touch this rundown: the server's check covers what the page cannot see.
    expect(check({ regionCodes: ['520628101101'] }, 3_600_000)).toEqual([]);
  });

  it('says each region and date once when the page and the server both find it', () => {
    const village = { regionCode: VILLAGE, date: '2026-12-03', overSeconds: 60 };
    const township = { regionCode: TOWNSHIP, date: '2026-12-04', overSeconds: 5 };
    expect(mergeOverflows([village], [{ ...village, overSeconds: 61 }, township])).toEqual([
      { ...village, overSeconds: 61 },
      township,
    ]);
    expect(mergeOverflows([], [])).toEqual([]);
  });
});

describe('the schedule form', () => {
  const plan: SchedulePlan = {
    programmeId: P,
    regionCodes: [VILLAGE],
    repeat: 'once',
    date: '2026-12-03',
    weekdays: [],
    place: 'last',
    slot: 'evening',
  };

  it('sends a single date, or a recurrence with its first and last date', () => {
    expect(broadcastBody(plan)).toEqual({
      programmeId: P,
      regionCodes: [VILLAGE],
      slot: 'evening',
      date: '2026-12-03',
    });
    expect(
      broadcastBody({ ...plan, repeat: 'weekly', weekdays: ['MO', 'WE'], until: '2026-12-31', place: 'first' }),
    ).toEqual({
      programmeId: P,
      regionCodes: [VILLAGE],
      slot: 'evening',
      position: 0,
      startDate: '2026-12-03',
      until: '2026-12-31',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE',
    });
    expect(broadcastBody({ ...plan, regionCodes: [] })).toBeNull();
    expect(broadcastBody({ ...plan, repeat: 'weekly' })).toBeNull(); // no weekday chosen
  });

  it('knows the dates a plan airs on, on the county calendar', () => {
    expect(weekdayOf('2026-12-07')).toBe(0); // a Monday
    expect(weekdayOf('2026-12-06')).toBe(6);
    const weekly: SchedulePlan = { ...plan, repeat: 'weekly', weekdays: ['MO'], until: '2026-12-14' };
    expect(
      ['2026-12-02', '2026-12-07', '2026-12-08', '2026-12-14', '2026-12-21'].map((d) => planAirsOn(weekly, d)),
    ).toEqual([false, true, false, true, false]);
    expect(planAirsOn(plan, '2026-12-03')).toBe(true);
    expect(planAirsOn(plan, '2026-12-04')).toBe(false);
    expect(planAirsOn({ ...plan, repeat: 'daily' }, '2027-06-01')).toBe(true);
  });
});
