import { z } from 'zod';
import type { Programme, ProgrammeSegment, Media } from '../generated/prisma/client';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';

export const PROGRAMME_CATEGORIES = ['core_values', 'village_rules', 'customs', 'policy', 'lecture', 'other'] as const;

export const CreateProgrammeBody = z
  .object({
    title: LineText.min(1).max(200),
    category: z.enum(PROGRAMME_CATEGORIES).describe('core values, village rules, customs, policy, lecture, other'),
    segments: z.array(z.uuid()).min(1).max(100).describe('ready media ids, in airing order'),
  })
  .strict();

export const ListProgrammesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    after: z.uuid().optional().describe('the nextCursor of the previous page'),
  })
  .strict();

export const ProgrammeView = named(
  'Programme',
  z.object({
    id: z.uuid(),
    title: z.string(),
    category: z.enum(PROGRAMME_CATEGORIES),
    regionCode: z.string().nullable().describe("the author's scope: who may see and schedule it"),
    durationMs: z.number().int().describe('the sum of its segments'),
    segments: z.array(
      z.object({ mediaId: z.uuid(), title: z.string(), durationMs: z.number().int(), sha256: z.string() }),
    ),
    createdAt: z.iso.datetime({ offset: true }),
  }),
);
export type ProgrammeView = z.infer<typeof ProgrammeView>;

export const ProgrammePage = named(
  'ProgrammePage',
  z.object({ items: z.array(ProgrammeView), nextCursor: z.uuid().nullable() }),
);

export type ProgrammeWithSegments = Programme & { segments: Array<ProgrammeSegment & { media: Media }> };

export function toProgrammeView(programme: ProgrammeWithSegments): ProgrammeView {
  return {
    id: programme.id,
    title: programme.title,
    category: programme.category,
    regionCode: programme.regionCode,
    durationMs: programme.durationMs,
    segments: programme.segments.map((segment) => ({
      mediaId: segment.mediaId,
      title: segment.media.title,
      durationMs: segment.media.durationMs ?? 0,
      sha256: segment.media.sha256 ?? '',
    })),
    createdAt: programme.createdAt.toISOString(),
  };
}
