import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { PlainText } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { CountyDate } from '../kernel/county-date';

export const LEDGER_KINDS = [
  'lecture_session',
  'broadcast_aired',
  'volunteer_hours',
  'points_awarded',
  'points_redeemed',
  'rating',
  'correction',
  'goods_stocked',
] as const;

const Seq = z.string().regex(/^[1-9]\d{0,17}$/, 'must be an entry number (seq)');

export const LedgerQuery = z
  .object({
    region: RegionCode.optional().describe('entries of this region and below; default your scope'),
    from: CountyDate.optional().describe('first county date, inclusive (when it happened)'),
    to: CountyDate.optional().describe('last county date, inclusive'),
    kind: z
      .string()
      .transform((text) => text.split(','))
      .pipe(z.array(z.enum(LEDGER_KINDS)))
      .optional()
      .describe(`one or more of ${LEDGER_KINDS.join(', ')}, comma-separated`),
    after: Seq.optional().describe('the nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const SeqParam = Seq;

export const CorrectionBody = z
  .object({
    reason: PlainText.min(1).max(1000).describe('why the entry was wrong'),
    // The body is parsed JSON, so every value already is one; a recursive JSON-value schema
    // only put a reference into the OpenAPI document that nothing could resolve.
    changes: z
      .record(z.string(), z.unknown())
      .refine((changes) => Object.keys(changes).length > 0, 'name at least one field')
      .describe("the entry's payload fields as they should have been"),
  })
  .strict();

/**
 * What a person may correct, by kind: what people typed in. What the service
 * measured (on-air reach, broadcasts aired) and points (set right by another
 * award or redemption) are not corrected by hand.
 */
export const CORRECTABLE: Partial<Record<(typeof LEDGER_KINDS)[number], z.ZodObject>> = {
  lecture_session: z
    .object({ attendance: z.number().int().min(0).max(100_000), actualMinutes: z.number().int().min(1).max(600) })
    .partial()
    .strict(),
  volunteer_hours: z
    .object({ minutes: z.number().int().min(1).max(600) })
    .partial()
    .strict(),
  rating: z
    .object({ rating: z.enum(['excellent', 'satisfied', 'unsatisfied']), comment: PlainText.max(2000).nullable() })
    .partial()
    .strict(),
};

export const LedgerEntryView = named(
  'LedgerEntry',
  z.object({
    seq: z.string().describe('position in the chain, from 1'),
    kind: z.enum(LEDGER_KINDS),
    occurredAt: z.string().describe('when it happened (county time)'),
    recordedAt: z.string(),
    actor: z
      .object({ id: z.uuid(), username: z.string().nullable(), role: z.string().nullable() })
      .nullable()
      .describe('null: recorded by the service (reconciliation)'),
    regionCode: z.string(),
    countyCode: z.string(),
    subject: z.string().nullable().describe('what it is about, e.g. lecture-session:<id>'),
    corrects: z.string().nullable().describe('the seq this correction corrects'),
    correctedBy: z.array(z.string()).describe('seqs of the corrections of this entry'),
    payload: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string().describe('SHA-256 of prevHash and the canonical JSON of the entry'),
  }),
);

export const LedgerPage = named(
  'LedgerPage',
  z.object({ items: z.array(LedgerEntryView), nextCursor: z.string().nullable() }),
);

export const LedgerVerification = named(
  'LedgerVerification',
  z.union([
    z.object({
      ok: z.literal(true),
      count: z.number().int(),
      head: z.object({ seq: z.string(), hash: z.string() }).nullable(),
    }),
    z.object({
      ok: z.literal(false),
      count: z.number().int().describe('entries that checked out before the break'),
      firstBadSeq: z.string(),
      reason: z.string(),
    }),
  ]),
);

const AnchorFields = {
  date: CountyDate.describe('the county date whose end the head is of'),
  timeZone: z.string().max(64),
  seq: z
    .string()
    .regex(/^(0|[1-9]\d{0,17})$/, 'must be an entry number, or 0 for an empty chain')
    .describe('the last entry recorded by the end of the date'),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits')
    .describe('that entry\u2019s hash'),
  final: z.boolean().describe('false while the date is today: the head so far'),
};

export const SignedAnchorBody = named(
  'LedgerAnchor',
  z
    .object({
      ...AnchorFields,
      algorithm: z.literal('Ed25519'),
      keyId: z
        .string()
        .regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits')
        .describe('first 16 hex digits of the SHA-256 of the public key (SPKI DER)'),
      signature: z
        .string()
        .regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 Ed25519 signature')
        .describe('Ed25519 over the canonical JSON of {anchor: "dalaba-ledger", date, timeZone, seq, hash, final}'),
    })
    .strict(),
);

export const AnchorKey = named(
  'LedgerAnchorKey',
  z.object({ algorithm: z.literal('Ed25519'), keyId: z.string(), publicKey: z.string().describe('SPKI, PEM') }),
);

export const AnchorCheckView = named(
  'LedgerAnchorCheck',
  z.union([
    z.object({ ok: z.literal(true), date: z.string(), seq: z.string(), hash: z.string() }),
    z.object({
      ok: z.literal(false),
      date: z.string(),
      seq: z.string(),
      reason: z.string().describe('why the anchor and the chain disagree'),
    }),
  ]),
);
