import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { UserPrincipal } from '../auth/access.decorator';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { badRequest } from '../infra/http/error-body';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, mediaJobId } from '../infra/queue/jobs';
import type { Parsed } from '../infra/http/validation';
import { ListMediaQuery, MediaView, SpeakBody, toMediaView } from './media.dto';
import { MediaRepository } from './media.repository';
import { MediaStore } from './media-store';
import { receiveUpload, titleFromFileName } from './multipart-upload';

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
    private readonly store: MediaStore,
    private readonly queue: JobQueue,
  ) {}

  async upload(actor: UserPrincipal, request: FastifyRequest): Promise<MediaView> {
    const id = randomUUID();
    const upload = await receiveUpload(request, this.store, id, this.config.media.maxBytes);
    const row = await this.media
      .create({
        id,
        title: upload.title ?? titleFromFileName(upload.clientFileName) ?? 'Untitled upload',
        source: 'upload',
        regionCode: actor.scopeCode,
        createdById: actor.id,
        sourceSha256: upload.sha256,
      })
      .catch(async (error: unknown) => {
        await this.store.discardInputs(id);
        throw error;
      });
    await this.startProcessing(id);
    return toMediaView(row, this.config.media.baseUrl);
  }

  async speak(actor: UserPrincipal, body: Parsed<typeof SpeakBody>): Promise<MediaView> {
    const limit = this.config.media.ttsMaxChars;
    if ([...body.text].length > limit) {
      throw badRequest(`text is longer than ${limit} characters (TTS_MAX_CHARS)`, [{ path: 'body.text', message: `must be at most ${limit} characters` }]);
    }
    const row = await this.media.create({
      id: randomUUID(),
      title: body.title ?? [...body.text.replace(/\s+/g, ' ')].slice(0, TTS_TITLE_CHARS).join(''),
      source: 'tts',
      regionCode: actor.scopeCode,
      createdById: actor.id,
      ttsText: body.text,
      ttsVoice: body.voice,
    });
    await this.startProcessing(row.id);
    return toMediaView(row, this.config.media.baseUrl);
  }

  async get(id: string): Promise<MediaView> {
    const row = await this.media.find(id);
    if (!row) throw new NotFoundException(`media ${id} not found`);
    let progress: number | undefined;
    if (row.status === 'processing') {
      const job = await this.queue.find(JobName.ProcessMedia, mediaJobId(id), PROGRESS_WAIT_MS);
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
  private async startProcessing(mediaId: string): Promise<void> {
    const queued = await this.queue.offer(JobName.ProcessMedia, { mediaId }, mediaJobId(mediaId), ENQUEUE_WAIT_MS);
    if (!queued) this.logger.warn(`media ${mediaId} saved but Redis did not take its job; the sweep will queue it`);
  }
}
