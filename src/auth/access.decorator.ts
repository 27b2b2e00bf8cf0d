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
  | 'media'
  | 'programme'
  | 'broadcast'
  | 'emergency'
  | 'lecture-session'
  | 'order'
  | 'user'
  | 'redemption-item';

export type AccessRule =
  { kind: 'public' } | { kind: 'device' } | { kind: 'user'; permission: Permission; scope: ScopeSource[] };

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

declare module 'fastify' {
  interface FastifyRequest {
    principal?: UserPrincipal | DevicePrincipal;
  }
}

const principal = (type: 'user' | 'device') =>
  createParamDecorator((_: unknown, context: ExecutionContext) => {
    const found = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (found?.type !== type)
      throw new Error(`route reads a ${type} principal but its access rule does not authenticate one`);
    return found;
  })();

/** The signed-in user (only on `Access.user` routes). */
export const CurrentUser = () => principal('user');
/** The calling device (only on `Access.device` routes). */
export const CurrentDevice = () => principal('device');
