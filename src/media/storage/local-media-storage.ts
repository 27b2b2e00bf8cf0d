import type { Readable } from 'node:stream';
import type { MediaStore, StoredFile } from '../media-store';
import { type ByteRange, MediaStorage } from './media-storage';

/** MEDIA_DIR is the store: shared by every process that needs the files (one machine, or a shared volume). */
export class LocalMediaStorage extends MediaStorage {
  readonly scratchIsPrivate = false;

  constructor(readonly scratch: MediaStore) {
    super();
  }

  prepare(): Promise<void> {
    return this.scratch.prepare();
  }

  receiveInput(source: Readable, mediaId: string): Promise<StoredFile> {
    return this.scratch.receive(source, mediaId);
  }

  adoptInput(mediaId: string): Promise<StoredFile> {
    return this.scratch.hash(this.scratch.incomingPath(mediaId));
  }

  async fetchInput(mediaId: string): Promise<string | null> {
    const path = this.scratch.incomingPath(mediaId);
    return (await this.scratch.exists(path)) ? path : null;
  }

  discardInputs(mediaId: string): Promise<void> {
    return this.scratch.discardInputs(mediaId);
  }

  commitRendition(path: string): Promise<StoredFile> {
    return this.scratch.commit(path);
  }

  renditionSize(sha256: string): Promise<number | null> {
    return this.scratch.renditionSize(sha256);
  }

  async openRendition(sha256: string, range?: ByteRange): Promise<Readable> {
    return this.scratch.openRendition(sha256, range);
  }

  async deliveryUrl(): Promise<null> {
    return null;
  }

  sweepLeftovers(olderThanMs: number, isWaitingInput: (mediaId: string) => Promise<boolean>): Promise<string[]> {
    return this.scratch.sweepLeftovers(olderThanMs, isWaitingInput);
  }
}
