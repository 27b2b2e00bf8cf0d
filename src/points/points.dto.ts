import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { PlainText } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';

export const HolderType = z.enum(['volunteer', 'lecturer']);

export const RedeemBody = z
  .object({
    holderType: HolderType,
    holderId: z.uuid(),
    points: z.number().int().min(1).max(1_000_000),
    reason: PlainText.min(1).max(500).describe('what the points were exchanged for'),
  })
  .strict();

export const PointsQuery = z
  .object({
    region: RegionCode.optional().describe('holders of this region and below; default your scope'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    after: z.uuid().optional().describe('the nextCursor of the previous page'),
  })
  .strict();

export const RateBody = z.object({ pointsPerHour: z.number().int().min(0).max(1000) }).strict();

export const BalanceView = named(
  'PointsBalance',
  z.object({
    holderType: HolderType,
    holderId: z.uuid(),
    name: z.string().nullable(),
    regionCode: z.string(),
    points: z.number().int().describe('what can be redeemed now'),
    earned: z.number().int().describe('everything ever earned'),
  }),
);
export const BalancePage = named(
  'PointsBalancePage',
  z.object({ items: z.array(BalanceView), nextCursor: z.string().nullable() }),
);
export const Redemption = named('PointsRedemption', z.object({ balance: BalanceView, ledgerSeq: z.string() }));
export const RateView = named(
  'PointsRate',
  z.object({ countyCode: z.string(), pointsPerHour: z.number().int(), isDefault: z.boolean() }),
);
