import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { RegionCode } from '../kernel/region-code';

export const ReportQuery = z
  .object({
    region: RegionCode.describe('the county, township or village reported on'),
    period: z
      .string()
      .describe(
        'a month (2026-11: the monthly check), a quarter (2026-Q4: the quarterly inspection), a half-year (2026-H1: the half-year summary) or a year (2026: the yearly assessment)',
      ),
    format: z
      .enum(['json', 'csv', 'xlsx'])
      .default('json')
      .describe('json; csv (UTF-8 with BOM) or xlsx, with Chinese headers, as a download'),
  })
  .strict();

export const AssessmentQuery = ReportQuery.extend({
  region: RegionCode.describe('the county, township or village assessed (with the regions directly below it)'),
});

const Rate = z
  .number()
  .nullable()
  .describe('a fraction from 0 to 1 (rounded to 0.001); null when there was nothing to count');
const Level = z.enum(['county', 'township', 'village']);
const AssessedRegion = z.object({ code: z.string(), name: z.string(), level: Level });

// Not a named component of its own: the document names only what a route answers.
const AssessmentFigures = z.object({
  broadcast: z
    .object({ scheduledDays: z.number(), airedDays: z.number(), rate: Rate })
    .describe('village-days the evening (17:30) broadcast was scheduled, and aired on at least one loudspeaker'),
  loudspeakers: z
    .object({ expected: z.number(), reached: z.number(), rate: Rate })
    .describe('loudspeakers expected to air each evening broadcast, and those that reported playing it'),
  orders: z
    .object({ orders: z.number(), onTime: z.number(), rate: Rate })
    .describe('orders placed in the period (not cancelled), and those delivered by their deadline'),
  satisfaction: z
    .object({
      ratings: z.number(),
      excellent: z.number(),
      satisfied: z.number(),
      unsatisfied: z.number(),
      rate: Rate,
    })
    .describe('ratings in the period; the rate is (满意 excellent + 基本满意 satisfied) ÷ ratings'),
  sessions: z.object({ sessions: z.number(), hours: z.number() }),
  volunteers: z
    .object({ participations: z.number(), volunteers: z.number(), hours: z.number() })
    .describe('volunteer sign-ins (人次), distinct volunteers, and their hours'),
  score: Rate.describe('the mean of the four rates that exist'),
});

export const AssessmentView = named(
  'Assessment',
  z.object({
    region: AssessedRegion,
    period: z.object({
      label: z.string(),
      kind: z.enum(['month', 'quarter', 'half', 'year']),
      first: z.string(),
      last: z.string(),
    }),
    figures: AssessmentFigures,
    children: z
      .array(z.object({ rank: z.number().nullable(), region: AssessedRegion, figures: AssessmentFigures }))
      .describe('the regions directly below, best score first; a region with no score last, unranked'),
  }),
);
