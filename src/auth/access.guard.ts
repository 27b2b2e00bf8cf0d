import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  ACCESS_RULE,
  AccessRule,
  DevicePrincipal,
  ScopeSource,
  UserPrincipal,
  VolunteerPrincipal,
} from './access.decorator';
import { AccessRegistry } from './access.registry';
import { AuthService } from './auth.service';
import { can } from './domain/permissions';
import { VolunteerCards } from './volunteer-cards';
import { WebSessions } from './web-sessions';
import { covers, REGION_CODE_PATTERN } from '../kernel/region';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one gate in front of every route: who is calling (a user's JWT or
 * browser session cookie, a device token, or a volunteer's card), whether their role has the
 * route's permission, and whether every region the request names lies inside
 * their scope.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly registry: AccessRegistry,
    private readonly web: WebSessions,
    private readonly cards: VolunteerCards,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    // A route that forgot to say who may call it is closed, not open.
    if (!rule) throw new ForbiddenException('This route has no access rule');
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (rule.kind === 'device') {
      request.principal = await callingDevice(this.registry, request.headers.authorization);
      return true;
    }
    if (rule.kind === 'volunteer') {
      const volunteer = await this.callingVolunteer(request, rule.optional);
      if (volunteer) request.principal = volunteer;
      return true;
    }

    const user = await this.callingUser(request);
    request.principal = user;
    if (!can(user.role, rule.permission)) {
      throw new ForbiddenException(`The ${user.role} role may not do this (needs ${rule.permission})`);
    }
    for (const source of rule.scope) await this.checkScope(user, source, request);
    return true;
  }

  /**
   * The user a bearer token or, without an Authorization header, the browser's
   * session cookie signs in. The cookie is sent by the browser on its own, so a
   * request it carries that changes something must also prove it comes from
   * the console's page (the CSRF token); a bearer token is never ambient.
   */
  private async callingUser(request: FastifyRequest): Promise<UserPrincipal> {
    if (request.headers.authorization !== undefined || !this.web.carriesCookie(request))
      return this.auth.authenticate(bearerToken(request.headers.authorization));
    const session = await this.web.of(request);
    if (!session)
      throw new UnauthorizedException('Your session has ended (signed out, expired or idle); sign in again');
    this.web.refuseForgery(request, session);
    return session.user;
  }

  /**
   * The volunteer whose card the request carries: 401 without a live one
   * (unless the route is public and only reads it), 403 for a change its
   * page did not send (the card cookie rides along on its own: CSRF).
   */
  private async callingVolunteer(request: FastifyRequest, optional: boolean): Promise<VolunteerPrincipal | null> {
    const volunteer = await this.cards.of(request);
    if (!volunteer) {
      if (optional) return null;
      throw new UnauthorizedException(
        this.cards.carries(request)
          ? 'This volunteer card is no longer valid (signed out, or issued again to another phone): register again from your village’s poster'
          : 'No volunteer card on this phone: register from your village’s poster first',
      );
    }
    this.cards.refuseForgery(request);
    return volunteer;
  }

  private async checkScope(user: UserPrincipal, source: ScopeSource, request: FastifyRequest): Promise<void> {
    const container = (
      source.in === 'param' ? request.params : source.in === 'query' ? request.query : request.body
    ) as Record<string, unknown> | undefined;
    const raw = container?.[source.key];
    // Malformed values are left to the route's validation, which answers 400.
    const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
    for (const value of values) {
      let regionCode = value;
      if (source.entity !== 'region') {
        if (!UUID.test(value)) continue;
        const found = await this.registry.entityRegion(source.entity, value);
        if (!found) throw new NotFoundException(`${source.entity} ${value} not found`);
        if (found.regionCode === null) {
          // Belongs to the whole installation: only an unscoped user reaches it.
          if (user.scopeCode !== null)
            throw new ForbiddenException(`This ${source.entity} is outside your scope (${user.scopeCode})`);
          continue;
        }
        regionCode = found.regionCode;
      } else if (!REGION_CODE_PATTERN.test(value)) {
        continue;
      }
      const region = await this.registry.region(regionCode);
      if (!region) throw new NotFoundException(`Region ${regionCode} not found`);
      if (!covers(user.scopeCode, region)) {
        throw new ForbiddenException(`Region ${regionCode} is outside your scope (${user.scopeCode})`);
      }
    }
  }
}

/** The device whose token the request carries (synchronously when the token is known); 401 when it has none or the token is not live. */
export function callingDevice(
  registry: AccessRegistry,
  authorization: string | undefined,
): DevicePrincipal | Promise<DevicePrincipal> {
  const found = registry.device(bearerToken(authorization));
  return found instanceof Promise ? found.then(liveDevice) : liveDevice(found);
}

function liveDevice(device: DevicePrincipal | null): DevicePrincipal {
  if (!device) throw new UnauthorizedException('Device token is invalid or revoked');
  return device;
}

/** The token of `Authorization: Bearer <token>`; without one, 401. */
function bearerToken(authorization: string | undefined): string {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match) throw new UnauthorizedException('Missing bearer token (Authorization: Bearer <token>)');
  return match[1];
}
