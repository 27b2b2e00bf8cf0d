import { z } from 'zod';
import { decimal, flag, integer, MP3_BITRATES_KBPS, MP3_SAMPLE_RATES, oneOf, url } from './config-values';

/** The media pipeline's settings (MEDIA_*, TTS_*, tool paths), validated with the rest. */
export const MEDIA_ENVIRONMENT = {
  MEDIA_DIR: z.string().min(1).default('./media'),
  MEDIA_MAX_BYTES: integer(1024, 4 * 1024 ** 3).default(200 * 1024 * 1024),
  MEDIA_MAX_SECONDS: integer(1, 24 * 3600).default(2 * 3600),
  MEDIA_TARGET_LUFS: decimal(-40, -5).default(-16),
  MEDIA_TARGET_TRUE_PEAK_DB: decimal(-9, 0).default(-1.5),
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
  // Where inputs and renditions are kept: MEDIA_DIR, or an S3-compatible bucket (AWS, MinIO, Aliyun OSS, Tencent COS, Ceph).
  MEDIA_STORAGE: z.enum(['local', 's3']).default('local'),
  MEDIA_DELIVERY: z.enum(['redirect', 'stream']).optional(),
  MEDIA_SIGNED_URL_SECONDS: integer(1, 7 * 24 * 3600).default(300),
  S3_ENDPOINT: url(['http:', 'https:']).optional(),
  S3_PUBLIC_ENDPOINT: url(['http:', 'https:']).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name: 3–63 lower-case letters, digits, dots or dashes',
    )
    .optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: flag.default(false),
  S3_PREFIX: z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+)*\/?$/, 'must be a key prefix like dalaba/ (letters, digits, dots, dashes, slashes)')
    .optional(),
};

type StorageIssue = { path: [keyof typeof MEDIA_ENVIRONMENT]; message: string };

/** The rules across storage settings, checked with the rest at start-up (config.ts). */
export function mediaStorageIssues(e: Partial<MediaEnvironment>): StorageIssue[] {
  const issues: StorageIssue[] = [];
  if (e.MEDIA_STORAGE === 's3' && !e.S3_BUCKET)
    issues.push({ path: ['S3_BUCKET'], message: 'is required when MEDIA_STORAGE=s3' });
  if (e.MEDIA_STORAGE !== 's3' && e.MEDIA_DELIVERY === 'redirect') {
    issues.push({ path: ['MEDIA_DELIVERY'], message: 'redirect needs MEDIA_STORAGE=s3 (MEDIA_DIR is only streamed)' });
  }
  if (e.MEDIA_STORAGE === 's3' && !e.S3_ACCESS_KEY_ID !== !e.S3_SECRET_ACCESS_KEY) {
    const missing = e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    issues.push({
      path: [missing],
      message:
        "must be set together with S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or neither, for the SDK's own credentials)",
    });
  }
  return issues;
}

export interface MediaConfig {
  maxBytes: number;
  maxSeconds: number;
  /** The broadcast rendition every upload becomes. */
  rendition: {
    targetLufs: number;
    truePeakDb: number;
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
  storage: MediaStorageConfig;
}

/** MEDIA_DIR alone, or a bucket with MEDIA_DIR as scratch space; renditions redirected to a signed URL or streamed through. */
export type MediaStorageConfig =
  | { kind: 'local'; delivery: 'stream' }
  | { kind: 's3'; delivery: 'redirect' | 'stream'; signedUrlSeconds: number; s3: S3Settings };

export interface S3Settings {
  /** Unset: AWS itself, by region. */
  endpoint?: string;
  /** The address devices reach the bucket at, when it differs from the one the processes use (signed URLs name it). */
  publicEndpoint?: string;
  region: string;
  bucket: string;
  /** Unset: the SDK's own chain (environment, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Put before every key, ending in a slash (or empty). */
  prefix: string;
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
    storage: storageConfig(e),
  };
}

/** Where a browser is sent for a rendition's bytes besides this origin: the bucket, when /media redirects there. */
export function mediaOrigins(storage: MediaStorageConfig): string[] {
  if (storage.kind !== 's3' || storage.delivery !== 'redirect') return [];
  const { publicEndpoint, endpoint, bucket, region, forcePathStyle } = storage.s3;
  const base = publicEndpoint ?? endpoint;
  if (!base)
    return [forcePathStyle ? `https://s3.${region}.amazonaws.com` : `https://${bucket}.s3.${region}.amazonaws.com`];
  const origin = new URL(base);
  if (!forcePathStyle) origin.hostname = `${bucket}.${origin.hostname}`;
  return [origin.origin];
}

function storageConfig(e: MediaEnvironment): MediaStorageConfig {
  if (e.MEDIA_STORAGE === 'local') return { kind: 'local', delivery: 'stream' };
  const prefix = e.S3_PREFIX ? e.S3_PREFIX.replace(/\/?$/, '/') : '';
  return {
    kind: 's3',
    delivery: e.MEDIA_DELIVERY ?? 'redirect',
    signedUrlSeconds: e.MEDIA_SIGNED_URL_SECONDS,
    s3: {
      endpoint: e.S3_ENDPOINT,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET!,
      credentials:
        e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
          : undefined,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      prefix,
    },
  };
}
