import type { ListedItem, Playlist, PlaylistItem } from './player';

/**
 * What a device has to air: the playlists it holds, by date, and the alerts
 * it heard of (pushed, or found in a playlist), less those cancelled since
 * (the playlists may not say so yet) and those whose audio is still coming.
 */
export class AirList<Item extends ListedItem = PlaylistItem> {
  readonly playlists = new Map<string, Playlist<Item>>();
  private readonly alerts = new Map<string, PlaylistItem>();
  private readonly fetching = new Set<string>();
  private readonly cancelled = new Set<string>();

  /** An alert heard of: true the first time (acknowledge it, fetch its audio, then call fetched()). */
  heard(alert: PlaylistItem): boolean {
    if (this.alerts.has(alert.id) || this.cancelled.has(alert.id)) return false;
    this.alerts.set(alert.id, alert);
    this.fetching.add(alert.id);
    return true;
  }

  /** The alert's audio is in, or could not be had: whether it is still to air. */
  fetched(id: string): boolean {
    this.fetching.delete(id);
    return !this.cancelled.has(id);
  }

  cancel(id: string): void {
    this.cancelled.add(id);
    this.alerts.delete(id);
  }

  /** Every held playlist's items and the alerts, for Player.update(). */
  items(): (Item | PlaylistItem)[] {
    const items = new Map<string, Item | PlaylistItem>(this.alerts);
    for (const playlist of this.playlists.values()) for (const item of playlist.items) items.set(item.id, item);
    return [...items.values()].filter((item) => !this.cancelled.has(item.id) && !this.fetching.has(item.id));
  }

  /** The playlists' items still to start: their media is what the device should hold. */
  upcoming(now: number): Item[] {
    return [...this.playlists.values()]
      .flatMap(({ items }) => items)
      .filter(({ startsAt }) => Date.parse(startsAt) > now);
  }
}
