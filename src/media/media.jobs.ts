import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import type { Media } from '../generated/prisma/client';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobName, JobPayloads } from '../infra/queue/jobs';
import { renderBroadcastFile } from './broadcast-rendition';
import { type LoudnessMeasurement, SPOKEN_LOUDNESS } from './domain/loudness';
import { MediaRejected } from './domain/media-rejected';
import { renditionKey } from './domain/rendition';
import { MediaRepository, ReadyRendition } from './media.repository';
import { MediaTooling } from './media-tooling';
import { MediaStorage } from './storage/media-storage';

@Injectable()
export class MediaJobs {
  private readonly logger = new Logger('MediaJobs');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly media: MediaRepository,
    private readonly storage: MediaStorage,
    private readonly tooling: MediaTooling,
  ) {}

  /**
   * The row is the job's truth: a row no longer processing (finished by an
   * earlier run) is left alone, so a duplicate or re-derived job is harmless.
   */
  @JobHandler(JobName.ProcessMedia)
  async process({ mediaId }: JobPayloads[JobName.ProcessMedia], job: Job): Promise<{ status: string; sha256?: string }> {
    const media = await this.media.find(mediaId);
    if (!media || media.status !== 'processing') return { status: media?.status ?? 'gone' };
    // An earlier attempt killed mid-render (with its worker) left its temporary file behind.
    await this.storage.scratch.discardTemps(media.id);
    let reported = -1;
    const onProgress = (fraction: number) => {
      const percent = Math.min(100, Math.round(fraction * 100));
      if (percent === reported) return;
      reported = percent;
      job.updateProgress(percent).catch(() => undefined);
    };
    try {
      const ready = await this.produce(media, onProgress);
      // The input goes only once the row is ready: were the update lost, a retry still has it.
      await this.media.markReady(media.id, ready);
      await this.clearInputs(media.id);
      this.logger.log(`media ${media.id} ready: ${ready.sha256} (${ready.durationMs} ms, ${ready.inputLufs} → ${ready.outputLufs} LUFS)`);
      return { status: 'ready', sha256: ready.sha256 };
    } catch (error) {
      throw await this.fail(media, job, error);
    }
  }

  /** An alert's audio: the same work, taken from its own queue by its own workers. */
  @JobHandler(JobName.ProcessAlertAudio)
  processAlertAudio(payload: JobPayloads[JobName.ProcessAlertAudio], job: Job): Promise<{ status: string; sha256?: string }> {
    return this.process(payload, job);
  }

  private async produce(media: Media, onProgress: (fraction: number) => void): Promise<ReadyRendition> {
    const { rendition, maxSeconds } = this.config.media;
    const key = renditionKey(rendition);
    const { input, sourceSha256, presumed } = await this.prepareInput(media);

    const twin = await this.media.findRenderedTwin(sourceSha256, key);
    if (twin?.sha256 && (await this.storage.renditionSize(twin.sha256)) !== null) {
      onProgress(1);
      return {
        sourceSha256,
        renditionKey: key,
        sha256: twin.sha256,
        bytes: twin.bytes!,
        durationMs: twin.durationMs!,
        inputLufs: twin.inputLufs!,
        outputLufs: twin.outputLufs!,
        truePeakDb: twin.truePeakDb!,
      };
    }

    const file = await renderBroadcastFile({
      transcoder: this.tooling.transcoder,
      input,
      rendition,
      maxSeconds,
      tempPath: () => this.storage.scratch.tempPath(media.id),
      discard: (path) => this.storage.scratch.discard(path),
      onProgress,
      presumed,
    });
    const stored = await this.storage.commitRendition(file.path);
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      sourceSha256,
      renditionKey: key,
      sha256: stored.sha256,
      bytes: stored.bytes,
      durationMs: file.durationMs,
      inputLufs: round(file.inputLufs),
      outputLufs: round(file.outputLufs),
      truePeakDb: round(file.truePeakDb),
    };
  }

  /** The file to render: the upload (or live recording) as received, or the text spoken afresh (speech is cheap and deterministic). */
  private async prepareInput(media: Media): Promise<{ input: string; sourceSha256: string; presumed?: LoudnessMeasurement }> {
    if (media.source !== 'tts') {
      const input = media.sourceSha256 ? await this.storage.fetchInput(media.id) : null;
      if (!media.sourceSha256 || !input) {
        throw new MediaRejected(
          media.source === 'live'
            ? 'the live recording is no longer on the server'
            : 'the uploaded file is no longer on the server; upload it again',
        );
      }
      return { input, sourceSha256: media.sourceSha256 };
    }
    const input = `${this.storage.scratch.incomingPath(media.id)}.speech.wav`;
    await this.tooling.speech.speak(media.ttsText ?? '', media.ttsVoice ?? 'cmn', input);
    const { sha256 } = await this.storage.scratch.hash(input);
    if (sha256 !== media.sourceSha256) await this.media.setSourceDigest(media.id, sha256);
    return { input, sourceSha256: sha256, presumed: SPOKEN_LOUDNESS };
  }

  /**
   * A bucket away must not keep a row from its verdict: an input it could not
   * remove now is the sweep's (no processing row waits for it any more).
   */
  private async clearInputs(mediaId: string): Promise<void> {
    await this.storage
      .discardInputs(mediaId)
      .catch((error: Error) => this.logger.warn(`media ${mediaId}: its input stays for the sweep (${error.message})`));
  }

  /**
   * Bad input fails the row at once and is never retried. Anything else is
   * the machine's trouble: BullMQ retries it with backoff, and only the last
   * attempt fails the row.
   */
  private async fail(media: Media, job: Job, error: unknown): Promise<Error> {
    const message = error instanceof Error ? error.message : String(error);
    // Files go before the row says failed, so whoever sees the failure sees nothing left behind.
    if (error instanceof MediaRejected) {
      await this.clearInputs(media.id);
      await this.media.markFailed(media.id, error.reason);
      this.logger.warn(`media ${media.id} rejected: ${error.reason}`);
      return new UnrecoverableError(error.reason);
    }
    const attempts = job.opts.attempts ?? 1;
    const attempt = job.attemptsMade + 1;
    const brief = message.split('\n')[0].slice(0, 300);
    if (attempt >= attempts) {
      await this.clearInputs(media.id);
      await this.media.markFailed(media.id, `processing failed after ${attempts} attempts: ${brief}`);
    } else {
      await this.media.noteRetry(media.id, `attempt ${attempt} of ${attempts} failed, will retry: ${brief}`);
    }
    return error instanceof Error ? error : new Error(message);
  }
}
