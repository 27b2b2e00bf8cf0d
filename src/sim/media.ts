import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  describe,
  type Http,
  type ItemMedia,
  OneAtATime,
  type PlaylistItem,
  reason,
  type Scheduler,
} from 'dalaba-agent/protocol';
import type { Report } from './report';

// How long one whole download may take: a large rendition over a busy village link is slow, not dead.
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

type Download = { ok: true; bytes: number } | { ok: false; mismatch: boolean; why: string };

/**
 * Fetches one rendition and checks its bytes against the sha256 the playlist
 * promised. The bytes are hashed as they stream by and then dropped: only with
 * a media directory are they kept, under their sha256, once for all devices.
 */
async function download(
  http: Http,
  media: ItemMedia,
  call: { who: string; signal: AbortSignal },
  mediaDir: string | undefined,
): Promise<Download> {
  const target = mediaDir
    ? join(mediaDir, `${media.sha256}${extname(new URL(http.resolve(media.url)).pathname) || '.bin'}`)
    : undefined;
  const partial = target && !existsSync(target) ? `${target}.${randomUUID()}.partial` : undefined;
  const hash = createHash('sha256');
  let bytes = 0;
  const refused = await http.call('GET', media.url, { ...call, timeoutMs: DOWNLOAD_TIMEOUT_MS }, async (response) => {
    if (!response.ok || !response.body) return reason(response);
    const file: WriteStream | undefined = partial ? createWriteStream(partial) : undefined;
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        bytes += chunk.length;
        if (file && !file.write(chunk)) await once(file, 'drain');
      }
      file?.end();
      if (file) await finished(file);
    } catch (error) {
      file?.destroy();
      if (partial) await rm(partial, { force: true });
      throw error;
    }
    return undefined;
  });
  if (refused) return { ok: false, mismatch: false, why: refused };

  const sha256 = hash.digest('hex');
  if (sha256 !== media.sha256) {
    if (partial) await rm(partial, { force: true });
    return {
      ok: false,
      mismatch: true,
      why: `got ${bytes} bytes hashing to ${sha256.slice(0, 12)}…, expected ${media.sha256.slice(0, 12)}…`,
    };
  }
  if (partial && target) await rename(partial, target);
  return { ok: true, bytes };
}

export interface ShelfLink {
  who: string;
  http: Http;
  report: Report;
  scheduler: Scheduler;
  signal: AbortSignal;
  mediaDir: string | undefined;
  retryMs: number;
  /** The items the device may still air: their media is what it should hold. */
  upcoming(): PlaylistItem[];
  gained(): void;
}

/** What renditions a device holds, verified: their digests and sizes, never the audio itself. */
export class MediaShelf {
  private readonly held = new Map<string, number>();
  private readonly failed = new Set<string>();
  private readonly filler = new OneAtATime(async () => {
    for (const media of this.wanted()) {
      if (this.link.signal.aborted) return;
      await this.fetch(media);
    }
  });

  constructor(private readonly link: ShelfLink) {}

  has(sha256: string): boolean {
    return this.held.has(sha256);
  }

  digests(): string[] {
    return [...this.held.keys()];
  }

  usedBytes(): number {
    return [...this.held.values()].reduce((sum, bytes) => sum + bytes, 0);
  }

  /** A new playlist arrived: fetch what it needs, and try again at once what failed before. */
  refresh(): void {
    this.failed.clear();
    void this.fill();
  }

  /** An emergency's media, fetched now ahead of anything queued: whether it is held. */
  async fetchNow(media: ItemMedia): Promise<boolean> {
    if (!this.held.has(media.sha256)) await this.fetch(media);
    return this.held.has(media.sha256);
  }

  /** One download at a time, soonest item first, as a device on a village link would. */
  private fill(): Promise<void> {
    return this.filler.run();
  }

  private wanted(): ItemMedia[] {
    const wanted = new Map<string, ItemMedia>();
    const soonestFirst = this.link.upcoming().sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    for (const { media } of soonestFirst) {
      if (!this.held.has(media.sha256) && !this.failed.has(media.sha256)) wanted.set(media.sha256, media);
    }
    return [...wanted.values()];
  }

  private async fetch(media: ItemMedia): Promise<void> {
    const { who, report, retryMs } = this.link;
    const name = `media ${media.sha256.slice(0, 12)}`;
    let result: Download;
    try {
      result = await download(this.link.http, media, this.link, this.link.mediaDir);
    } catch (error) {
      if (this.link.signal.aborted) return;
      result = { ok: false, mismatch: false, why: describe(error) };
    }
    if (result.ok || result.mismatch) report.stats.media.downloaded++;
    if (result.ok) {
      this.held.set(media.sha256, result.bytes);
      report.stats.media.verified++;
      report.log(who, `${name}: ${result.bytes} bytes, sha256 verified`);
      this.link.gained();
      return;
    }
    if (result.mismatch) report.stats.media.mismatches++;
    // Until it arrives whole and verified, it waits for the next playlist or this retry.
    this.failed.add(media.sha256);
    report.error(who, `${name}: ${result.why}; retrying in ${retryMs / 1000} s`);
    this.link.scheduler.after(retryMs, () => {
      this.failed.delete(media.sha256);
      void this.fill();
    });
  }
}
