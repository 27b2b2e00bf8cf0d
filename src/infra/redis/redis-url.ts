import { Redis, type RedisOptions } from 'ioredis';

// REDIS_URL names one Redis (redis://, rediss://) or a master found through Redis Sentinel (docs/operations.md).
const SENTINEL_SCHEME = 'redis+sentinel://';
const SENTINEL_PORT = 26379;
const SENTINEL_SHAPE =
  'must look like redis+sentinel://[:password@]host:26379[,host:26379…]/master-name[?db=0], hosts separated by commas';
const SENTINEL_URL = /^redis\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#@]+)\/([\w.-]+)\/?(?:\?([^#]*))?$/;
const HOST_PORT = /^(\[[\da-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i;

export interface SentinelTarget {
  sentinels: Array<{ host: string; port: number }>;
  /** The master's name, as the Sentinels know it (`sentinel monitor <name> …`). */
  name: string;
  username?: string;
  /** The Redis servers' password; the Sentinels' own, if they have one, is the query's sentinelPassword. */
  password?: string;
  sentinelPassword?: string;
  db: number;
}

/** What a redis+sentinel:// URL says, or what is wrong with it. */
export function parseSentinelUrl(url: string): SentinelTarget | string {
  const match = SENTINEL_URL.exec(url);
  if (!match) return SENTINEL_SHAPE;
  const [, username, password, hosts, name, query] = match;
  const sentinels: SentinelTarget['sentinels'] = [];
  for (const entry of hosts.split(',')) {
    const hostPort = HOST_PORT.exec(entry.trim());
    const port = Number(hostPort?.[2] ?? SENTINEL_PORT);
    if (!hostPort || port < 1 || port > 65535) return `has a Sentinel address "${entry}" that is not host[:port]`;
    sentinels.push({ host: hostPort[1].replace(/^\[|\]$/g, ''), port });
  }
  const params = new URLSearchParams(query ?? '');
  const unknown = [...params.keys()].filter((key) => key !== 'db' && key !== 'sentinelPassword');
  if (unknown.length) return `has unknown parameters (${unknown.join(', ')}): only db and sentinelPassword are read`;
  const db = params.get('db') ?? '0';
  if (!/^\d{1,2}$/.test(db)) return 'has a db that is not a number';
  const decoded = (text?: string) => (text ? decodeURIComponent(text) : undefined);
  return {
    sentinels,
    name,
    username: decoded(username),
    password: decoded(password),
    sentinelPassword: params.get('sentinelPassword') ?? undefined,
    db: Number(db),
  };
}

/** Why REDIS_URL cannot be used, or undefined when it can. */
export function redisUrlProblem(url: string): string | undefined {
  if (url.startsWith(SENTINEL_SCHEME)) {
    const parsed = parseSentinelUrl(url);
    return typeof parsed === 'string' ? parsed : undefined;
  }
  try {
    if (['redis:', 'rediss:'].includes(new URL(url).protocol)) return undefined;
  } catch {
    // not a URL at all
  }
  return 'must be a URL starting with redis://, rediss:// or redis+sentinel://';
}

/** A client for REDIS_URL: the one Redis it names, or the master its Sentinels say, followed across failovers. */
export function createRedis(url: string, options: RedisOptions): Redis {
  if (!url.startsWith(SENTINEL_SCHEME)) return new Redis(url, options);
  const target = parseSentinelUrl(url);
  if (typeof target === 'string') throw new Error(`REDIS_URL ${target}`);
  const { sentinels, name, username, password, sentinelPassword, db } = target;
  return new Redis({ sentinels, name, username, password, sentinelPassword, db, ...options });
}

/** "Redis at 127.0.0.1:6379 (REDIS_URL)", or the master and its Sentinels: where, never the password. */
export function describeRedis(url: string): string {
  if (!url.startsWith(SENTINEL_SCHEME)) {
    const { hostname, port } = new URL(url);
    return `Redis at ${hostname}:${port || '6379'} (REDIS_URL)`;
  }
  const target = parseSentinelUrl(url);
  if (typeof target === 'string') return 'Redis (REDIS_URL)';
  const at = target.sentinels.map(({ host, port }) => `${host}:${port}`).join(', ');
  return `Redis master "${target.name}" through Sentinel at ${at} (REDIS_URL)`;
}
