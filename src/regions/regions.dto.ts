import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { REGION_LEVELS } from '../kernel/region';

const RegionSummary = z.object({ code: z.string(), name: z.string(), level: z.enum(REGION_LEVELS) });

export const RegionDetail = named(
  'Region',
  RegionSummary.extend({
    parentCode: z.string().nullable(),
    ancestors: z.array(RegionSummary).describe('from the county down to the parent'),
    children: z.array(RegionSummary),
    counts: z.object({
      townships: z.number().int().describe('townships anywhere below'),
      villages: z.number().int().describe('villages anywhere below'),
      endpoints: z.number().int().describe('loudspeakers in this region and below'),
    }),
  }),
);
export type RegionDetail = z.infer<typeof RegionDetail>;

export const RegionList = named('RegionList', z.object({ items: z.array(RegionSummary) }));

export const ImportResult = named(
  'RegionImportResult',
  z.object({
    rows: z.number().int().describe('data rows read'),
    created: z.number().int(),
    renamed: z.number().int().describe('stored regions whose name the file changed'),
    unchanged: z.number().int(),
  }),
);
export type ImportResult = z.infer<typeof ImportResult>;
