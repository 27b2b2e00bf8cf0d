import type { AppConfig } from '../config/config';
import { TooManyRequests } from '../http/error-body';
import { RateLimiter } from './rate-limiter';
import type { RedisConnections } from './redis-connections';

// Redis away: every command fails at once, as with enableOfflineQueue off.
const unreachable = {
  connect: () => ({
    multi() {
      const chain = {
        incr: () => chain,
        expire: () => chain,
        pttl: () => chain,
        exec: () => Promise.reject(new Error('Connection is closed.')),
      };
      return chain;
    },
  }),
} as unknown as RedisConnections;

describe('the rate limiter while Redis is away', () => {
  const limiter = new RateLimiter({ queuePrefix: 'test' } as AppConfig, unreachable);
  const limit = { max: 2, windowSeconds: 60 };

  it('still limits, per process: the hit past the limit is a 429 that says how long to wait', async () => {
    await limiter.admit('address:a', limit, 'Too many');
    await limiter.admit('address:a', limit, 'Too many');
    const refused = await limiter.admit('address:a', limit, 'Too many').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).retryAfterSeconds).toBeGreaterThan(0);
    expect((refused as TooManyRequests).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((refused as TooManyRequests).message).toMatch(/^Too many; try again in \d+ s$/);
  });

  it('counts each key on its own', async () => {
    await expect(limiter.admit('address:b', limit, 'Too many')).resolves.toBeUndefined();
  });
});
