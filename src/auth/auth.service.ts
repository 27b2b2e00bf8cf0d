import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { UserPrincipal } from './access.decorator';
import { Account, Accounts, principalOf } from './accounts';
import { AuthSessionsRepository, stillLive } from './auth-sessions.repository';
import type { LoginResult } from './auth.dto';
import { digestSecret, newSecret, parseRefreshToken, refreshToken } from './domain/refresh-token';

/** What an access token says: who, and under which of their token versions it was issued. */
interface AccessClaims {
  sub: string;
  ver: number;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly users: Accounts,
    private readonly sessions: AuthSessionsRepository,
  ) {}

  async login(username: string, password: string): Promise<LoginResult> {
    return this.signIn(await this.checkCredentials(username, password));
  }

  /** The enabled user these credentials are of, without opening a sign-in (the queue dashboard keeps its own sessions). */
  async checkCredentials(username: string, password: string): Promise<Account> {
    const user = await this.users.byUsername(username);
    const valid = await this.users.passwordMatches(user?.passwordHash ?? null, password);
    // One answer for an unknown user and a wrong password, so usernames cannot be probed.
    if (!user || !valid || user.disabledAt) throw new UnauthorizedException('Wrong username or password');
    return user;
  }

  /**
   * A new access token for the sign-in the refresh token belongs to, and the
   * refresh token that replaces it. A refresh token of the sign-in other than
   * its newest was copied: whoever holds the newest may be the thief, so every
   * token of the user ends.
   */
  async refresh(token: string): Promise<LoginResult> {
    const presented = parseRefreshToken(token);
    const session = presented && (await this.sessions.find(presented.sessionId));
    // A browser's session cookie is no refresh token: it never becomes a bearer token.
    if (!session || session.kind !== 'token' || !stillLive(session, new Date())) {
      throw new UnauthorizedException('Refresh token is invalid, expired or revoked; sign in again');
    }
    const presentedHash = digestSecret(presented.secret);
    const next = newSecret();
    if (presentedHash !== session.secretHash || !(await this.sessions.rotate(session.id, presentedHash, next.digest))) {
      await this.users.revokeTokens(session.userId);
      throw new UnauthorizedException(
        'This refresh token was used before: every session of the account is signed out; sign in again',
      );
    }
    return this.tokens(session.user, refreshToken(session.id, next.secret), session.expiresAt);
  }

  /** Ends the sign-in the refresh token belongs to; a token that is not its newest ends nothing. */
  async logout(token: string): Promise<void> {
    const presented = parseRefreshToken(token);
    const session = presented && (await this.sessions.find(presented.sessionId));
    if (session && session.secretHash === digestSecret(presented.secret)) await this.sessions.revoke(session.id);
  }

  /**
   * The token proves who is calling; role, scope and token version are read
   * fresh from the database, so a disabled account, a changed role, scope or
   * password ends every token at once, in every process.
   */
  async authenticate(token: string): Promise<UserPrincipal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token);
    } catch {
      throw new UnauthorizedException('Access token is invalid or expired');
    }
    const user = await this.users.byId(claims.sub);
    if (!user || user.disabledAt || user.tokenVersion !== claims.ver)
      throw new UnauthorizedException('Access token is invalid or expired');
    return principalOf(user);
  }

  private async signIn(user: Account): Promise<LoginResult> {
    const { secret, digest } = newSecret();
    const expiresAt = new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000);
    const session = await this.sessions.open({
      userId: user.id,
      kind: 'token',
      tokenVersion: user.tokenVersion,
      secretHash: digest,
      expiresAt,
    });
    return this.tokens(user, refreshToken(session.id, secret), expiresAt);
  }

  private async tokens(
    user: Pick<Account, 'id' | 'tokenVersion'>,
    refresh: string,
    sessionEnds: Date,
  ): Promise<LoginResult> {
    const claims: AccessClaims = { sub: user.id, ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.jwt.ttlSeconds });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwt.ttlSeconds,
      refreshToken: refresh,
      refreshExpiresIn: Math.max(0, Math.round((sessionEnds.getTime() - Date.now()) / 1000)),
    };
  }
}
