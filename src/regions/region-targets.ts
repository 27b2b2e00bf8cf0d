import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { badRequest } from '../infra/http/error-body';
import type { RegionPath } from '../kernel/region';
import { RegionsRepository } from './regions.repository';

export interface PlacedTargets {
  countyCode: string;
  /** The smallest region holding every target: the one region when there is one, else their township or county. */
  scopeCode: string;
  paths: RegionPath[];
}

/**
 * The target regions of something that goes out to loudspeakers (an alert, a
 * live session): each must exist (404), lie in the actor's scope (403), and
 * all in one county (400, `oneCountyWhy` saying why).
 */
@Injectable()
export class RegionTargets {
  constructor(
    private readonly regions: RegionsRepository,
    private readonly access: AccessRegistry,
  ) {}

  async place(actor: UserPrincipal, regionCodes: string[], oneCountyWhy: string): Promise<PlacedTargets> {
    const levels = await this.regions.levels(regionCodes);
    const missing = regionCodes.filter((code) => !levels.has(code));
    if (missing.length) throw new NotFoundException(`No such region: ${missing.join(', ')}`);
    for (const code of regionCodes) {
      if (!(await this.access.reaches(actor.scopeCode, code)))
        throw new ForbiddenException(`Region ${code} is outside your scope (${actor.scopeCode})`);
    }
    const counties = new Set([...levels.values()].map((region) => region.countyCode));
    if (counties.size !== 1) throw badRequest(`All target regions must be in one county: ${oneCountyWhy}`);
    const townships = new Set(
      [...levels.values()].map((region) => (region.level === 'county' ? null : (region.townshipCode ?? null))),
    );
    const [township] = townships;
    const [countyCode] = counties;
    const scopeCode =
      regionCodes.length === 1 ? regionCodes[0] : townships.size === 1 && township ? township : countyCode;
    const paths = regionCodes.map((code) => ({
      code,
      countyCode: levels.get(code)!.countyCode,
      townshipCode: levels.get(code)!.townshipCode,
    }));
    return { countyCode, scopeCode, paths };
  }
}
