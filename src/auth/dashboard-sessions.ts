import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { RedisConnections } from '../infra/redis/redis-connections';
import { Accounts } from './accounts';
import type { Role } from './domain/permissions';

export interface DashboardUser {
  id: string;
  role: Role;
  scopeCode: string | null;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * Sessions of the queue dashboard's cookie. The cookie holds a random id that
 * means something only here, not an API token: a stolen cookie cannot call the
 * API. Redis keeps the id's digest with the user, a fingerprint of their
 * password hash and their token version, so whatever ends the user's API
 * tokens (a disable, even if re-enabled later, a password, role or scope
 * change, a stolen refresh token) ends the session too; role and scope are
 * read fresh on every request.
 */
@Injectable()
export class DashboardSessions {
  // Fails fast while Redis is away instead of holding the request.
  private readonly redis: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    connections: RedisConnections,
    private readonly users: Accounts,
  ) {
    this.redis = connections.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  }

  /** A new session for the user, as the cookie value. */
  async open(userId: string): Promise<string> {
    const user = await this.users.byId(userId);
    if (!user) throw new Error(`no user ${userId}`);
    const id = randomBytes(32).toString('base64url');
    const value = JSON.stringify({ userId, credential: digest(user.passwordHash), tokenVersion: user.tokenVersion });
    await this.reachRedis(() => this.redis.set(this.key(id), value, 'EX', this.config.jwt.ttlSeconds));
    return id;
  }

  /** The user a cookie value signs in, or null if it is no live session. */
  async user(id: string): Promise<DashboardUser | null> {
    const stored = await this.reachRedis(() => this.redis.get(this.key(id)));
    if (!stored) return null;
    const { userId, credential, tokenVersion } = JSON.parse(stored) as {
      userId: string;
      credential: string;
      tokenVersion: number;
    };
    const user = await this.users.byId(userId);
    if (!user || user.disabledAt || digest(user.passwordHash) !== credential || user.tokenVersion !== tokenVersion)
      return null;
    return { id: user.id, role: user.role, scopeCode: user.scopeCode };
  }

  private key(id: string): string {
    return `${this.config.queuePrefix}:dashboard-session:${digest(id)}`;
  }

  private async reachRedis<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch {
      throw new ServiceUnavailableException('The queue dashboard needs Redis, which is unavailable');
    }
  }
}
