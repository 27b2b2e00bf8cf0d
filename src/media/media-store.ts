import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RENDITION_EXTENSION } from './domain/rendition';

const SHA256 = /^[0-9a-f]{64}$/;

export interface StoredFile {
  sha256: string;
  bytes: number;
}

/** A pass-through that hashes and counts what goes by: what was received is known without reading it again. */
export function measuring(): { stream: Transform; file(): StoredFile } {
  const digest = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digest.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, file: () => ({ sha256: digest.digest('hex'), bytes }) };
}

/**
 * MEDIA_DIR on disk. Finished renditions sit at the top as <sha256>.mp3 and
 * only ever appear there by rename, complete. Inputs wait in .incoming/ and
 * work in progress lives in .tmp/; both are cleared when a job ends, and a
 * sweep removes what a killed process left behind.
 */
export class MediaStore {
  readonly root: string;
  private readonly incomingDir: string;
  private readonly tmpDir: string;
  private readonly recordingDir: string;

  constructor(dir: string) {
    this.root = resolve(dir);
    this.incomingDir = join(this.root, '.incoming');
    this.tmpDir = join(this.root, '.tmp');
    this.recordingDir = join(this.root, '.recording');
  }

  async prepare(): Promise<void> {
    await mkdir(this.incomingDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.recordingDir, { recursive: true });
  }

  /**
   * Where a recording is written while it is made (a live session's): beside
   * the media, not in a process's memory or temp folder, so whichever process
   * ends the session finds what was recorded, even after a crash.
   */
  recordingPath(key: string): string {
    if (!/^[\w-]+$/.test(key)) throw new Error(`not a recording key: ${key}`);
    return join(this.recordingDir, `${key}.${RENDITION_EXTENSION}`);
  }

  incomingPath(mediaId: string): string {
    return join(this.incomingDir, mediaId);
  }

  /** A fresh name in .tmp/, on the same file system as the final name, so the last step is an atomic rename. */
  tempPath(label: string): string {
    return join(this.tmpDir, `${label}.${randomUUID()}.${RENDITION_EXTENSION}`);
  }

  renditionPath(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, `${sha256}.${RENDITION_EXTENSION}`);
  }

  /**
   * Streams an upload to .incoming/<id>, hashing as it goes. Written under a
   * .part name first, so a half-received upload never looks like an input.
   */
  async receive(source: Readable, mediaId: string): Promise<StoredFile> {
    const target = this.incomingPath(mediaId);
    const partial = `${target}.part`;
    const measure = measuring();
    try {
      await pipeline(source, measure.stream, createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return measure.file();
  }

  async hash(path: string): Promise<StoredFile> {
    const digest = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      digest.update(chunk);
      bytes += chunk.length;
    }
    return { sha256: digest.digest('hex'), bytes };
  }

  /**
   * Moves a finished rendition to its content address. Identical audio gives
   * identical bytes, so if the address is taken the copy already there is kept.
   */
  async commit(tempPath: string): Promise<StoredFile> {
    const file = await this.hash(tempPath);
    await rename(tempPath, this.renditionPath(file.sha256));
    return file;
  }

  async exists(path: string): Promise<boolean> {
    return stat(path).then(
      () => true,
      () => false,
    );
  }

  /** The size of a rendition, or null when there is none by that name. */
  async renditionSize(sha256: string): Promise<number | null> {
    try {
      return (await stat(this.renditionPath(sha256))).size;
    } catch {
      return null;
    }
  }

  openRendition(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.renditionPath(sha256), range);
  }

  async discard(...paths: string[]): Promise<void> {
    await Promise.all(paths.map((path) => rm(path, { force: true })));
  }

  /** Removes an input and anything derived from it that a job left in .incoming/. */
  discardInputs(mediaId: string): Promise<void> {
    return this.removeStartingWith(this.incomingDir, mediaId);
  }

  /** Removes temporary renditions of a media item, such as those of an attempt that was killed. */
  discardTemps(mediaId: string): Promise<void> {
    return this.removeStartingWith(this.tmpDir, mediaId);
  }

  private async removeStartingWith(dir: string, prefix: string): Promise<void> {
    const names = await readdir(dir).catch(() => [] as string[]);
    await this.discard(...names.filter((name) => name.startsWith(prefix)).map((name) => join(dir, name)));
  }

  /**
   * Removes leftovers older than `olderThanMs`: temporary renditions of killed
   * jobs, and inputs no processing row refers to (an upload whose request
   * died before its row was written).
   */
  async sweepLeftovers(olderThanMs: number, isWaitingInput: (mediaId: string) => Promise<boolean>): Promise<string[]> {
    const cutoff = Date.now() - olderThanMs;
    const removed: string[] = [];
    for (const dir of [this.tmpDir, this.incomingDir]) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const path = join(dir, name);
        const info = await stat(path).catch(() => null);
        if (!info || info.mtimeMs > cutoff) continue;
        if (dir === this.incomingDir && (await isWaitingInput(name.slice(0, 36)))) continue;
        await rm(path, { force: true });
        removed.push(path);
      }
    }
    return removed;
  }
}
