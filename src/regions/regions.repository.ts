import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { Level, RegionPath } from '../kernel/region';
import type { ImportPlan, Region } from './domain/region-import';

/** Prisma's filter for "this region or anything under it". */
export function withinSubtree(code: string): Prisma.RegionWhereInput {
  return { OR: [{ code }, { countyCode: code }, { townshipCode: code }] };
}

/**
 * The same for a row that records where it belongs as its region and that
 * region's county and township (ledger entries, points balances).
 */
export function placedWithin(code: string): {
  OR: Array<{ regionCode: string } | { countyCode: string } | { townshipCode: string }>;
} {
  return { OR: [{ regionCode: code }, { countyCode: code }, { townshipCode: code }] };
}

/** The same filter, or no filter for the whole installation. */
export function withinScope(scopeCode: string | null): Prisma.RegionWhereInput {
  return scopeCode === null ? {} : withinSubtree(scopeCode);
}

const REGION_FIELDS = {
  code: true,
  name: true,
  level: true,
  parentCode: true,
  countyCode: true,
  townshipCode: true,
} as const;
const REF_CACHE_LIMIT = 200_000;

@Injectable()
export class RegionsRepository {
  // A region's place in the tree never changes once stored (imports add and
  // rename, never move), so a found RegionPath can be kept for the process's life.
  private readonly refs = new Map<string, RegionPath>();

  constructor(private readonly prisma: PrismaService) {}

  async findRef(code: string): Promise<RegionPath | null> {
    const cached = this.refs.get(code);
    if (cached) return cached;
    const found = await this.prisma.region.findUnique({
      where: { code },
      select: { code: true, countyCode: true, townshipCode: true },
    });
    if (found) {
      if (this.refs.size >= REF_CACHE_LIMIT) this.refs.clear();
      this.refs.set(code, found);
    }
    return found;
  }

  /** Every region under the given roots (roots included), with its place in the tree. */
  pathsUnder(codes: string[]): Promise<RegionPath[]> {
    return this.prisma.region.findMany({
      where: { OR: codes.map((code) => withinSubtree(code)) },
      select: { code: true, countyCode: true, townshipCode: true },
    });
  }

  /** The level and place of each of these regions that exists. */
  async levels(
    codes: string[],
  ): Promise<Map<string, { level: Level; countyCode: string; townshipCode: string | null }>> {
    const rows = await this.prisma.region.findMany({
      where: { code: { in: codes } },
      select: { code: true, level: true, countyCode: true, townshipCode: true },
    });
    return new Map(
      rows.map((row) => [row.code, { level: row.level, countyCode: row.countyCode, townshipCode: row.townshipCode }]),
    );
  }

  countyCodes(): Promise<string[]> {
    return this.prisma.region
      .findMany({ where: { level: 'county' }, select: { code: true } })
      .then((rows) => rows.map((row) => row.code));
  }

  find(code: string): Promise<Region | null> {
    return this.prisma.region.findUnique({ where: { code }, select: REGION_FIELDS });
  }

  findMany(codes: string[]): Promise<Region[]> {
    return this.prisma.region.findMany({ where: { code: { in: codes } }, select: REGION_FIELDS });
  }

  children(code: string): Promise<Region[]> {
    return this.prisma.region.findMany({
      where: { parentCode: code },
      select: REGION_FIELDS,
      orderBy: { code: 'asc' },
    });
  }

  roots(scopeCode: string | null): Promise<Region[]> {
    const where: Prisma.RegionWhereInput = scopeCode === null ? { level: 'county' } : { code: scopeCode };
    return this.prisma.region.findMany({ where, select: REGION_FIELDS, orderBy: { code: 'asc' } });
  }

  countDescendants(code: string, level: Level): Promise<number> {
    return this.prisma.region.count({ where: { level, NOT: { code }, ...withinSubtree(code) } });
  }

  countEndpoints(code: string): Promise<number> {
    return this.prisma.endpoint.count({ where: { region: withinSubtree(code) } });
  }

  /** Writes a checked plan in one transaction: all of it or none. */
  async apply(plan: ImportPlan): Promise<void> {
    await this.prisma.$transaction(
      async (tx) => {
        if (plan.create.length) await tx.region.createMany({ data: plan.create });
        for (const { code, name } of plan.rename) await tx.region.update({ where: { code }, data: { name } });
      },
      { timeout: 120_000 },
    );
  }
}
