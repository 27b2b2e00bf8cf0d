import { Injectable } from '@nestjs/common';
import type { Preemption } from './domain/playlist';

/** A module whose items preempt playlists: asked for a county's live ones, in the order they air (gravest first). */
export type PreemptionSource = (countyCode: string) => Promise<Preemption[]>;

/**
 * What may preempt a playlist. Scheduling knows only this interface; the
 * module that owns such items registers its source at start-up (the way
 * features register with the access registry), so scheduling imports none.
 */
@Injectable()
export class PlaylistPreemptions {
  private readonly sources: PreemptionSource[] = [];

  register(source: PreemptionSource): void {
    this.sources.push(source);
  }

  async live(countyCode: string): Promise<Preemption[]> {
    return (await Promise.all(this.sources.map((source) => source(countyCode)))).flat();
  }
}
