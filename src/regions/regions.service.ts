import { Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { badRequest } from '../infra/http/error-body';
import type { UserPrincipal } from '../auth/access.decorator';
import { planRegionImport, referencedCodes } from './domain/region-import';
import { RegionsRepository } from './regions.repository';
import type { ImportResult, RegionDetail } from './regions.dto';

const summary = ({ code, name, level }: { code: string; name: string; level: RegionDetail['level'] }) => ({
  code,
  name,
  level,
});

@Injectable()
export class RegionsService {
  constructor(private readonly regions: RegionsRepository) {}

  async import(actor: UserPrincipal, body: unknown): Promise<ImportResult> {
    if (typeof body !== 'string') throw new UnsupportedMediaTypeException('Send the regions as a text/csv body');
    const existing = await this.regions.findMany(referencedCodes(body));
    const result = planRegionImport(body, new Map(existing.map((region) => [region.code, region])), actor.scopeCode);
    if ('errors' in result) {
      const details = result.errors.map(({ line, message }) => ({ path: `line ${line}`, line, message }));
      throw badRequest(
        `The file was not imported: ${result.errors.length} bad line(s), first line ${result.errors[0].line}: ${result.errors[0].message}`,
        details,
      );
    }
    const { plan } = result;
    await this.regions.apply(plan);
    return { rows: plan.rows, created: plan.create.length, renamed: plan.rename.length, unchanged: plan.unchanged };
  }

  async detail(code: string): Promise<RegionDetail> {
    const region = await this.regions.find(code);
    if (!region) throw new NotFoundException(`Region ${code} not found`);
    const ancestorCodes = [region.countyCode, region.townshipCode].filter((c): c is string => c !== null && c !== code);
    const [ancestors, children, townships, villages, endpoints] = await Promise.all([
      this.regions.findMany(ancestorCodes),
      this.regions.children(code),
      this.regions.countDescendants(code, 'township'),
      this.regions.countDescendants(code, 'village'),
      this.regions.countEndpoints(code),
    ]);
    return {
      ...summary(region),
      parentCode: region.parentCode,
      ancestors: ancestorCodes.map((c) => ancestors.find((a) => a.code === c)!).map(summary),
      children: children.map(summary),
      counts: { townships, villages, endpoints },
    };
  }

  async roots(actor: UserPrincipal) {
    return { items: (await this.regions.roots(actor.scopeCode)).map(summary) };
  }
}
