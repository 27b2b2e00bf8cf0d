import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig, SignInLimit } from '../infra/config/config';
import { TooManyRequests } from '../infra/http/error-body';
import { RedisConnections } from '../infra/redis/redis-connections';
import { addressBucket, failureMemorySeconds, lockoutAfter } from './domain/sign-in-limits';
import { FailureCounts, LocalFailureCounts, RedisFailureCounts } from './failure-counts';

/** Who is trying to sign in: the username they name and the address they come from. */
export interface SignInAttempt {
  username: string;
  address: string;
}

/**
 * Slows password guessing down. Failed sign-ins are counted per username and
 * per address (IPv6: per /64); from a limit on, each failure locks that
 * username or address for twice as long as the last, and while locked every
 * attempt, even with the right password, gets 429 without its password being
 * checked, so a lock tells a guesser nothing. Successful sign-ins are never
 * counted, and one clears its username's failures.
 *
 * The counts live in Redis, shared by every API process. While Redis is
 * unreachable each process counts on its own: sign-in stays open (an
 * operator must still be able to sign in and send an alert, which works
 * without Redis) and guessing is still limited, per process.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('SignIn');
  private readonly shared: FailureCounts;
  private readonly local = new LocalFailureCounts();
  private warnedAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    connections: RedisConnections,
  ) {
    // Fails fast while Redis is away instead of holding the sign-in.
    this.shared = new RedisFailureCounts(connections.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0 }));
  }

  /**
   * Runs the sign-in unless the username or address is locked (429); counts it
   * if it fails with 401, or with `wrongPassword` for a check of the password
   * of someone already signed in (a stolen token must not guess the password).
   */
  async attempt<T>(
    attempt: SignInAttempt,
    signIn: () => Promise<T>,
    wrongPassword: new (...args: never[]) => Error = UnauthorizedException,
  ): Promise<T> {
    const username = `${this.config.queuePrefix}:sign-in:username:${createHash('sha256').update(attempt.username.toLowerCase()).digest('hex')}`;
    const address = `${this.config.queuePrefix}:sign-in:address:${addressBucket(attempt.address)}`;
    const lockedMs = await this.counts((counts) => counts.lockedForMs([username, address]));
    if (lockedMs > 0) {
      const seconds = Math.ceil(lockedMs / 1000);
      throw new TooManyRequests(
        `Too many failed sign-ins for this username or from this address; try again in ${seconds} s`,
        seconds,
      );
    }
    try {
      const result = await signIn();
      await this.counts((counts) => counts.forget(username));
      return result;
    } catch (error) {
      if (error instanceof wrongPassword) {
        await this.fail(
          username,
          this.config.signIn.perUsername,
          `username ${JSON.stringify(attempt.username.slice(0, 64))}`,
        );
        await this.fail(address, this.config.signIn.perAddress, `address ${attempt.address}`);
      }
      throw error;
    }
  }

  private async fail(key: string, limit: SignInLimit, what: string): Promise<void> {
    const failures = await this.counts((counts) => counts.fail(key, failureMemorySeconds(limit)));
    const seconds = lockoutAfter(failures, limit);
    if (seconds === 0) return;
    await this.counts((counts) => counts.lock(key, seconds));
    this.logger.warn(`sign-in locked for ${seconds} s: ${what} after ${failures} failures`);
  }

  private async counts<T>(use: (counts: FailureCounts) => Promise<T>): Promise<T> {
    try {
      return await use(this.shared);
    } catch {
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn('Redis is unreachable: failed sign-ins are counted by each process on its own');
      }
      return use(this.local);
    }
  }
}
