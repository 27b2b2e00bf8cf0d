import { z } from 'zod';
import { RegionCode } from '../kernel/region-code';

export const ReportQuery = z
  .object({
    region: RegionCode.describe('the county, township or village reported on'),
    period: z
      .string()
      .describe(
        'a month (2026-11: the monthly check), a quarter (2026-Q4: the quarterly inspection) or a year (2026: the yearly assessment)',
      ),
    format: z
      .enum(['json', 'csv', 'xlsx'])
      .default('json')
      .describe('json; csv (UTF-8 with BOM) or xlsx, with Chinese headers, as a download'),
  })
  .strict();
