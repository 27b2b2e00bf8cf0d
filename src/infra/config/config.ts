import { z } from 'zod';
import { secretWeakness } from './secret-strength';
import { EBD_ENVIRONMENT, ebdConfig, type EbdConfig } from './ebd-config';
import { NOTIFICATION_ENVIRONMENT, notificationConfig, type NotificationConfig } from './notification-config';
import { ENDPOINTS_ENVIRONMENT, endpointsConfig, type EndpointsConfig } from './endpoints-config';
import { MEDIA_ENVIRONMENT, mediaConfig, mediaStorageIssues, type MediaConfig } from './media-config';
import { OPERATIONS_ENVIRONMENT, operationsConfig, type OperationsConfig } from './operations-config';
import { addressList, flag, integer, url } from './config-values';
import { passwordProblem } from '../../kernel/password-policy';
import { redisUrlProblem } from '../redis/redis-url';

// Every setting the service reads, validated once at start-up. Nothing else in the code reads process.env.

export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const environment = z
  .object({
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    MIGRATION_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    NODE_ENV: z.string().default('development'),
    // One Redis, or a master found through Sentinels (redis+sentinel://…): see docs/operations.md.
    REDIS_URL: z.string().superRefine((value, context) => {
      const problem = redisUrlProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
    PORT: integer(0, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DOCS_PUBLIC: flag.optional(),
    TRUSTED_PROXIES: addressList.default([]),
    HTTP_HEADERS_TIMEOUT_SECONDS: integer(1, 3600).default(30),
    HTTP_REQUEST_TIMEOUT_SECONDS: integer(1, 24 * 3600).default(3600),
    HTTP_IDLE_TIMEOUT_SECONDS: integer(2, 3600).default(120),
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: integer(1, 1_000_000).default(500),
    ADMIN_USERNAME: z
      .string()
      .regex(/^[\w.-]{3,64}$/, 'must be 3–64 letters, digits, dots, dashes or underscores')
      .default('admin'),
    // The same policy as every other password, so the first admin is no weaker than the users it creates.
    ADMIN_PASSWORD: z
      .string()
      .superRefine((password, context) => {
        const problem = passwordProblem(password);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    ADMIN_PASSWORD_FILE: z.string().min(1).default('admin-password'),
    JWT_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .superRefine((secret, context) => {
        const weakness = secretWeakness(secret);
        if (weakness) context.addIssue({ code: 'custom', message: weakness });
      }),
    JWT_TTL_SECONDS: integer(60, 24 * 3600).default(15 * 60),
    REFRESH_TTL_SECONDS: integer(300, 90 * 24 * 3600).default(12 * 3600),
    // An operator console left open on an unattended desk signs out on its own.
    WEB_SESSION_IDLE_SECONDS: integer(300, 90 * 24 * 3600).default(2 * 3600),
    LOGIN_MAX_FAILURES_PER_USERNAME: integer(1, 1000).default(5),
    LOGIN_MAX_FAILURES_PER_ADDRESS: integer(1, 100_000).default(20),
    LOGIN_LOCKOUT_SECONDS: integer(1, 24 * 3600).default(30),
    LOGIN_LOCKOUT_MAX_SECONDS: integer(1, 7 * 24 * 3600).default(15 * 60),
    // The villagers' pages (no account, from a village's poster): requests a minute per address and per village,
    // orders and ratings an hour per address, and villagers' orders a county day per village.
    PUBLIC_REQUESTS_PER_ADDRESS_PER_MINUTE: integer(1, 1_000_000).default(60),
    PUBLIC_REQUESTS_PER_VILLAGE_PER_MINUTE: integer(1, 1_000_000).default(600),
    PUBLIC_WRITES_PER_ADDRESS_PER_HOUR: integer(1, 1_000_000).default(10),
    VILLAGER_ORDERS_PER_VILLAGE_PER_DAY: integer(0, 100_000).default(20),
    PASSWORD_HASH_CONCURRENCY: integer(1, 64).default(2),
    PASSWORD_HASH_QUEUE: integer(0, 10_000).default(8),
    // Set by src/threadpool.ts before the pool exists; read here to check the hashing leaves threads for files.
    UV_THREADPOOL_SIZE: integer(1, 1024).default(4),
    APP_ROLE: z.enum(APP_ROLES).default('all'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[\w-]+$/, 'must be letters, digits, dashes or underscores')
      .default('dalaba'),
    ...ENDPOINTS_ENVIRONMENT,
    REGION_IMPORT_MAX_BYTES: integer(1024, 512 * 1024 * 1024).default(50 * 1024 * 1024),
    QUEUE_LOCK_SECONDS: integer(2, 600).default(30),
    EMERGENCY_QUEUE_STALL_SECONDS: integer(1, 3600).default(30),
    ...MEDIA_ENVIRONMENT,
    LEDGER_ANCHOR_KEY_FILE: z.string().min(1).optional(),
    LEDGER_ANCHOR_DIR: z.string().min(1).optional(),
    // Live voice and stream relays go out through Icecast 2; without ICECAST_URL both are off.
    ICECAST_URL: url(['http:']).optional(),
    ICECAST_PUBLIC_URL: url(['http:', 'https:']).optional(),
    ICECAST_SOURCE_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    ICECAST_MOUNT_PREFIX: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/, 'must be 1–32 lower-case letters, digits or dashes')
      .default('dalaba'),
    ICECAST_START: flag.default(false),
    ICECAST_PATH: z.string().min(1).default('icecast2'),
    LIVE_MAX_SECONDS: integer(5, 6 * 3600).default(30 * 60),
    LIVE_GRACE_SECONDS: integer(2, 300).default(10),
    RELAY_FILLER_FILE: z.string().min(1).optional(),
    // Relay sources on private networks (a county intranet) are refused unless allowed: see docs/broadcasting.md.
    RELAY_ALLOW_PRIVATE: flag.default(false),
    RELAY_LEAD_SECONDS: integer(2, 600).default(15),
    ...EBD_ENVIRONMENT,
    ...OPERATIONS_ENVIRONMENT,
    ...NOTIFICATION_ENVIRONMENT,
  })
  .superRefine((e, context) => {
    for (const issue of mediaStorageIssues(e)) context.addIssue({ code: 'custom', ...issue });
    if (e.PASSWORD_HASH_CONCURRENCY > e.UV_THREADPOOL_SIZE - 2) {
      const message = `must leave at least two of the UV_THREADPOOL_SIZE (${e.UV_THREADPOOL_SIZE}) threads to file reads`;
      context.addIssue({ code: 'custom', path: ['PASSWORD_HASH_CONCURRENCY'], message });
    }
    if (e.LOGIN_LOCKOUT_MAX_SECONDS < e.LOGIN_LOCKOUT_SECONDS) {
      context.addIssue({
        code: 'custom',
        path: ['LOGIN_LOCKOUT_MAX_SECONDS'],
        message: 'must be at least LOGIN_LOCKOUT_SECONDS',
      });
    }
  })
  // An event stream is silent between heartbeats: the idle timeout must not cut it there.
  .refine((e) => e.HTTP_IDLE_TIMEOUT_SECONDS > e.DEVICE_EVENTS_HEARTBEAT_SECONDS, {
    path: ['HTTP_IDLE_TIMEOUT_SECONDS'],
    message: 'must be longer than DEVICE_EVENTS_HEARTBEAT_SECONDS',
  })
  .refine((e) => !e.ICECAST_URL || e.ICECAST_SOURCE_PASSWORD, {
    path: ['ICECAST_SOURCE_PASSWORD'],
    message: 'is required when ICECAST_URL is set',
  })
  .refine((e) => !e.ICECAST_START || e.ICECAST_URL, {
    path: ['ICECAST_URL'],
    message: 'is required when ICECAST_START is true (the address the started Icecast listens on)',
  })
  .refine((e) => e.METRICS_PORT === undefined || ![e.PORT, e.WORKER_HEALTH_PORT].includes(e.METRICS_PORT), {
    path: ['METRICS_PORT'],
    message: 'must differ from PORT and WORKER_HEALTH_PORT',
  })
  .refine((e) => e.HTTP_HEADERS_TIMEOUT_SECONDS <= e.HTTP_REQUEST_TIMEOUT_SECONDS, {
    path: ['HTTP_HEADERS_TIMEOUT_SECONDS'],
    message: 'must not be longer than HTTP_REQUEST_TIMEOUT_SECONDS',
  })
  // Beats wait in Redis up to a flush interval: as long as the online window, every beat would be written at once.
  .refine((e) => e.HEARTBEAT_FLUSH_SECONDS < e.ENDPOINT_ONLINE_SECONDS, {
    path: ['HEARTBEAT_FLUSH_SECONDS'],
    message: 'must be shorter than ENDPOINT_ONLINE_SECONDS',
  });

export interface AppConfig {
  role: AppRole;
  http: HttpConfig;
  /** True when NODE_ENV is production (the Docker image sets it). */
  production: boolean;
  databaseUrl: string;
  /** The owner's URL, used only to migrate and to grant DATABASE_URL's restricted role its rights. */
  migrationDatabaseUrl?: string;
  redisUrl: string;
  queuePrefix: string;
  /** MEDIA_DIR: the local driver's folder, and every driver's scratch space for inputs and work in progress. */
  mediaDir: string;
  logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  /** `passwordFile`: where a generated admin password is written (mode 0600). */
  admin: { username: string; password?: string; passwordFile: string };
  /** ttlSeconds: an access token's life; refreshTtlSeconds: a sign-in's, over which the console refreshes it. */
  jwt: { secret: string; ttlSeconds: number; refreshTtlSeconds: number };
  /** A browser's cookie session lives jwt.refreshTtlSeconds at most, and ends after idleSeconds without a request. */
  webSession: { idleSeconds: number };
  /** Failed sign-ins lock a username or an address (see src/auth/domain/sign-in-limits.ts). */
  signIn: { perUsername: SignInLimit; perAddress: SignInLimit };
  passwordHashing: { concurrency: number; queue: number };
  /** The public routes villagers call from a village's poster (src/villagers). */
  villagers: {
    perAddress: RateLimit;
    perVillage: RateLimit;
    writesPerAddress: RateLimit;
    ordersPerVillagePerDay: number;
  };
  endpoints: EndpointsConfig;
  regions: { importMaxBytes: number };
  /** emergencyStallSeconds: how long an alert job may wait untaken before health says the emergency queues are stuck. */
  queue: { lockSeconds: number; emergencyStallSeconds: number };
  media: MediaConfig;
  /** Ed25519 private key (PEM) that signs each day's ledger head, and where the daily anchors are written. */
  ledgerAnchors: { keyFile?: string; dir?: string };
  /** Null when ICECAST_URL is unset: live voice and relays are then refused (503). */
  icecast: IcecastConfig | null;
  /** Live voice: a session's longest length, and how long its audio may stop before it ends. */
  live: { maxSeconds: number; graceSeconds: number };
  /**
   * Relayed streams: what a stream falls back to when its source fails mid-way (an audio file; silence
   * without one), whether sources may be private addresses, and how long before its start the mount is fed.
   */
  relay: { fillerFile?: string; allowPrivate: boolean; leadSeconds: number };
  ebd: EbdConfig;
  notifications: NotificationConfig;
  operations: OperationsConfig;
}

export interface IcecastConfig {
  /** Where Dalaba connects as a source (and reads mount status). */
  url: string;
  /** Where devices listen: Icecast as they reach it (a public address, a CDN). */
  publicUrl: string;
  sourcePassword: string;
  mountPrefix: string;
  /** Whether this process starts Icecast itself (icecast2 at `path`) listening at `url`. */
  start: boolean;
  path: string;
}

export interface HttpConfig {
  host: string;
  port: number;
  /** Whether /docs and /docs-json are served. */
  docsPublic: boolean;
  /** Peers whose X-Forwarded-For/-Proto are believed: addresses and CIDR ranges. */
  trustedProxies: string[];
  /** How long a client may take to send its headers; then to send its whole request; and how long a socket may stay silent. */
  timeouts: { headersSeconds: number; requestSeconds: number; idleSeconds: number };
  /** Open connections one address may hold (trusted proxies excepted). */
  maxConnectionsPerAddress: number;
}

export interface SignInLimit {
  maxFailures: number;
  lockoutSeconds: number;
  maxLockoutSeconds: number;
}
/** At most `max` requests in each window of `windowSeconds` (src/infra/redis/rate-limiter.ts). */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export type { MediaConfig, MediaStorageConfig, QuotaLimits, S3Settings } from './media-config';

export class ConfigError extends Error {}

/** Reads the environment into a typed config, or throws naming every bad variable, one line each. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environment.safeParse(blankAsUnset);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, blankAsUnset));
  const e = parsed.data;
  return {
    role: e.APP_ROLE,
    http: {
      host: e.HOST,
      port: e.PORT,
      docsPublic: e.DOCS_PUBLIC ?? e.NODE_ENV !== 'production',
      trustedProxies: e.TRUSTED_PROXIES,
      timeouts: {
        headersSeconds: e.HTTP_HEADERS_TIMEOUT_SECONDS,
        requestSeconds: e.HTTP_REQUEST_TIMEOUT_SECONDS,
        idleSeconds: e.HTTP_IDLE_TIMEOUT_SECONDS,
      },
      maxConnectionsPerAddress: e.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
    },
    production: e.NODE_ENV === 'production',
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    mediaDir: e.MEDIA_DIR,
    logLevel: e.LOG_LEVEL,
    admin: { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD, passwordFile: e.ADMIN_PASSWORD_FILE },
    jwt: { secret: e.JWT_SECRET, ttlSeconds: e.JWT_TTL_SECONDS, refreshTtlSeconds: e.REFRESH_TTL_SECONDS },
    webSession: { idleSeconds: e.WEB_SESSION_IDLE_SECONDS },
    signIn: {
      perUsername: {
        maxFailures: e.LOGIN_MAX_FAILURES_PER_USERNAME,
        lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
        maxLockoutSeconds: e.LOGIN_LOCKOUT_MAX_SECONDS,
      },
      perAddress: {
        maxFailures: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
        lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
        maxLockoutSeconds: e.LOGIN_LOCKOUT_MAX_SECONDS,
      },
    },
    passwordHashing: { concurrency: e.PASSWORD_HASH_CONCURRENCY, queue: e.PASSWORD_HASH_QUEUE },
    villagers: {
      perAddress: { max: e.PUBLIC_REQUESTS_PER_ADDRESS_PER_MINUTE, windowSeconds: 60 },
      perVillage: { max: e.PUBLIC_REQUESTS_PER_VILLAGE_PER_MINUTE, windowSeconds: 60 },
      writesPerAddress: { max: e.PUBLIC_WRITES_PER_ADDRESS_PER_HOUR, windowSeconds: 3600 },
      ordersPerVillagePerDay: e.VILLAGER_ORDERS_PER_VILLAGE_PER_DAY,
    },
    endpoints: endpointsConfig(e),
    regions: { importMaxBytes: e.REGION_IMPORT_MAX_BYTES },
    queue: { lockSeconds: e.QUEUE_LOCK_SECONDS, emergencyStallSeconds: e.EMERGENCY_QUEUE_STALL_SECONDS },
    media: mediaConfig(e),
    ledgerAnchors: { keyFile: e.LEDGER_ANCHOR_KEY_FILE, dir: e.LEDGER_ANCHOR_DIR },
    icecast: e.ICECAST_URL
      ? {
          url: e.ICECAST_URL.replace(/\/+$/, ''),
          publicUrl: (e.ICECAST_PUBLIC_URL ?? e.ICECAST_URL).replace(/\/+$/, ''),
          sourcePassword: e.ICECAST_SOURCE_PASSWORD!,
          mountPrefix: e.ICECAST_MOUNT_PREFIX,
          start: e.ICECAST_START,
          path: e.ICECAST_PATH,
        }
      : null,
    live: { maxSeconds: e.LIVE_MAX_SECONDS, graceSeconds: e.LIVE_GRACE_SECONDS },
    relay: { fillerFile: e.RELAY_FILLER_FILE, allowPrivate: e.RELAY_ALLOW_PRIVATE, leadSeconds: e.RELAY_LEAD_SECONDS },
    ebd: ebdConfig(e),
    notifications: notificationConfig(e),
    operations: operationsConfig(e),
  };
}

/** One line per bad variable (its first issue), so a person fixes them all in one go. */
function describeIssues(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): string {
  const reasons = new Map<string, string>();
  for (const issue of issues) {
    const name = String(issue.path[0]);
    // A rule across variables (custom) names one that may be unset: its own message says why.
    if (!reasons.has(name))
      reasons.set(name, env[name] === undefined && issue.code !== 'custom' ? 'is required but not set' : issue.message);
  }
  return [...reasons].map(([name, reason]) => `Invalid configuration: ${name} ${reason}`).join('\n');
}
