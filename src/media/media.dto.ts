import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText, PlainText } from '../infra/http/validation';
import type { Media } from '../generated/prisma/client';
import { RENDITION_EXTENSION, RENDITION_MIME } from './domain/rendition';

const isoTime = z.iso.datetime({ offset: true });

/** espeak-ng voices that make sense for a county in China; others would only fail later, in the job. */
export const TTS_VOICES = ['cmn', 'cmn-latn-pinyin', 'yue', 'hak', 'en', 'en-us'] as const;

export const SpeakBody = z
  .object({
    text: PlainText.min(1, 'must not be empty').max(100_000).describe('what to say; the limit is TTS_MAX_CHARS'),
    voice: z.enum(TTS_VOICES).default('cmn').describe('espeak-ng voice; cmn is Mandarin'),
    title: LineText.min(1).max(200).optional().describe('defaults to the start of the text'),
  })
  .strict();

export const UploadTitle = LineText.min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const ListMediaQuery = z
  .object({
    status: z.enum(['processing', 'ready', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    after: z.uuid().optional().describe('the nextCursor of the previous page'),
  })
  .strict();

export const MediaView = named(
  'Media',
  z.object({
    id: z.uuid(),
    title: z.string(),
    source: z.enum(['upload', 'tts', 'live', 'ebd']),
    status: z.enum(['processing', 'ready', 'failed']),
    error: z.string().nullable().describe('why it failed, for a person; while processing, why the last attempt failed, if one did'),
    progress: z.number().int().min(0).max(100).optional().describe('percent done, while processing'),
    regionCode: z.string().nullable().describe("the uploader's scope: who may see and use it"),
    durationMs: z.number().int().nullable(),
    sha256: z.string().nullable().describe('of the broadcast rendition; also its ETag'),
    bytes: z.number().int().nullable(),
    mime: z.literal(RENDITION_MIME).nullable(),
    loudness: z
      .object({
        inputLufs: z.number().describe('integrated loudness of the input as received'),
        outputLufs: z.number().describe('integrated loudness of the rendition, measured on the file'),
        truePeakDb: z.number().describe('true peak of the rendition, dBTP'),
      })
      .nullable(),
    url: z.string().nullable().describe('where endpoints download the rendition'),
    createdAt: isoTime,
    readyAt: isoTime.nullable(),
  }),
);
export type MediaView = z.infer<typeof MediaView>;

export const MediaPage = named('MediaPage', z.object({ items: z.array(MediaView), nextCursor: z.uuid().nullable() }));

export function renditionUrl(baseUrl: string, sha256: string): string {
  return `${baseUrl}/${sha256}.${RENDITION_EXTENSION}`;
}

export function toMediaView(media: Media, baseUrl: string, progress?: number): MediaView {
  const ready = media.status === 'ready' && media.sha256 !== null;
  return {
    id: media.id,
    title: media.title,
    source: media.source,
    status: media.status,
    error: media.error,
    ...(media.status === 'processing' && progress !== undefined ? { progress } : {}),
    regionCode: media.regionCode,
    durationMs: media.durationMs,
    sha256: media.sha256,
    bytes: media.bytes,
    mime: ready ? RENDITION_MIME : null,
    loudness:
      ready && media.inputLufs !== null && media.outputLufs !== null && media.truePeakDb !== null
        ? { inputLufs: media.inputLufs, outputLufs: media.outputLufs, truePeakDb: media.truePeakDb }
        : null,
    url: ready ? renditionUrl(baseUrl, media.sha256!) : null,
    createdAt: media.createdAt.toISOString(),
    readyAt: media.readyAt?.toISOString() ?? null,
  };
}
