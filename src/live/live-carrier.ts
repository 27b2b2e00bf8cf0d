import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { Icecast } from '../infra/icecast/icecast';
import { EventBus, LiveEvent } from '../infra/redis/event-bus';
import { countyIso } from '../kernel/county-time';
import { MediaService } from '../media/media.service';
import { MediaTooling } from '../media/media-tooling';
import { sniffContainer } from './domain/audio-container';
import { type EndReason, LIVE_ITEM_PRIORITY, liveItemId } from './domain/live';
import { LivePipeline } from './live-pipeline';
import { LiveRepository, type LiveRow } from './live.repository';

// The carrier tells Postgres it still holds a session this often (and learns of an end it missed).
const BEAT_MS = 2_000;
// How long Icecast may take to accept the mount.
const ACCEPT_MS = 5_000;
// Sniffing the container needs a few bytes; more than this without one is not audio.
const SNIFF_MAX_BYTES = 64;

/** WebSocket close codes the speaker's client is told (4000–4999 are the application's own). */
export const CLOSE = { ended: 1000, badToken: 4401, foreignOrigin: 4403, busy: 4409, gone: 4410 } as const;

interface Carried {
  row: LiveRow;
  pipeline: LivePipeline;
  /** When the speaker last sent anything: silence from them for the grace period ends the session. */
  lastBytesAt: number;
  beat: NodeJS.Timeout;
  maxLength: NodeJS.Timeout;
}

/**
 * The live sessions whose audio this process carries: the speaker's WebSocket,
 * the pipeline to Icecast, and the session's end, whoever or whatever ends it.
 */
@Injectable()
export class LiveCarrier implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveCarrier');
  private readonly carried = new Map<string, Carried>();
  // The speaker's connected client of each session, carried here or about to be: one at a time.
  private readonly clients = new Map<string, WebSocket>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: LiveRepository,
    private readonly icecast: Icecast,
    private readonly media: MediaService,
    private readonly tooling: MediaTooling,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    // Someone ended a session on another process: if its audio is here, stop it.
    this.bus.on('live-stop', ({ id }) => void this.release(id));
  }

  carries(id: string): boolean {
    return this.carried.has(id);
  }

  /** What devices are told of a session that went live. */
  event(row: LiveRow): LiveEvent {
    const startedAt = row.liveAt ?? row.createdAt;
    return {
      id: row.id,
      itemId: liveItemId(row.id),
      title: row.title,
      urgent: row.priority === 'urgent',
      priority: LIVE_ITEM_PRIORITY[row.priority],
      startedAt: countyIso(startedAt),
      endsBy: countyIso(new Date(startedAt.getTime() + this.config.live.maxSeconds * 1000)),
      stream: { url: this.icecast.listenerUrl(row.mount), mime: 'audio/mpeg' },
    };
  }

  /**
   * The speaker's client connected with a valid token. Its first bytes must
   * open an audio container; the first connection's then start the stream
   * and, once Icecast has the mount, the devices are told. A later connection
   * (the speaker back within the grace period) continues the same stream.
   */
  connect(row: LiveRow, client: WebSocket): void {
    const holder = this.clients.get(row.id);
    if (holder && holder.readyState <= holder.OPEN) {
      client.resume();
      client.close(CLOSE.busy, 'another client is sending this session');
      return;
    }
    this.clients.set(row.id, client);
    this.tell(client, { type: 'status', status: row.status });
    const pending: Buffer[] = [];
    let carried: Carried | null = null;
    let sniffing = true;
    client.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      if (carried) {
        carried.lastBytesAt = Date.now();
        return carried.pipeline.feed(data);
      }
      pending.push(data);
      if (!sniffing) return;
      const head = Buffer.concat(pending);
      const container = sniffContainer(head);
      if (container === 'more' && head.length < SNIFF_MAX_BYTES) return;
      sniffing = false;
      if (container === null || container === 'more') return void this.end(row.id, 'bad-audio', null);
      void this.carry(row).then((started) => {
        if (!started || this.clients.get(row.id) !== client) return;
        started.pipeline.attach(container);
        for (const chunk of pending.splice(0)) started.pipeline.feed(chunk);
        started.lastBytesAt = Date.now();
        carried = started;
        this.tell(client, { type: 'status', status: 'live' });
      });
    });
    client.resume();
    client.on('close', () => {
      if (this.clients.get(row.id) !== client) return;
      this.clients.delete(row.id);
      // The speaker may come back (a phone between cells): silence meanwhile; the beat ends it after the grace period.
      this.carried.get(row.id)?.pipeline.detach();
    });
  }

  /** The session's stream on this process: started now if it is not yet (null if it could not be). */
  private async carry(row: LiveRow): Promise<Carried | null> {
    const running = this.carried.get(row.id);
    if (running) return running;
    const source = this.icecast.openSource(row.mount, { name: `Dalaba live ${row.id}`, description: row.title });
    const pipeline = new LivePipeline(
      this.tooling.ffmpeg,
      this.config.media.rendition,
      source,
      await this.media.recordingPath(row.id),
      (reason, detail) => {
        this.logger.warn(`live session ${row.id}: ${reason} (${detail})`);
        void this.end(row.id, reason, null);
      },
    );
    const carried: Carried = {
      row,
      pipeline,
      lastBytesAt: Date.now(),
      beat: setInterval(() => void this.beat(row.id), BEAT_MS),
      maxLength: setTimeout(() => void this.end(row.id, 'max-length', null), this.config.live.maxSeconds * 1000),
    };
    this.carried.set(row.id, carried);
    try {
      await Promise.race([
        source.accepted,
        new Promise((_, reject) => setTimeout(() => reject(new Error('Icecast did not answer')), ACCEPT_MS)),
      ]);
    } catch (error) {
      this.logger.warn(`live session ${row.id}: ${(error as Error).message}`);
      await this.end(row.id, 'stream-failed', null);
      return null;
    }
    const at = new Date();
    if (!(await this.sessions.markLive(row.id, at))) {
      // Ended while Icecast was being asked (by an approver, or the sweep).
      await this.release(row.id);
      return null;
    }
    carried.row = { ...row, status: 'live', liveAt: at };
    await this.bus.tell('live', { action: 'start', targets: row.regionCodes, live: this.event(carried.row) });
    return carried;
  }

  /** Tells Postgres the session is still carried here; ends it once its speaker has sent nothing for the grace period. */
  private async beat(id: string): Promise<void> {
    const carried = this.carried.get(id);
    if (!carried) return;
    if (Date.now() - carried.lastBytesAt > this.config.live.graceSeconds * 1000) {
      await this.end(id, 'source-lost', null);
      return;
    }
    const status = await this.sessions.beat(id, new Date()).catch(() => undefined);
    // Ended by someone whose word did not reach this process through Redis.
    if (status === 'ended' || status === null) await this.release(id);
  }

  /**
   * Ends a session once, whoever asks (its speaker, an approver, a failure,
   * the sweep): Postgres records it, the devices are told, the process
   * carrying its audio stops it and makes the recording media.
   */
  async end(id: string, reason: EndReason, actorId: string | null): Promise<LiveRow | null> {
    const ended = await this.sessions.end(id, reason, actorId, new Date());
    if (ended) {
      await this.bus.tell('live', { action: 'end', targets: ended.regionCodes, live: this.event(ended), reason });
      if (!this.carried.has(id)) await this.bus.tell('live-stop', { id });
    }
    await this.release(id);
    return ended;
  }

  /** Stops the audio of an ended session if this process carries it, and makes its recording media. */
  private async release(id: string): Promise<void> {
    const carried = this.carried.get(id);
    const client = this.clients.get(id);
    this.carried.delete(id);
    this.clients.delete(id);
    if (carried) {
      clearInterval(carried.beat);
      clearTimeout(carried.maxLength);
    }
    if (client) {
      const ended = await this.sessions.find(id);
      this.tell(client, { type: 'status', status: 'ended', reason: ended?.endReason ?? null });
      client.close(CLOSE.ended, 'the session ended');
    }
    if (!carried) return;
    await carried.pipeline.stop();
    await this.adopt(carried.row);
  }

  /** The session's recording becomes a media item of its speaker's (once, by whichever process gets the file). */
  async adopt(row: LiveRow): Promise<void> {
    const mediaId = await this.media
      .adoptRecording(row.id, {
        title: `喊话录音 · ${row.title}`,
        regionCode: row.scopeCode,
        createdById: row.startedById,
      })
      .catch((error: Error) => {
        this.logger.warn(`live session ${row.id}: its recording could not be kept: ${error.message}`);
        return null;
      });
    if (mediaId) await this.sessions.setRecording(row.id, mediaId);
  }

  private tell(client: WebSocket, message: Record<string, unknown>): void {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  }

  async onModuleDestroy(): Promise<void> {
    // A process stopping ends what it carries, as the sweep would later: nothing is left live.
    await Promise.all([...this.carried.keys()].map((id) => this.end(id, 'server-restarted', null)));
  }
}
