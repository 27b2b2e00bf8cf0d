import { z } from 'zod';

// Every setting the service reads, validated once at start-up. Nothing else
// in the code reads process.env.

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const decimal = (min: number, max: number) => z.coerce.number().min(min).max(max);
const oneOf = (values: readonly number[]) =>
  z.coerce.number().refine((value) => values.includes(value), `must be one of ${values.join(', ')}`);

// The rates and bit rates an MP3 (MPEG-1 layer III) encoder accepts.
const MP3_SAMPLE_RATES = [32_000, 44_100, 48_000] as const;
const MP3_BITRATES_KBPS = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const;

export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const environment = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MEDIA_DIR: z.string().min(1).default('./media'),
  ADMIN_USERNAME: z.string().regex(/^[\w.-]{3,64}$/, 'must be 3–64 letters, digits, dots, dashes or underscores').default('admin'),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_TTL_SECONDS: integer(60, 7 * 24 * 3600).default(12 * 3600),
  APP_ROLE: z.enum(APP_ROLES).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/, 'must be letters, digits, dashes or underscores').default('dalaba'),
  ENROLLMENT_CODE_TTL_HOURS: integer(1, 90 * 24).default(7 * 24),
  ENDPOINT_ONLINE_SECONDS: integer(30, 24 * 3600).default(180),
  REGION_IMPORT_MAX_BYTES: integer(1024, 512 * 1024 * 1024).default(50 * 1024 * 1024),
  QUEUE_LOCK_SECONDS: integer(2, 600).default(30),
  DEVICE_EVENTS_HEARTBEAT_SECONDS: integer(1, 25).default(20),
  MEDIA_MAX_BYTES: integer(1024, 4 * 1024 ** 3).default(200 * 1024 * 1024),
  MEDIA_MAX_SECONDS: integer(1, 24 * 3600).default(2 * 3600),
  MEDIA_TARGET_LUFS: decimal(-40, -5).default(-16),
  MEDIA_TARGET_TRUE_PEAK_DB: decimal(-9, 0).default(-1.5),
  MEDIA_LOUDNESS_RANGE_LU: decimal(1, 20).default(11),
  MEDIA_SAMPLE_RATE: oneOf(MP3_SAMPLE_RATES).default(44_100),
  MEDIA_CHANNELS: oneOf([1, 2]).default(1),
  MEDIA_BITRATE_KBPS: oneOf(MP3_BITRATES_KBPS).default(64),
  MEDIA_CONCURRENCY: integer(1, 64).default(2),
  MEDIA_BASE_URL: z.string().regex(/^(\/|https?:\/\/)\S*[^/]$/, 'must be a path like /media or an http(s) URL, without a trailing slash').default('/media'),
  MEDIA_SWEEP_SECONDS: integer(1, 3600).default(60),
  TTS_MAX_CHARS: integer(1, 100_000).default(5_000),
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),
  ESPEAK_NG_PATH: z.string().min(1).optional(),
});

export interface AppConfig {
  role: AppRole;
  http: { host: string; port: number };
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  mediaDir: string;
  logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  admin: { username: string; password?: string };
  jwt: { secret: string; ttlSeconds: number };
  endpoints: { enrollmentCodeTtlHours: number; onlineSeconds: number; eventsHeartbeatSeconds: number };
  regions: { importMaxBytes: number };
  queue: { lockSeconds: number };
  media: MediaConfig;
}

export interface MediaConfig {
  maxBytes: number;
  maxSeconds: number;
  /** The broadcast rendition every upload becomes. */
  rendition: { targetLufs: number; truePeakDb: number; loudnessRangeLu: number; sampleRate: number; channels: number; bitrateKbps: number };
  concurrency: number;
  baseUrl: string;
  sweepSeconds: number;
  ttsMaxChars: number;
  /** Explicit tool paths; where unset, the PATH and then npm-shipped binaries are tried. */
  tools: { ffmpeg?: string; ffprobe?: string; espeakNg?: string };
}

export class ConfigError extends Error {}

/** Reads the environment into a typed config, or throws naming every bad variable, one line each. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environment.safeParse(blankAsUnset);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, blankAsUnset));
  const e = parsed.data;
  return {
    role: e.APP_ROLE,
    http: { host: e.HOST, port: e.PORT },
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    mediaDir: e.MEDIA_DIR,
    logLevel: e.LOG_LEVEL,
    admin: { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD },
    jwt: { secret: e.JWT_SECRET, ttlSeconds: e.JWT_TTL_SECONDS },
    endpoints: {
      enrollmentCodeTtlHours: e.ENROLLMENT_CODE_TTL_HOURS,
      onlineSeconds: e.ENDPOINT_ONLINE_SECONDS,
      eventsHeartbeatSeconds: e.DEVICE_EVENTS_HEARTBEAT_SECONDS,
    },
    regions: { importMaxBytes: e.REGION_IMPORT_MAX_BYTES },
    queue: { lockSeconds: e.QUEUE_LOCK_SECONDS },
    media: {
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
      tools: { ffmpeg: e.FFMPEG_PATH, ffprobe: e.FFPROBE_PATH, espeakNg: e.ESPEAK_NG_PATH },
    },
  };
}

/** One line per bad variable (its first issue), so a person fixes them all in one go. */
function describeIssues(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): string {
  const reasons = new Map<string, string>();
  for (const issue of issues) {
    const name = String(issue.path[0]);
    if (!reasons.has(name)) reasons.set(name, env[name] === undefined ? 'is required but not set' : issue.message);
  }
  return [...reasons].map(([name, reason]) => `Invalid configuration: ${name} ${reason}`).join('\n');
}
