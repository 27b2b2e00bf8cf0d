import { randomBytes } from 'node:crypto';
import { request, type ClientRequest } from 'node:http';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig, IcecastConfig } from '../config/config';

export type MountKind = 'live' | 'relay';

/** What listeners see of a source (Icecast's ice-* headers). */
export interface SourceMeta {
  name: string;
  description?: string;
}

/**
 * One source connection to an Icecast mount: MP3 bytes written here are what
 * the mount's listeners hear. Sent as an HTTP PUT (Icecast 2.4's source
 * protocol), so any ffmpeg build works, not only one built with libshout.
 */
export class IcecastSource {
  /** Resolves once Icecast accepted the source (the mount exists); rejects if it refused. */
  readonly accepted: Promise<void>;
  /** Resolves when the connection is gone: ended by us, or lost (with the reason). */
  readonly closed: Promise<{ lost: string | null }>;
  private ending = false;

  constructor(
    private readonly req: ClientRequest,
    mount: string,
  ) {
    this.accepted = new Promise((resolve, reject) => {
      req.once('response', (response) => {
        response.resume();
        if (response.statusCode === 200) resolve();
        else reject(new Error(`Icecast refused the source for ${mount}: HTTP ${response.statusCode}`));
      });
      req.once('error', reject);
    });
    this.accepted.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      req.once('error', (error) => resolve({ lost: this.ending ? null : error.message }));
      req.once('close', () => resolve({ lost: this.ending ? null : 'Icecast closed the connection' }));
    });
  }

  /** Sends bytes; false once the connection is gone. */
  write(chunk: Buffer): boolean {
    if (this.req.destroyed || this.req.writableEnded) return false;
    this.req.write(chunk);
    return true;
  }

  /** Ends the source: the mount goes away and its listeners reach the end of the stream. */
  end(): void {
    this.ending = true;
    if (!this.req.writableEnded) this.req.end();
    // Icecast answers a PUT once, at the start, and holds the socket: close it ourselves.
    setTimeout(() => this.req.destroy(), 1_000).unref();
  }
}

/** Icecast as Dalaba uses it: mount names, where devices listen, and source connections. */
@Injectable()
export class Icecast {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.icecast !== null;
  }

  /**
   * A new mount's path. Its random part is what lets a loudspeaker listen: it
   * is told only to the devices the stream is for, like a rendition's digest.
   */
  newMount(kind: MountKind): string {
    return `/${this.settings().mountPrefix}-${kind}-${randomBytes(16).toString('hex')}.mp3`;
  }

  /** The URL devices play the mount from. */
  listenerUrl(mount: string): string {
    return `${this.settings().publicUrl}${mount}`;
  }

  /** Connects as the mount's source. */
  openSource(mount: string, meta: SourceMeta): IcecastSource {
    const settings = this.settings();
    const url = new URL(`${settings.url}${mount}`);
    const req = request(url, {
      method: 'PUT',
      auth: `source:${settings.sourcePassword}`,
      headers: {
        'content-type': 'audio/mpeg',
        'ice-name': headerText(meta.name),
        'ice-description': headerText(meta.description ?? ''),
        'ice-public': '0',
      },
    });
    // Icecast 2.4 passes a source's body to listeners as it comes, chunk sizes and all: no chunked encoding.
    req.useChunkedEncodingByDefault = false;
    req.setNoDelay(true);
    // Headers go now, so Icecast accepts (or refuses) the mount before the first audio.
    req.flushHeaders();
    return new IcecastSource(req, mount);
  }

  private settings(): IcecastConfig {
    if (!this.config.icecast)
      throw new ServiceUnavailableException('Live audio is not configured on this server (ICECAST_URL is not set)');
    return this.config.icecast;
  }
}

/** HTTP headers carry Latin-1 only: a Chinese title is the description listeners need not see. */
const headerText = (value: string) => value.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
