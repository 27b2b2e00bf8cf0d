import type { Redis } from 'ioredis';

/** Failed sign-ins per key, and the locks they earn. */
export interface FailureCounts {
  /** Milliseconds until the last of these keys' locks ends (0: none is locked). */
  lockedForMs(keys: string[]): Promise<number>;
  /** Counts one more failure, remembered for `memorySeconds` after it; the count. */
  fail(key: string, memorySeconds: number): Promise<number>;
  /** Locks the key for `seconds`, unless it is locked longer already. */
  lock(key: string, seconds: number): Promise<void>;
  forget(key: string): Promise<void>;
}

/** In Redis, so every API process counts the same failures. */
export class RedisFailureCounts implements FailureCounts {
  constructor(private readonly redis: Redis) {}

  async lockedForMs(keys: string[]): Promise<number> {
    const ttls = await Promise.all(keys.map((key) => this.redis.pttl(`${key}:locked`)));
    return Math.max(0, ...ttls);
  }

  async fail(key: string, memorySeconds: number): Promise<number> {
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, memorySeconds).exec()) as [
      [null, number],
      unknown,
    ];
    return count;
  }

  async lock(key: string, seconds: number): Promise<void> {
    await this.redis
      .multi()
      .set(`${key}:locked`, '1', 'EX', seconds, 'NX')
      .expire(`${key}:locked`, seconds, 'GT')
      .exec();
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(key);
  }
}

/** In this process only: what is left while Redis is unreachable. */
export class LocalFailureCounts implements FailureCounts {
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly locks = new Map<string, number>();

  async lockedForMs(keys: string[]): Promise<number> {
    return Math.max(0, ...keys.map((key) => (this.locks.get(key) ?? 0) - Date.now()));
  }

  async fail(key: string, memorySeconds: number): Promise<number> {
    this.forgetExpired();
    const live = this.failures.get(key);
    const count = live && live.until > Date.now() ? live.count + 1 : 1;
    this.failures.set(key, { count, until: Date.now() + memorySeconds * 1000 });
    return count;
  }

  async lock(key: string, seconds: number): Promise<void> {
    this.locks.set(key, Math.max(this.locks.get(key) ?? 0, Date.now() + seconds * 1000));
  }

  async forget(key: string): Promise<void> {
    this.failures.delete(key);
  }

  // A flood of made-up usernames must not grow memory without end.
  private forgetExpired(): void {
    if (this.failures.size < 10_000) return;
    const now = Date.now();
    for (const [key, { until }] of this.failures) if (until <= now) this.failures.delete(key);
    for (const [key, until] of this.locks) if (until <= now) this.locks.delete(key);
  }
}
