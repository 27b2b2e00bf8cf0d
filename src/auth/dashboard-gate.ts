import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { sendError } from '../infra/http/http-error.filter';
import type { AppConfig } from '../infra/config/config';
import type { DashboardGate } from '../infra/queue/queue-dashboard';
import { QUEUE_DASHBOARD_PATH } from '../infra/queue/queue-dashboard';
import type { AuthService } from './auth.service';
import { can } from './domain/permissions';

const COOKIE = 'dalaba_queues';

function cookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function basicCredentials(header: string): { username: string; password: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The queue dashboard is for admins. A browser cannot send a bearer token,
 * so it signs in with HTTP Basic (the user's own name and password) and then
 * carries the issued token in an HttpOnly cookie scoped to the dashboard;
 * scripts may send the bearer token as on any other route.
 */
export function dashboardGate(auth: AuthService, config: AppConfig, logger: Logger): DashboardGate {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const header = request.headers.authorization ?? '';
      let token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? cookie(request.headers.cookie, COOKIE);
      const basic = token ? undefined : basicCredentials(header);
      if (basic) token = (await auth.login(basic.username, basic.password)).accessToken;
      if (!token) throw new UnauthorizedException('Sign in as an admin to see the queues');
      const user = await auth.authenticate(token);
      if (!can(user.role, 'queues.monitor')) throw new ForbiddenException(`The ${user.role} role may not see the queues`);
      if (basic) {
        reply.header(
          'set-cookie',
          `${COOKIE}=${token}; Path=${QUEUE_DASHBOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${config.jwt.ttlSeconds}`,
        );
      }
    } catch (error) {
      if (error instanceof UnauthorizedException) reply.header('www-authenticate', 'Basic realm="Dalaba queues", charset="UTF-8"');
      sendError(logger, error, request, reply);
      return reply;
    }
  };
}
