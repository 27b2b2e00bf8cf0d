import type { ClockCheck } from './clock-check';
import type { AgentConfig } from './config';
import type { Horn } from './horn';
import type { Journal } from './journal';
import {
  addDays,
  describe,
  type Http,
  type ListedItem,
  OneAtATime,
  playable,
  reason,
  relayable,
  type ServedPlaylist,
  zoneDate,
} from './protocol';
import type { StateDir } from './state';

export interface PlaylistsLink {
  config: AgentConfig;
  journal: Journal;
  http: Http;
  state: StateDir;
  horn: Horn;
  check: ClockCheck;
  token(): string;
  signal: AbortSignal;
  clockChecked(): void;
  revoked(): void;
  durably(what: string, write: () => void): void;
}

/**
 * Today's and tomorrow's playlists: pulled with If-None-Match, kept on the
 * card (the agent airs them with the network down), their alerts sounded,
 * and what no playlist of the last DALABA_CACHE_DAYS needs pruned.
 */
export class Playlists {
  private readonly pulls = new Map<string, OneAtATime>();
  // Dates a refetch asked for: their next pull ignores the ETag.
  private readonly forced = new Set<string>();

  constructor(private readonly link: PlaylistsLink) {}

  dates(): string[] {
    const today = zoneDate(Date.now());
    return [today, addDays(today, 1)];
  }

  pullAll(force: boolean): Promise<unknown> {
    return Promise.all(this.dates().map((date) => this.pull(date, force)));
  }

  /** One pull per date at a time (a pull waits out an outage): asked meanwhile, it pulls once more after. */
  pull(date: string, force: boolean): Promise<void> {
    if (force) this.forced.add(date);
    let pulls = this.pulls.get(date);
    if (!pulls) this.pulls.set(date, (pulls = new OneAtATime(() => this.pullOnce(date))));
    return pulls.run();
  }

  private async pullOnce(date: string): Promise<void> {
    const force = this.forced.delete(date);
    const held = this.link.horn.air.playlists.get(date);
    const headers: Record<string, string> = held && !force ? { 'if-none-match': `"${held.version}"` } : {};
    const sentAt = Date.now();
    try {
      const served = await this.link.http.call(
        'GET',
        `/api/v1/device/playlist?date=${date}`,
        { who: 'playlist', token: this.link.token(), headers },
        async (response) => {
          this.link.check.addDateHeader(sentAt, Date.now(), response.headers.get('date'));
          if (response.ok) return (await response.json()) as ServedPlaylist;
          if (response.status === 401) this.link.revoked();
          else if (response.status !== 304) this.link.journal.error('playlist', `${date}: ${await reason(response)}`);
          await response.body?.cancel().catch(() => undefined);
          return undefined;
        },
      );
      this.link.clockChecked();
      if (!served) return;
      // A kind this agent does not know is skipped; the items after it keep their times.
      const items: ListedItem[] = served.items.filter((item) => playable(item) || relayable(item));
      const playlist = { date, version: served.version, items };
      this.link.horn.air.playlists.set(date, playlist);
      this.link.durably('playlist', () => this.link.state.savePlaylist(playlist));
      this.link.journal.event('playlist', { date, version: served.version, items: items.length });
      for (const item of items) if (item.kind === 'emergency') void this.link.horn.alert(item);
      this.link.horn.refresh();
      await this.prune();
    } catch (error) {
      if (!this.link.signal.aborted) this.link.journal.error('playlist', `${date}: ${describe(error)}`);
    }
  }

  /** Playlists older than DALABA_CACHE_DAYS go, and the media none of the rest needs. */
  private async prune(): Promise<void> {
    this.forgetOld();
    const needed = new Set<string>();
    for (const playlist of this.link.state.playlists())
      for (const item of playlist.items) if (item.kind !== 'relay') needed.add(item.media.sha256);
    for (const item of this.link.horn.air.items()) if (item.kind !== 'relay') needed.add(item.media.sha256);
    const deleted = await this.link.horn.cache.prune(needed);
    if (deleted.length > 0) this.link.journal.event('pruned', { media: deleted });
  }

  /** Playlists older than DALABA_CACHE_DAYS leave the card; those before yesterday leave the player. */
  forgetOld(): void {
    const oldest = addDays(zoneDate(Date.now()), -this.link.config.cacheDays);
    const yesterday = addDays(zoneDate(Date.now()), -1);
    for (const playlist of this.link.state.playlists())
      if (playlist.date < oldest) this.link.state.forgetPlaylist(playlist.date);
    // Older days stay on the card for pruning's sake but are not the player's business.
    for (const date of this.link.horn.air.playlists.keys())
      if (date < yesterday) this.link.horn.air.playlists.delete(date);
    for (const date of this.pulls.keys()) if (date < yesterday) this.pulls.delete(date);
  }
}
