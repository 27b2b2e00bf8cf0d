import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { readCookie, sessionCookie } from '../infra/http/cookies';
import type { UserPrincipal } from './access.decorator';
import { type Account, principalOf } from './accounts';
import { AuthSessionsRepository, stillLive } from './auth-sessions.repository';
import { digestSecret, newSecret, parseRefreshToken, refreshToken } from './domain/refresh-token';
import { csrfTokenOf, idleTooLong, sameToken, SEEN_EVERY_MS } from './domain/web-session';

export const SESSION_COOKIE = 'dalaba_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface WebSession {
  id: string;
  user: UserPrincipal;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * A person's sign-in in a browser: an HttpOnly cookie the page cannot read,
 * kept in Postgres with the API's sign-ins (so it works in every API process
 * and survives Redis), and ended by whatever ends the account's tokens.
 */
@Injectable()
export class WebSessions {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: AuthSessionsRepository,
  ) {}

  /** A new session for a user whose password was checked, and the cookie value that carries it. */
  async open(user: Account): Promise<{ session: WebSession; cookie: string }> {
    const { secret, digest } = newSecret();
    const expiresAt = new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000);
    const { id } = await this.sessions.open({
      userId: user.id,
      kind: 'cookie',
      tokenVersion: user.tokenVersion,
      secretHash: digest,
      expiresAt,
    });
    return {
      session: { id, user: principalOf(user), csrfToken: csrfTokenOf(secret), expiresAt },
      cookie: refreshToken(id, secret),
    };
  }

  /** Whether the request carries a session cookie at all (live or not). */
  carriesCookie(request: FastifyRequest): boolean {
    return readCookie(request.headers.cookie, SESSION_COOKIE) !== undefined;
  }

  /** The live session the request's cookie names, or null; the request keeps it from going idle. */
  async of(request: FastifyRequest): Promise<WebSession | null> {
    const presented = parseRefreshToken(readCookie(request.headers.cookie, SESSION_COOKIE) ?? '');
    const session = presented && (await this.sessions.find(presented.sessionId));
    const now = new Date();
    if (!session || session.kind !== 'cookie' || !stillLive(session, now)) return null;
    if (!sameToken(digestSecret(presented.secret), session.secretHash)) return null;
    const lastSeen = session.lastSeenAt ?? session.createdAt;
    if (idleTooLong(lastSeen, now, this.config.webSession.idleSeconds)) return null;
    if (now.getTime() - lastSeen.getTime() >= SEEN_EVERY_MS) await this.sessions.seen(session.id, now);
    return {
      id: session.id,
      user: principalOf(session.user),
      csrfToken: csrfTokenOf(presented.secret),
      expiresAt: session.expiresAt,
    };
  }

  async end(session: WebSession): Promise<void> {
    await this.sessions.revoke(session.id);
  }

  /** The Set-Cookie value that carries a newly opened session, for as long as it can live. */
  cookieCarrying(request: FastifyRequest, value: string): string {
    return this.cookie(request, value, this.config.jwt.refreshTtlSeconds);
  }

  /** The Set-Cookie value that makes the browser forget the session. */
  clearingCookie(request: FastifyRequest): string {
    return this.cookie(request, '', 0);
  }

  private cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
    return sessionCookie(SESSION_COOKIE, value, { path: '/', secure: request.protocol === 'https', maxAgeSeconds });
  }

  /**
   * Refuses (403) a state-changing request carried by the cookie that does not
   * send the session's CSRF token, or that another site's page sent.
   */
  refuseForgery(request: FastifyRequest, session: WebSession): void {
    if (SAFE_METHODS.has(request.method)) return;
    refuseForeignOrigin(request);
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
      throw new ForbiddenException(
        `This request lacks the session's ${CSRF_HEADER} header or sends a stale one: reload the page and sign in again`,
      );
    }
  }
}

/**
 * Refuses (403) a request a browser says came from a page of another origin.
 * Behind a proxy, the request's own origin is what the trusted proxy forwards
 * (X-Forwarded-Proto and Host), so a proxy that is not trusted makes every
 * console change look foreign.
 */
export function refuseForeignOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined || origin === `${request.protocol}://${request.host}`) return;
  throw new ForbiddenException(
    `This request came from a page of another origin (${origin.slice(0, 200)}), not this console: ` +
      'open the console at its own address, reload the page and sign in again',
  );
}
