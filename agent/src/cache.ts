import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from './files';
import { describe, type Http, type ItemMedia } from './protocol';

const SHA256 = /^[0-9a-f]{64}$/;
// A large rendition over a slow village link is slow, not dead.
const DOWNLOAD_TIMEOUT_MS = 30 * 60_000;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export type Fetched =
  { ok: true; bytes: number; resumedAt: number } | { ok: false; why: string; corrupt?: boolean; diskFull?: boolean };

/**
 * The media cache: `<sha256>.mp3` files whose bytes hash to their name. A
 * download goes to `<sha256>.partial`, flushed and checked before it is
 * renamed into place, so a power cut mid-download leaves a partial file
 * (resumed with a Range request next time), never a wrong cached one.
 */
export class MediaCache {
  private readonly held = new Map<string, number>();
  // Under way: pruning must not pull a file from under its download (an alert's audio is in no playlist).
  private readonly downloading = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly http: Http,
    private readonly signal: AbortSignal,
  ) {}

  path(sha256: string): string {
    return join(this.dir, `${sha256}.mp3`);
  }

  has(sha256: string): boolean {
    return this.held.has(sha256);
  }

  digests(): string[] {
    return [...this.held.keys()];
  }

  /**
   * At start: what is on the card, by name, at once (a restart seconds before
   * 17:30 must not wait for a gigabyte to be hashed); verifyAll() then checks
   * each, and every file is checked again before it airs.
   */
  async scan(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      const sha256 = name.slice(0, -'.mp3'.length);
      if (name.endsWith('.mp3') && SHA256.test(sha256)) this.held.set(sha256, (await stat(this.path(sha256))).size);
    }
  }

  /** Hashes every cached file; one whose bytes are not its name is deleted. Answers the corrupt ones. */
  async verifyAll(): Promise<string[]> {
    const corrupt: string[] = [];
    for (const sha256 of this.digests()) if (!(await this.verify(sha256))) corrupt.push(sha256);
    return corrupt;
  }

  /** Hashes a cached file again (before airing it): false, and the file is gone, when it is missing or damaged. */
  async verify(sha256: string): Promise<boolean> {
    const path = this.path(sha256);
    const actual = await sha256File(path).catch(() => undefined);
    if (actual === sha256) {
      this.held.set(sha256, (await stat(path)).size);
      return true;
    }
    this.held.delete(sha256);
    await rm(path, { force: true });
    return false;
  }

  /** Downloads one rendition, resuming a partial one, and keeps it only if its bytes hash to its sha256. */
  async fetch(media: ItemMedia): Promise<Fetched> {
    if (!SHA256.test(media.sha256)) return { ok: false, why: `not a sha256: ${media.sha256}` };
    this.downloading.add(media.sha256);
    try {
      return await this.download(media);
    } finally {
      this.downloading.delete(media.sha256);
    }
  }

  private async download(media: ItemMedia): Promise<Fetched> {
    const partial = join(this.dir, `${media.sha256}.partial`);
    // What an interrupted download left is continued from where it stops.
    let resumedAt = (await stat(partial).catch(() => undefined))?.size ?? 0;
    const headers: Record<string, string> = resumedAt > 0 ? { range: `bytes=${resumedAt}-` } : {};
    try {
      const refused = await this.http.call(
        'GET',
        media.url,
        { who: 'cache', headers, signal: this.signal, timeoutMs: DOWNLOAD_TIMEOUT_MS },
        async (response) => {
          if (response.status === 416 && resumedAt > 0) return 'restart';
          if (!response.ok || !response.body) {
            await response.body?.cancel();
            return `HTTP ${response.status}`;
          }
          // A 200 to a Range request is the whole file again: it is written over the partial one.
          if (response.status !== 206) resumedAt = 0;
          const file = await open(partial, response.status === 206 ? 'a' : 'w', 0o644);
          let written = resumedAt;
          try {
            for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
              await writeWhole(file, chunk);
              written += chunk.length;
            }
            await file.sync();
          } finally {
            await file.close();
          }
          return written;
        },
      );
      if (refused === 'restart') {
        await rm(partial, { force: true });
        return { ok: false, why: 'the partial download was longer than the file: starting over' };
      }
      if (typeof refused === 'string') return { ok: false, why: refused };
      // What is on the card is judged, not what was received: a full card may have kept only part of it.
      const stored = (await stat(partial)).size;
      if (stored !== refused) {
        await rm(partial, { force: true });
        return { ok: false, diskFull: true, why: `only ${stored} of ${refused} bytes stored` };
      }
      const actual = await sha256File(partial);
      if (actual !== media.sha256) {
        await rm(partial, { force: true });
        return { ok: false, corrupt: true, why: `the bytes hash to ${actual.slice(0, 12)}…, not to their name` };
      }
      await rename(partial, this.path(media.sha256));
      syncDirectory(this.dir);
      const bytes = (await stat(this.path(media.sha256))).size;
      this.held.set(media.sha256, bytes);
      return { ok: true, bytes, resumedAt };
    } catch (error) {
      if (isDiskFull(error)) {
        // The partial file only takes space others need; the download starts over when there is room.
        await rm(partial, { force: true });
        return { ok: false, diskFull: true, why: 'no space left on the device' };
      }
      return { ok: false, why: describe(error) };
    }
  }

  /** Free bytes where the cache lives (undefined when the file system will not say). */
  async room(): Promise<number | undefined> {
    const disk = await statfs(this.dir).catch(() => undefined);
    return disk ? disk.bavail * disk.bsize : undefined;
  }

  /** Deletes what none of `needed` is (and partial downloads nobody wants any more). Answers the deleted digests. */
  async prune(needed: Set<string>): Promise<string[]> {
    const deleted: string[] = [];
    for (const name of await readdir(this.dir)) {
      const sha256 = name.replace(/\.(mp3|partial)$/, '');
      if (!SHA256.test(sha256) || needed.has(sha256) || this.downloading.has(sha256)) continue;
      await rm(join(this.dir, name), { force: true });
      if (name.endsWith('.mp3')) deleted.push(sha256);
      this.held.delete(sha256);
    }
    return deleted;
  }
}

/** A full file system can take part of a write without an error: the rest is written again, and that raises ENOSPC. */
export async function writeWhole(file: Pick<FileHandle, 'write'>, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.length - offset);
    if (bytesWritten === 0) throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}

export const isDiskFull = (error: unknown): boolean => (error as { code?: string } | undefined)?.code === 'ENOSPC';
