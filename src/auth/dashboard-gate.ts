import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { readCookie, sessionCookie } from '../infra/http/cookies';
import { sendError } from '../infra/http/http-error.filter';
import type { AppConfig } from '../infra/config/config';
import type { DashboardGate } from '../infra/queue/queue-dashboard';
import { QUEUE_DASHBOARD_PATH } from '../infra/queue/queue-dashboard';
import type { AuthService } from './auth.service';
import type { DashboardSessions, DashboardUser } from './dashboard-sessions';
import type { LoginThrottle } from './login-throttle';
import { can } from './domain/permissions';

const COOKIE = 'dalaba_queues';

function basicCredentials(header: string): { username: string; password: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** What the dashboard needs to sign someone in. */
export interface DashboardSignIn {
  auth: AuthService;
  throttle: LoginThrottle;
  sessions: DashboardSessions;
}

/**
 * The queue dashboard shows and controls every county's jobs (pausing the
 * emergency queue included), so it is for installation-wide admins only. A
 * browser cannot send a bearer token, so it signs in with HTTP Basic (the
 * user's own name and password) and then carries a dashboard session in an
 * HttpOnly cookie scoped to the dashboard (never an API token); scripts may
 * send the bearer token as on any other route.
 */
export function dashboardGate(
  { auth, throttle, sessions }: DashboardSignIn,
  config: AppConfig,
  logger: Logger,
): DashboardGate {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const header = request.headers.authorization ?? '';
      const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const session = readCookie(request.headers.cookie, COOKIE);
      let user: DashboardUser | null = null;
      if (bearer) user = await auth.authenticate(bearer);
      else if (session) user = await sessions.user(session);
      // A browser keeps sending the Basic credentials it was asked for, so an expired session signs in again by itself.
      const basic = user || bearer ? undefined : basicCredentials(header);
      if (basic) {
        user = await throttle.attempt({ username: basic.username, address: request.ip }, () =>
          auth.checkCredentials(basic.username, basic.password),
        );
      }
      if (!user) throw new UnauthorizedException('Sign in as an admin to see the queues');
      if (!can(user.role, 'queues.monitor'))
        throw new ForbiddenException(`The ${user.role} role may not see the queues`);
      if (user.scopeCode !== null) {
        throw new ForbiddenException(
          `The queues hold every county's jobs: only an admin without a scope may see them (yours is ${user.scopeCode})`,
        );
      }
      if (basic)
        reply.header(
          'set-cookie',
          sessionCookie(COOKIE, await sessions.open(user.id), {
            path: QUEUE_DASHBOARD_PATH,
            secure: request.protocol === 'https',
            maxAgeSeconds: config.jwt.ttlSeconds,
          }),
        );
    } catch (error) {
      if (error instanceof UnauthorizedException)
        reply.header('www-authenticate', 'Basic realm="Dalaba queues", charset="UTF-8"');
      sendError(logger, error, request, reply);
      return reply;
    }
  };
}
