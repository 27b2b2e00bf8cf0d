import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Media } from '../generated/prisma/client';
import type { UserPrincipal } from '../auth/access.decorator';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { badRequest } from '../infra/http/error-body';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, mediaProcessingJob } from '../infra/queue/jobs';
import type { Parsed } from '../infra/http/validation';
import { ListMediaQuery, MediaView, SpeakBody, toMediaView } from './media.dto';
import { MediaQuotas } from './media-quotas';
import { MediaRepository, NewMedia } from './media.repository';
import { receiveUpload, titleFromFileName } from './multipart-upload';
import { MediaStorage } from './storage/media-storage';

// How long a request waits on Redis: to take a new job, or to say how far one has got.
const ENQUEUE_WAIT_MS = 2_000;
const PROGRESS_WAIT_MS = 250;
const TTS_TITLE_CHARS = 40;

@Injectable()
export class MediaService {
  private readonly logger = new Logger('MediaService');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly media: MediaRepository,
    private readonly storage: MediaStorage,
    private readonly queue: JobQueue,
    private readonly quotas: MediaQuotas,
  ) {}

  /** Quotas are checked before the body is read, the stream is cut at the bytes left today, and checked again with the size received. */
  async upload(actor: UserPrincipal, request: FastifyRequest): Promise<MediaView> {
    const { maxBytes } = this.config.media;
    const { bytesLeft } = await this.quotas.admit(actor, { bytes: 1, chars: 0 });
    const allowance = Math.min(maxBytes, bytesLeft);
    const id = randomUUID();
    const upload = await receiveUpload(request, this.storage, id, allowance).catch(async (error: unknown) => {
      // Larger than what today's quota leaves: refused by the quota that left it, not as over MEDIA_MAX_BYTES.
      if (error instanceof PayloadTooLargeException && allowance < maxBytes) await this.quotas.admit(actor, { bytes: allowance + 1, chars: 0 });
      throw error;
    });
    const row = await this.quotas
      .create(
        {
          id,
          title: upload.title ?? titleFromFileName(upload.clientFileName) ?? 'Untitled upload',
          source: 'upload',
          regionCode: actor.scopeCode,
          createdById: actor.id,
          sourceSha256: upload.sha256,
          sourceBytes: upload.bytes,
        },
        { bytes: upload.bytes, chars: 0 },
      )
      .catch(async (error: unknown) => {
        await this.storage.discardInputs(id);
        throw error;
      });
    await this.startProcessing(row);
    return toMediaView(row, this.config.media.baseUrl);
  }

  async speak(actor: UserPrincipal, body: Parsed<typeof SpeakBody>): Promise<MediaView> {
    const row = this.speech(actor, body);
    const created = await this.quotas.create(row, { bytes: 0, chars: [...body.text].length });
    await this.startProcessing(created);
    return toMediaView(created, this.config.media.baseUrl);
  }

  /**
   * An emergency alert's text, spoken on the alert queue ahead of all other
   * media. Counted in the drafter's usage, but never refused for it: an
   * alert does not wait for the day's routine uploads.
   */
  async speakAlert(actor: UserPrincipal, body: { text: string; title: string }): Promise<MediaView> {
    const created = await this.media.create({ ...this.speech(actor, { ...body, voice: 'cmn' }), forAlert: true });
    await this.startProcessing(created);
    return toMediaView(created, this.config.media.baseUrl);
  }

  /**
   * An alert now needs media still processing (an upload it was drafted
   * with): its job moves to the alert queue, unless it is already running.
   */
  async expedite(mediaId: string): Promise<void> {
    if (!(await this.media.markForAlert(mediaId))) return;
    // Not awaited: a draft never waits on Redis; if it is away, the sweep moves the job later.
    void this.ensureProcessing({ id: mediaId, forAlert: true }).catch((error: Error) =>
      this.logger.warn(`media ${mediaId} is an alert's now, but its job could not move yet (${error.message}); the sweep will move it`),
    );
  }

  /**
   * Makes sure a processing row has its job waiting or running, on the queue
   * it belongs to; true when one was added. Alert audio first takes back a
   * routine job still waiting, and is left alone while one is running, so
   * the same media is never rendered twice at once.
   */
  async ensureProcessing(media: { id: string; forAlert: boolean }): Promise<boolean> {
    if (media.forAlert && !(await this.queue.withdraw(JobName.ProcessMedia, mediaProcessingJob({ id: media.id, forAlert: false }).jobId))) return false;
    const { name, jobId } = mediaProcessingJob(media);
    return this.queue.ensure(name, { mediaId: media.id }, jobId);
  }

  private speech(actor: UserPrincipal, body: Parsed<typeof SpeakBody>): NewMedia {
    const limit = this.config.media.ttsMaxChars;
    if ([...body.text].length > limit) {
      throw badRequest(`text is longer than ${limit} characters (TTS_MAX_CHARS)`, [{ path: 'body.text', message: `must be at most ${limit} characters` }]);
    }
    return {
      id: randomUUID(),
      title: body.title ?? [...body.text.replace(/\s+/g, ' ')].slice(0, TTS_TITLE_CHARS).join(''),
      source: 'tts',
      regionCode: actor.scopeCode,
      createdById: actor.id,
      ttsText: body.text,
      ttsVoice: body.voice,
    };
  }

  /**
   * Where a recording in progress is written (see MediaStore.recordingPath):
   * always this process's MEDIA_DIR, the process carrying the session; it
   * becomes an input in the storage when the session ends.
   */
  async recordingPath(key: string): Promise<string> {
    await this.storage.prepare();
    return this.storage.scratch.recordingPath(key);
  }

  /**
   * Makes a finished recording a media item, processed into a rendition like
   * an upload (its own speaker's, with no quota: it was aired already). The
   * file is moved first, so of two processes ending the same session only one
   * adopts it. Null when there is nothing to adopt (taken, or nothing recorded).
   */
  async adoptRecording(key: string, row: { title: string; regionCode: string | null; createdById: string }): Promise<string | null> {
    const id = randomUUID();
    const input = this.storage.scratch.incomingPath(id);
    try {
      await rename(this.storage.scratch.recordingPath(key), input);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return this.adoptInput(id, { ...row, source: 'live' });
  }

  /**
   * Audio an alert arrived with from outside (an upper emergency-broadcast
   * platform's EBM): written where an upload's input goes and rendered on the
   * alert queue like any alert audio. No quota: a warning is never refused
   * for the day's uploads.
   */
  async adoptAlertAudio(
    data: Buffer,
    row: { title: string; regionCode: string | null; createdById: string; source: Media['source'] },
  ): Promise<string> {
    const id = randomUUID();
    await this.storage.prepare();
    await writeFile(this.storage.scratch.incomingPath(id), data);
    const adopted = await this.adoptInput(id, { ...row, forAlert: true });
    if (!adopted) throw new Error('alert audio must not be empty');
    return adopted;
  }

  /** Makes the file at scratch.incomingPath(id) the input of a media item and starts rendering it; null (and the file gone) when it is empty. */
  private async adoptInput(id: string, row: Omit<NewMedia, 'id' | 'sourceSha256' | 'sourceBytes'>): Promise<string | null> {
    const empty = (await this.storage.scratch.hash(this.storage.scratch.incomingPath(id))).bytes === 0;
    if (empty) {
      await this.storage.scratch.discardInputs(id);
      return null;
    }
    const file = await this.storage.adoptInput(id).catch(async (error: unknown) => {
      await this.storage.discardInputs(id);
      throw error;
    });
    const created = await this.media.create({ id, ...row, sourceSha256: file.sha256, sourceBytes: file.bytes });
    await this.startProcessing(created);
    return id;
  }

  async get(id: string): Promise<MediaView> {
    const row = await this.media.find(id);
    if (!row) throw new NotFoundException(`media ${id} not found`);
    let progress: number | undefined;
    if (row.status === 'processing') {
      const { name, jobId } = mediaProcessingJob(row);
      const job = await this.queue.find(name, jobId, PROGRESS_WAIT_MS);
      progress = typeof job?.progress === 'number' ? job.progress : 0;
    }
    return toMediaView(row, this.config.media.baseUrl, progress);
  }

  async list(actor: UserPrincipal, query: Parsed<typeof ListMediaQuery>) {
    const rows = await this.media.list(actor.scopeCode, query);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => toMediaView(row, this.config.media.baseUrl)),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    };
  }

  /**
   * The row is already committed, so the work is not lost if Redis is away
   * now: the sweep finds rows processing without a job and enqueues them.
   */
  private async startProcessing(media: { id: string; forAlert: boolean }): Promise<void> {
    const { name, jobId } = mediaProcessingJob(media);
    const queued = await this.queue.offer(name, { mediaId: media.id }, jobId, ENQUEUE_WAIT_MS);
    if (!queued) this.logger.warn(`media ${media.id} saved but Redis did not take its job; the sweep will queue it`);
  }
}
