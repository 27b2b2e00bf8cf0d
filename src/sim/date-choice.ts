import { addDays } from 'dalaba-agent/protocol';

export interface HeldPlaylist {
  date: string;
  items: Array<{ startsAt: string; kind?: string }>;
}

/** The date, and what to tell the person running the simulator about it, if anything. */
export interface DateChoice {
  date: string;
  notice?: string;
}

/**
 * Without --date the simulator plays `today`, unless nothing is left to air
 * today and tomorrow has something: then tomorrow, saying so. When neither
 * day has anything it stays on today and says plainly that nothing is
 * scheduled, instead of waiting in silence. Judged from the playlists the
 * devices pulled (today and tomorrow), as of the simulated clock.
 */
export function chooseDate(today: string, now: number, playlists: HeldPlaylist[], region: string): DateChoice {
  const tomorrow = addDays(today, 1);
  const ahead = (date: string) =>
    playlists
      .filter((playlist) => playlist.date === date)
      .some((playlist) => playlist.items.some((item) => Date.parse(item.startsAt) > now));
  if (ahead(today)) return { date: today };
  if (ahead(tomorrow))
    return {
      date: tomorrow,
      notice: `nothing is left to air on ${today}; playing ${tomorrow} (pass --date to choose)`,
    };
  return {
    date: today,
    notice: `nothing is scheduled under ${region} on ${today} or ${tomorrow}: the devices will only wait (schedule a broadcast, or pass --date)`,
  };
}
