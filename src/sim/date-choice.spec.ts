import { chooseDate } from './date-choice';

const REGION = '522628000000';
const at = (iso: string) => Date.parse(iso);
const item = (startsAt: string) => ({ startsAt });

describe('the date the simulator plays without --date', () => {
  it('is today while something is still to air today', () => {
    const playlists = [
      { date: '2026-12-02', items: [item('2026-12-02T17:30:00+08:00')] },
      { date: '2026-12-03', items: [item('2026-12-03T17:30:00+08:00')] },
    ];
    expect(chooseDate('2026-12-02', at('2026-12-02T12:00:00+08:00'), playlists, REGION)).toEqual({
      date: '2026-12-02',
    });
  });

  it('is tomorrow, saying so, once today has nothing left and tomorrow has something', () => {
    const playlists = [
      { date: '2026-12-02', items: [item('2026-12-02T17:30:00+08:00')] },
      { date: '2026-12-03', items: [item('2026-12-03T17:30:00+08:00')] },
    ];
    const choice = chooseDate('2026-12-02', at('2026-12-02T19:00:00+08:00'), playlists, REGION);
    expect(choice).toEqual({ date: '2026-12-03', notice: expect.stringContaining('playing 2026-12-03') });
  });

  it('says plainly that nothing is scheduled when neither day has anything', () => {
    const playlists = [
      { date: '2026-12-02', items: [] },
      { date: '2026-12-03', items: [] },
    ];
    const choice = chooseDate('2026-12-02', at('2026-12-02T12:00:00+08:00'), playlists, REGION);
    expect(choice).toEqual({
      date: '2026-12-02',
      notice: `nothing is scheduled under ${REGION} on 2026-12-02 or 2026-12-03: the devices will only wait (schedule a broadcast, or pass --date)`,
    });
  });

  it('counts what any device holds: one village with a broadcast is enough', () => {
    const playlists = [
      { date: '2026-12-02', items: [] },
      { date: '2026-12-02', items: [item('2026-12-02T17:30:00+08:00')] },
    ];
    expect(chooseDate('2026-12-02', at('2026-12-02T08:00:00+08:00'), playlists, REGION)).toEqual({
      date: '2026-12-02',
    });
  });
});
