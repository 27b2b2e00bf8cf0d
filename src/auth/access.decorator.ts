import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Permission, Role } from './domain/permissions';

/**
 * Where a route names the region it acts on: the request part and key, and
 * whether the value is a region code or the id of something inside a region
 * (resolved through the entity's registered scope resolver).
 */
export interface ScopeSource {
  in: 'param' | 'query' | 'body';
  key: string;
  entity: 'region' | EntityKind;
}

/** Things that live inside a region; features register how to find their region. */
export type EntityKind =
  | 'endpoint'
  | 'endpoint-command'
  | 'media'
  | 'programme'
  | 'broadcast'
  | 'emergency'
  | 'lecture-session'
  | 'order'
  | 'user'
  | 'redemption-item'
  | 'live-session';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'device' }
  | { kind: 'user'; permission: Permission; scope: ScopeSource[] }
  /** A volunteer's card (their phone's cookie); `optional`: a public route that also reads the card when a valid one comes. */
  | { kind: 'volunteer'; optional: boolean };

export const ACCESS_RULE = Symbol('access-rule');

/** Every route declares who may call it; the guard refuses a route that does not. */
export const Access = {
  public: () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule),
  device: () =>
    applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'device' } satisfies AccessRule), ApiBearerAuth('device')),
  user: (permission: Permission, ...scope: ScopeSource[]) =>
    applyDecorators(
      SetMetadata(ACCESS_RULE, { kind: 'user', permission, scope } satisfies AccessRule),
      ApiBearerAuth('user'),
      ApiCookieAuth('session'),
    ),
  volunteer: () =>
    applyDecorators(
      SetMetadata(ACCESS_RULE, { kind: 'volunteer', optional: false } satisfies AccessRule),
      ApiCookieAuth('volunteer'),
    ),
  /** Anyone; a volunteer's card, when one comes and is valid, is read too (`CurrentVolunteer({ optional: true })`). */
  publicOrVolunteer: () =>
    applyDecorators(
      SetMetadata(ACCESS_RULE, { kind: 'volunteer', optional: true } satisfies AccessRule),
      ApiCookieAuth('volunteer'),
    ),
};

export const regionIn = (part: ScopeSource['in'], key: string): ScopeSource => ({ in: part, key, entity: 'region' });
export const entityIn = (part: ScopeSource['in'], key: string, entity: EntityKind): ScopeSource => ({
  in: part,
  key,
  entity,
});

export interface UserPrincipal {
  type: 'user';
  id: string;
  username: string;
  role: Role;
  scopeCode: string | null;
}

export interface DevicePrincipal {
  type: 'device';
  endpointId: string;
  regionCode: string;
  /** The digest of the token it presented: a revocation or a new enrollment ends what an older token opened. */
  tokenHash: string;
}

/** A volunteer whose card (the dalaba_volunteer cookie on their phone) is live. */
export interface VolunteerPrincipal {
  type: 'volunteer';
  id: string;
  name: string;
  /** Their village. */
  regionCode: string;
  countyCode: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: UserPrincipal | DevicePrincipal | VolunteerPrincipal;
  }
}

const principal = (type: 'user' | 'device' | 'volunteer', optional = false) =>
  createParamDecorator((_: unknown, context: ExecutionContext) => {
    const found = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (found?.type === type) return found;
    if (optional && found === undefined) return null;
    throw new Error(`route reads a ${type} principal but its access rule does not authenticate one`);
  })();

/** The signed-in user (only on `Access.user` routes). */
export const CurrentUser = () => principal('user');
/** The calling device (only on `Access.device` routes). */
export const CurrentDevice = () => principal('device');
/** The volunteer whose card came (on `Access.volunteer` routes; null on `Access.publicOrVolunteer` ones without a valid card). */
export const CurrentVolunteer = (options: { optional?: boolean } = {}) => principal('volunteer', options.optional);
