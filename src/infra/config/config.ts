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
  endpoints: { enrollmentCodeTtlHours: number; onlineSeconds: number };
  regions: { importMaxBytes: number };
}

export class ConfigError extends Error {}

/** Reads the environment into a typed config, or throws one line naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environment.safeParse(blankAsUnset);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    const reason = blankAsUnset[name] === undefined ? 'is required but not set' : issue.message;
    throw new ConfigError(`Invalid configuration: ${name} ${reason}`);
  }
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
    endpoints: { enrollmentCodeTtlHours: e.ENROLLMENT_CODE_TTL_HOURS, onlineSeconds: e.ENDPOINT_ONLINE_SECONDS },
    regions: { importMaxBytes: e.REGION_IMPORT_MAX_BYTES },
  };
}
