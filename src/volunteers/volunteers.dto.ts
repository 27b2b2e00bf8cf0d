import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { MobileNumber } from '../kernel/phone';

/** A poster's code as printed in its QR code; what it names is checked against the open posters. */
export const PosterCode = z.string().regex(/^[\w-]{1,64}$/, 'is no poster code');

export const RegisterVolunteerBody = z
  .object({
    name: LineText.min(1)
      .max(30)
      .describe('as the village knows them; add a mark (e.g. 张伟（村东）) if another has the name'),
    phone: MobileNumber.describe('a mainland mobile number; stored to reach them, shown masked'),
  })
  .strict();

const Village = z.object({ code: z.string(), name: z.string() });

export const VolunteerCard = named(
  'VolunteerCard',
  z.object({
    id: z.uuid(),
    name: z.string(),
    village: Village,
    phone: z.string().describe('masked: 138****1234'),
    registeredAt: z.string(),
  }),
);

const HistoryItem = z.object({
  seq: z.string().describe('the ledger entry'),
  kind: z.enum(['hours', 'redeemed']),
  occurredAt: z.string(),
  sessionId: z.string().nullable(),
  topicTitle: z.string().nullable(),
  minutes: z.number().nullable(),
  signedInAt: z
    .string()
    .nullable()
    .describe('their own sign-in by the session’s QR code (county time); null when the lecturer named them'),
  signedOutAt: z.string().nullable(),
  points: z.number().describe('earned (positive) or redeemed (negative)'),
  balance: z.number().nullable().describe('after this entry'),
  reason: z.string().nullable(),
});

export const VolunteerMe = named(
  'VolunteerMe',
  z.object({
    id: z.uuid(),
    name: z.string(),
    village: Village,
    phone: z.string().nullable().describe('masked: 138****1234'),
    points: z.number().int(),
    earned: z.number().int().describe('everything ever earned, redemptions aside'),
    history: z.array(HistoryItem).describe('newest first, the last 100'),
  }),
);

export const CounterCode = named(
  'VolunteerCounterCode',
  z.object({
    code: z.string().describe('shown as a QR code at the redemption counter'),
    expiresAt: z.string(),
  }),
);
