import type { Readable } from 'node:stream';
import type { MediaStore, StoredFile } from '../media-store';

export type ByteRange = { start: number; end: number };

/**
 * Where media inputs and renditions are kept: MEDIA_DIR (LocalMediaStorage)
 * or an S3-compatible bucket (S3MediaStorage), chosen by MEDIA_STORAGE.
 * Either way ffmpeg works on local files in `scratch` (MEDIA_DIR's .incoming/
 * and .tmp/); the storage holds what must outlive a job or be seen by every
 * process: an upload's input until it is rendered, and the renditions.
 */
export abstract class MediaStorage {
  /** Local disk for work in progress (and, for the local driver, the store itself). */
  abstract readonly scratch: MediaStore;
  /** True when no other process reads `scratch` (S3): then each process sweeps its own. */
  abstract readonly scratchIsPrivate: boolean;

  abstract prepare(): Promise<void>;

  /** Streams an upload in as the input of `mediaId`, hashing it as it goes; nothing is left if it fails. */
  abstract receiveInput(source: Readable, mediaId: string): Promise<StoredFile>;

  /** Makes the file at scratch.incomingPath(mediaId) (a recording, an alert's attached audio) the input of `mediaId`. */
  abstract adoptInput(mediaId: string): Promise<StoredFile>;

  /** A local path ffmpeg can read the input of `mediaId` from, or null when there is no input any more. */
  abstract fetchInput(mediaId: string): Promise<string | null>;

  /** Removes the input of `mediaId` and anything derived from it in scratch. */
  abstract discardInputs(mediaId: string): Promise<void>;

  /**
   * Keeps a finished rendition (a file in scratch) under its content address
   * and removes the file. Stored once: if the address is taken, the copy
   * already there is kept. A rendition is never visible half written.
   */
  abstract commitRendition(path: string): Promise<StoredFile>;

  /** The size of a rendition, or null when there is none by that name. */
  abstract renditionSize(sha256: string): Promise<number | null>;

  abstract openRendition(sha256: string, range?: ByteRange): Promise<Readable>;

  /** A short-lived URL a device may download the rendition from itself; null when it is served through this process. */
  abstract deliveryUrl(sha256: string): Promise<string | null>;

  /** Removes leftovers older than `olderThanMs` (killed jobs' work, inputs no processing row waits for); answers what went. */
  abstract sweepLeftovers(olderThanMs: number, isWaitingInput: (mediaId: string) => Promise<boolean>): Promise<string[]>;

  /** The whole rendition in memory (small: an alert's audio for an EBM), or null when there is none. */
  async readRendition(sha256: string): Promise<Buffer | null> {
    if ((await this.renditionSize(sha256)) === null) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openRendition(sha256)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
