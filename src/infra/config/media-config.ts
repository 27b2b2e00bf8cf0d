import { z } from 'zod';
import { decimal, integer, MP3_BITRATES_KBPS, MP3_SAMPLE_RATES, oneOf } from './config-values';

/** The media pipeline's settings (MEDIA_*, TTS_*, tool paths), validated with the rest. */
export const MEDIA_ENVIRONMENT = {
  MEDIA_DIR: z.string().min(1).default('./media'),
  MEDIA_MAX_BYTES: integer(1024, 4 * 1024 ** 3).default(200 * 1024 * 1024),
  MEDIA_MAX_SECONDS: integer(1, 24 * 3600).default(2 * 3600),
  MEDIA_TARGET_LUFS: decimal(-40, -5).default(-16),
  MEDIA_TARGET_TRUE_PEAK_DB: decimal(-9, 0).default(-1.5),
  MEDIA_LOUDNESS_RANGE_LU: decimal(1, 20).default(11),
  MEDIA_SAMPLE_RATE: oneOf(MP3_SAMPLE_RATES).default(44_100),
  MEDIA_CHANNELS: oneOf([1, 2]).default(1),
  MEDIA_BITRATE_KBPS: oneOf(MP3_BITRATES_KBPS).default(64),
  MEDIA_CONCURRENCY: integer(1, 64).default(2),
  MEDIA_BASE_URL: z
    .string()
    .regex(/^(\/|https?:\/\/)\S*[^/]$/, 'must be a path like /media or an http(s) URL, without a trailing slash')
    .default('/media'),
  MEDIA_SWEEP_SECONDS: integer(1, 3600).default(60),
  TTS_MAX_CHARS: integer(1, 100_000).default(5_000),
  MEDIA_QUOTA_USER_QUEUED: integer(1, 1_000_000).default(100),
  MEDIA_QUOTA_SCOPE_QUEUED: integer(1, 1_000_000).default(400),
  MEDIA_QUOTA_USER_BYTES_PER_DAY: integer(1, 2 ** 50).default(10 * 1024 ** 3),
  MEDIA_QUOTA_SCOPE_BYTES_PER_DAY: integer(1, 2 ** 50).default(50 * 1024 ** 3),
  TTS_QUOTA_USER_CHARS_PER_DAY: integer(1, 1_000_000_000).default(500_000),
  TTS_QUOTA_SCOPE_CHARS_PER_DAY: integer(1, 1_000_000_000).default(2_000_000),
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),
  ESPEAK_NG_PATH: z.string().min(1).optional(),
};

export interface MediaConfig {
  maxBytes: number;
  maxSeconds: number;
  /** The broadcast rendition every upload becomes. */
  rendition: {
    targetLufs: number;
    truePeakDb: number;
    loudnessRangeLu: number;
    sampleRate: number;
    channels: number;
    bitrateKbps: number;
  };
  concurrency: number;
  baseUrl: string;
  sweepSeconds: number;
  ttsMaxChars: number;
  /** What uploads and text-to-speech may take, per author and per scope (county day). */
  quotas: { user: QuotaLimits; scope: QuotaLimits };
  /** Explicit tool paths; where unset, the PATH and then npm-shipped binaries are tried. */
  tools: { ffmpeg?: string; ffprobe?: string; espeakNg?: string };
}

/** Media items processing at once, upload bytes and text-to-speech characters a county day. */
export interface QuotaLimits {
  queued: number;
  bytesPerDay: number;
  charsPerDay: number;
}

type MediaEnvironment = z.infer<z.ZodObject<typeof MEDIA_ENVIRONMENT>>;

export function mediaConfig(e: MediaEnvironment): MediaConfig {
  return {
    maxBytes: e.MEDIA_MAX_BYTES,
    maxSeconds: e.MEDIA_MAX_SECONDS,
    rendition: {
      targetLufs: e.MEDIA_TARGET_LUFS,
      truePeakDb: e.MEDIA_TARGET_TRUE_PEAK_DB,
      loudnessRangeLu: e.MEDIA_LOUDNESS_RANGE_LU,
      sampleRate: e.MEDIA_SAMPLE_RATE,
      channels: e.MEDIA_CHANNELS,
      bitrateKbps: e.MEDIA_BITRATE_KBPS,
    },
    concurrency: e.MEDIA_CONCURRENCY,
    baseUrl: e.MEDIA_BASE_URL,
    sweepSeconds: e.MEDIA_SWEEP_SECONDS,
    ttsMaxChars: e.TTS_MAX_CHARS,
    quotas: {
      user: {
        queued: e.MEDIA_QUOTA_USER_QUEUED,
        bytesPerDay: e.MEDIA_QUOTA_USER_BYTES_PER_DAY,
        charsPerDay: e.TTS_QUOTA_USER_CHARS_PER_DAY,
      },
      scope: {
        queued: e.MEDIA_QUOTA_SCOPE_QUEUED,
        bytesPerDay: e.MEDIA_QUOTA_SCOPE_BYTES_PER_DAY,
        charsPerDay: e.TTS_QUOTA_SCOPE_CHARS_PER_DAY,
      },
    },
    tools: { ffmpeg: e.FFMPEG_PATH, ffprobe: e.FFPROBE_PATH, espeakNg: e.ESPEAK_NG_PATH },
  };
}
