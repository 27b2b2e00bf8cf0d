import { type AiredItem, slotReplays } from './replays';

const BROADCAST = '0b7c4a8e-1d2f-4e5a-9b6c-7d8e9f0a1b2c';
const OTHER = '1c8d5b9f-2e3a-4f6b-8c7d-8e9f0a1b2c3d';
const EVENING = { startMinute: 17 * 60 + 30, windowMinutes: 30 };

const item = (id: string, startsAt: string, extra: Partial<AiredItem> = {}): AiredItem => ({
  id,
  kind: 'scheduled',
  title: '村规民约',
  startsAt,
  durationMs: 60_000,
  media: { url: `/media/${id}.mp3` },
  ...extra,
});

describe('the evening programmes a village can listen to again', () => {
  const items = [
    item(`${BROADCAST}.20261201.0`, '2026-12-01T17:30:00+08:00'),
    item(`${BROADCAST}.20261201.1`, '2026-12-01T17:31:00+08:00'),
    item(`${OTHER}.20261201.0`, '2026-12-01T17:32:00+08:00', { title: '乡风民俗' }),
    // Another slot's item (the morning) and an alert are not the evening's programmes.
    item(`${OTHER}.20261201.0`, '2026-12-01T07:00:00+08:00', { title: '早间' }),
    item('alert-1', '2026-12-01T17:30:00+08:00', { kind: 'emergency', title: '暴雨红色预警' }),
  ];

  it('groups each broadcast’s segments into one programme, in running order', () => {
    const replays = slotReplays('2026-12-01', items, EVENING, new Date('2026-12-02T00:00:00+08:00'));
    expect(replays).toEqual([
      {
        date: '2026-12-01',
        broadcastId: BROADCAST,
        title: '村规民约',
        startsAt: '2026-12-01T17:30:00+08:00',
        durationMs: 120_000,
        parts: [
          { url: `/media/${BROADCAST}.20261201.0.mp3`, durationMs: 60_000 },
          { url: `/media/${BROADCAST}.20261201.1.mp3`, durationMs: 60_000 },
        ],
      },
      expect.objectContaining({ broadcastId: OTHER, title: '乡风民俗', durationMs: 60_000 }),
    ]);
  });

  it('leaves out what has not started yet', () => {
    const replays = slotReplays('2026-12-01', items, EVENING, new Date('2026-12-01T17:31:30+08:00'));
    expect(replays.map((replay) => [replay.title, replay.parts.length])).toEqual([['村规民约', 2]]);
    expect(slotReplays('2026-12-01', items, EVENING, new Date('2026-12-01T17:00:00+08:00'))).toEqual([]);
  });
});
