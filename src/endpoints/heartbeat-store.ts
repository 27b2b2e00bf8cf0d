import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { RedisConnections } from '../infra/redis/redis.module';
import { type BeatFields, FLUSHED_FIELDS } from './domain/heartbeat-report';

// A beat stays a while after its device stops: the next beat after that is written to Postgres at once anyway.
const BEAT_TTL_MS = 3600_000;

/** Stores the beat, marks the endpoint dirty and answers the beat it replaced, in one step. */
const SWAP = `
local previous = redis.call('HGETALL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return previous`;

/**
 * Takes the flush lock and moves the dirty set into the flushing set (merged
 * into what a flusher that died left there), so beats arriving meanwhile
 * start a new dirty set and none is lost. Answers how many are to flush, or
 * -1 when another process holds the lock.
 */
const CLAIM = `
if not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('SUNIONSTORE', KEYS[2], KEYS[2], KEYS[1])
    redis.call('DEL', KEYS[1])
  else
    redis.call('RENAME', KEYS[1], KEYS[2])
  end
end
return redis.call('SCARD', KEYS[2])`;

/** Renews the lock (ARGV[2] ms) or releases it (no ARGV[2]), if it is still ours. */
const LEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])`;

/**
 * The endpoints' latest heartbeats in Redis, between flushes to Postgres.
 * Its own connection fails fast: while Redis is away a heartbeat is written
 * to Postgres instead of waiting in a queue of commands. Every key shares one
 * hash tag, so the scripts also run on a Redis Cluster.
 */
@Injectable()
export class HeartbeatStore {
  private readonly logger = new Logger('HeartbeatStore');
  private readonly redis: Redis;
  private readonly prefix: string;
  /** Endpoints whose beats went to Postgres while Redis was away: their stored beat is stale. */
  private readonly stale = new Set<string>();

  constructor(@Inject(APP_CONFIG) config: AppConfig, connections: RedisConnections) {
    this.redis = connections.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.prefix = `${config.queuePrefix}:{heartbeat}`;
  }

  private beatKey = (endpointId: string) => `${this.prefix}:endpoint:${endpointId}`;
  private readonly dirtyKey = () => `${this.prefix}:dirty`;
  private readonly flushingKey = () => `${this.prefix}:flushing`;
  private readonly lockKey = () => `${this.prefix}:flush-lock`;

  /** Stores a beat; answers the previous one (null: none, e.g. the first beat or Redis lost it). */
  async swap(endpointId: string, beat: BeatFields): Promise<Partial<BeatFields> | null> {
    if (this.stale.size) await this.forgetStale();
    const flat = (await this.redis.eval(
      SWAP,
      2,
      this.beatKey(endpointId),
      this.dirtyKey(),
      BEAT_TTL_MS,
      endpointId,
      ...Object.entries(beat).flat(),
    )) as string[];
    if (!flat.length) return null;
    const previous: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) previous[flat[i]] = flat[i + 1];
    return previous;
  }

  /** Forgets an endpoint's stored beat (its next is written at once), now or, if Redis is away, when it is back. */
  async forget(endpointId: string): Promise<void> {
    this.stale.add(endpointId);
    await this.forgetStale().catch((error: Error) => this.logger.warn(`forgetting a beat: ${error.message}`));
  }

  /** A beat written to Postgres while Redis was away: the beat Redis holds is older, so compare with none next time. */
  wroteAround(endpointId: string): void {
    // Bounded: a long outage of a province's Redis must not grow this without end; past it, entries expire anyway.
    if (this.stale.size < 200_000) this.stale.add(endpointId);
  }

  private async forgetStale(): Promise<void> {
    const ids = [...this.stale];
    await this.redis.del(...ids.map(this.beatKey));
    for (const id of ids) this.stale.delete(id);
  }

  /** The flush lock and the endpoints to flush (null: another process is flushing). */
  async claim(token: string, leaseMs: number): Promise<number | null> {
    const keys = [this.dirtyKey(), this.flushingKey(), this.lockKey()];
    const count = (await this.redis.eval(CLAIM, 3, ...keys, token, leaseMs)) as number;
    return count < 0 ? null : count;
  }

  /** What these endpoints' latest beats say of the fields the flush writes (an endpoint Redis does not know: none). */
  async latest(endpointIds: string[]): Promise<Array<Partial<BeatFields>>> {
    if (!endpointIds.length) return [];
    const pipeline = this.redis.pipeline();
    for (const id of endpointIds) pipeline.hmget(this.beatKey(id), ...FLUSHED_FIELDS);
    return (await pipeline.exec())!.map(([error, reply]) => {
      if (error) throw error;
      const values = reply as Array<string | null>;
      return Object.fromEntries(FLUSHED_FIELDS.flatMap((field, j) => (values[j] ? [[field, values[j]]] : [])));
    });
  }

  /** Up to `count` endpoints still to flush, with their stored beats (an entry that expired comes with none). */
  async nextBatch(count: number): Promise<Array<{ endpointId: string; beat: Partial<BeatFields> }>> {
    const ids = await this.redis.srandmember(this.flushingKey(), count);
    const beats = await this.latest(ids);
    return ids.map((endpointId, i) => ({ endpointId, beat: beats[i] }));
  }

  /** These are in Postgres now; a beat of theirs that came meanwhile is in the dirty set, for the next flush. */
  async flushed(endpointIds: string[], token: string, leaseMs: number): Promise<void> {
    await this.redis.srem(this.flushingKey(), ...endpointIds);
    await this.redis.eval(LEASE, 1, this.lockKey(), token, leaseMs);
  }

  async release(token: string): Promise<void> {
    await this.redis.eval(LEASE, 1, this.lockKey(), token);
  }
}
