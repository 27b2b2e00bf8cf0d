import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText, PlainText } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';

const Price = z.number().int().min(1).max(1_000_000).describe('points for one');
const Stock = z.number().int().min(0).max(1_000_000);

export const ItemsQuery = z
  .object({
    region: RegionCode.optional().describe('items kept by this region and below; default your scope'),
    retired: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: only retired items; false (default): only those on offer'),
  })
  .strict();

export const CreateItemBody = z
  .object({
    regionCode: RegionCode.describe('the county or township that keeps it'),
    name: LineText.min(1).max(100),
    description: PlainText.max(1000).optional(),
    pointsPrice: Price,
    stock: Stock.describe('how many there are to begin with'),
  })
  .strict();

export const UpdateItemBody = z
  .object({
    pointsPrice: Price.optional(),
    description: PlainText.max(1000).nullable().optional().describe('null clears it'),
    stock: Stock.optional().describe('set the stock to what was counted'),
    stockChange: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((n) => n !== 0, 'must not be 0')
      .optional()
      .describe('add to the stock (a delivery) or take off it (damaged, lost)'),
    retired: z.boolean().optional().describe('true takes it off the catalogue; false offers it again'),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'change at least one field')
  .refine((body) => body.stock === undefined || body.stockChange === undefined, {
    message: 'set the stock or change it, not both',
    path: ['stockChange'],
  });

export const RedeemItemBody = z
  .object({
    itemId: z.uuid(),
    quantity: z.number().int().min(1).max(100),
    volunteerCode: z.string().trim().min(1).max(200).describe('the code the volunteer’s phone shows (their card)'),
  })
  .strict();

export const RedemptionItemView = named(
  'RedemptionItem',
  z.object({
    id: z.uuid(),
    regionCode: z.string(),
    regionName: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    pointsPrice: z.number().int(),
    stock: z.number().int(),
    retiredAt: z.string().nullable(),
    createdAt: z.string(),
  }),
);
export const RedemptionItemList = named('RedemptionItemList', z.object({ items: z.array(RedemptionItemView) }));

const Volunteer = z.object({ id: z.uuid(), name: z.string(), regionCode: z.string() });

export const RedemptionCheckView = named(
  'RedemptionCheck',
  z.object({
    volunteer: Volunteer.extend({ points: z.number().int().describe('what they hold now') }),
    item: z.object({ id: z.uuid(), name: z.string(), pointsPrice: z.number().int(), stock: z.number().int() }),
    quantity: z.number().int(),
    points: z.number().int().describe('what the redemption costs'),
    enoughPoints: z.boolean(),
    enoughStock: z.boolean(),
  }),
);

export const RedemptionReceiptView = named(
  'RedemptionReceipt',
  z.object({
    volunteer: Volunteer,
    item: z.object({ id: z.uuid(), name: z.string() }),
    quantity: z.number().int(),
    points: z.number().int().describe('what it cost'),
    pointsLeft: z.number().int(),
    stockLeft: z.number().int(),
    ledgerSeq: z.string().describe('the points_redeemed entry'),
  }),
);
