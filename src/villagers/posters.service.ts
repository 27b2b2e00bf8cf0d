import { randomBytes } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import type { VillagePoster } from '../generated/prisma/client';
import { badRequest } from '../infra/http/error-body';
import type { RegionPath } from '../kernel/region';
import { RegionsRepository } from '../regions/regions.repository';
import { PostersRepository } from './posters.repository';

// One answer for a poster code that does not exist and for one that was
// closed or replaced: a guesser learns nothing from the difference.
const NO_SUCH_POSTER = 'This QR code is no longer valid or does not exist; ask the village for the new one';

/** Where a poster's QR code leads (the villagers' page of the web console). */
export const posterPath = (code: string) => `/v/village/${code}`;

/** Each village's poster: its QR code opens the village's public page. */
@Injectable()
export class PostersService {
  constructor(
    private readonly posters: PostersRepository,
    private readonly regions: RegionsRepository,
  ) {}

  /** The village of an open poster code; 404 (the same for every code that is not open) otherwise. */
  async requireVillage(code: string) {
    const village = await this.posters.villageOf(code);
    if (!village) throw new NotFoundException(NO_SUCH_POSTER);
    return village;
  }

  async get(regionCode: string) {
    const village = await this.requireVillageRegion(regionCode);
    return { ...posterView(regionCode, await this.posters.find(regionCode)), place: await this.placeOf(village) };
  }

  /** The names a poster and the villagers' page show: the village, its township and its county. */
  async placeOf(village: RegionPath) {
    const codes = [village.code, village.townshipCode, village.countyCode].filter((code): code is string => !!code);
    const names = new Map((await this.regions.findMany(codes)).map((region) => [region.code, region.name]));
    return {
      village: names.get(village.code) ?? village.code,
      township: village.townshipCode ? (names.get(village.townshipCode) ?? null) : null,
      county: names.get(village.countyCode) ?? village.countyCode,
    };
  }

  /**
   * Opens the village's poster, or gives it a new code: the old poster's QR
   * code stops working at once (a poster torn down, copied or abused).
   */
  async open(actor: UserPrincipal, regionCode: string) {
    await this.requireVillageRegion(regionCode);
    // 128 random bits: a code cannot be guessed, so a village's page is reached only from its poster.
    return posterView(regionCode, await this.posters.open(regionCode, randomBytes(16).toString('base64url'), actor.id));
  }

  async close(regionCode: string) {
    await this.requireVillageRegion(regionCode);
    const closed = await this.posters.close(regionCode);
    if (!closed) throw new NotFoundException(`Village ${regionCode} has no open poster`);
    return posterView(regionCode, closed);
  }

  private async requireVillageRegion(regionCode: string): Promise<RegionPath> {
    const region = await this.regions.findRef(regionCode);
    if (!region) throw new NotFoundException(`Region ${regionCode} not found`);
    if (region.countyCode === regionCode || region.townshipCode === regionCode)
      throw badRequest(
        `A poster belongs to a village; ${regionCode} is a ${region.countyCode === regionCode ? 'county' : 'township'}`,
      );
    return region;
  }
}

function posterView(regionCode: string, poster: VillagePoster | null) {
  const open = poster !== null && poster.closedAt === null;
  return {
    regionCode,
    open,
    code: open ? poster.code : null,
    path: open ? posterPath(poster.code) : null,
    openedAt: poster?.openedAt.toISOString() ?? null,
    closedAt: poster?.closedAt?.toISOString() ?? null,
  };
}
