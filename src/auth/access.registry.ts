import { Injectable, NotFoundException } from '@nestjs/common';
import { badRequest } from '../infra/http/error-body';
import { covers, RegionPath } from '../kernel/region';
import type { DevicePrincipal, EntityKind, VolunteerPrincipal } from './access.decorator';

/** Where an entity lives: null when there is no such entity, `regionCode: null` when it belongs to the whole installation. */
export type EntityRegionResolver = (id: string) => Promise<{ regionCode: string | null } | null>;
export type RegionLookup = (code: string) => Promise<RegionPath | null>;
/** Synchronous when the token is already known, so the hottest device route need not wait. */
export type DeviceAuthenticator = (token: string) => DevicePrincipal | null | Promise<DevicePrincipal | null>;
/** The volunteer whose live card has this SHA-256 digest, or null. */
export type VolunteerCardLookup = (cardDigest: string) => Promise<VolunteerPrincipal | null>;

/**
 * How the access guard learns what feature modules know: where an entity
 * lives, which device a token belongs to and whose card a volunteer carries. Features register at start-up,
 * so the guard depends on no feature module.
 */
@Injectable()
export class AccessRegistry {
  private readonly entities = new Map<EntityKind, EntityRegionResolver>();
  private regionLookup?: RegionLookup;
  private deviceAuthenticator?: DeviceAuthenticator;
  private volunteerCards?: VolunteerCardLookup;

  registerEntity(kind: EntityKind, resolver: EntityRegionResolver): void {
    this.entities.set(kind, resolver);
  }
  registerRegionLookup(lookup: RegionLookup): void {
    this.regionLookup = lookup;
  }
  registerDeviceAuthenticator(authenticator: DeviceAuthenticator): void {
    this.deviceAuthenticator = authenticator;
  }
  registerVolunteerCards(lookup: VolunteerCardLookup): void {
    this.volunteerCards = lookup;
  }

  entityRegion(kind: EntityKind, id: string): Promise<{ regionCode: string | null } | null> {
    return this.required(this.entities.get(kind), `scope resolver for ${kind}`)(id);
  }
  region(code: string): Promise<RegionPath | null> {
    return this.required(this.regionLookup, 'region lookup')(code);
  }
  /** Whether a scope reaches something owned by a region (null: the whole installation, reached only by an unscoped user). */
  async reaches(scopeCode: string | null, regionCode: string | null): Promise<boolean> {
    if (regionCode === null) return scopeCode === null;
    const region = await this.region(regionCode);
    return region !== null && covers(scopeCode, region);
  }

  /**
   * Whether a scope and a region share a line of the tree: the region lies in
   * the scope, or the scope in the region (a township operator and their
   * county's topic menu).
   */
  async related(scopeCode: string | null, regionCode: string): Promise<boolean> {
    if (await this.reaches(scopeCode, regionCode)) return true;
    const scope = await this.region(scopeCode!);
    return scope !== null && (scope.countyCode === regionCode || scope.townshipCode === regionCode);
  }

  /** The county with this code: 404 when there is no such region, 400 (saying why, `what`) when it is no county. */
  async requireCounty(code: string, what: string): Promise<RegionPath> {
    const region = await this.region(code);
    if (!region) throw new NotFoundException(`Region ${code} not found`);
    if (region.countyCode !== code)
      throw badRequest(`${what}; ${code} is not a county (its county is ${region.countyCode})`);
    return region;
  }

  device(token: string): DevicePrincipal | null | Promise<DevicePrincipal | null> {
    return this.required(this.deviceAuthenticator, 'device authenticator')(token);
  }

  volunteer(cardDigest: string): Promise<VolunteerPrincipal | null> {
    return this.required(this.volunteerCards, 'volunteer card lookup')(cardDigest);
  }

  private required<T>(value: T | undefined, what: string): T {
    if (!value) throw new Error(`no ${what} registered`);
    return value;
  }
}
