import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { REGION_CODE_PATTERN } from '../kernel/region';
import { END_REASONS } from './domain/live';
import type { LiveRow } from './live.repository';

export const StartLiveBody = z
  .object({
    title: LineText.min(1)
      .max(100)
      .describe('what it is about, e.g. 防汛通知; shown in the console and the audit trail'),
    regionCodes: z
      .array(z.string().regex(REGION_CODE_PATTERN, 'must be a 12-digit region code'))
      .min(1)
      .max(200)
      .describe('the regions whose loudspeakers play it, all in your scope and in one county'),
    priority: z
      .enum(['normal', 'urgent'])
      .describe(
        'normal: each loudspeaker starts when its playing item ends; urgent: interrupts scheduled items at once',
      ),
    lectureSessionId: z.uuid().optional().describe('an on-air lecture given live: recorded in the ledger when it ends'),
  })
  .strict();

export const LiveSessionView = named(
  'LiveSession',
  z.object({
    id: z.uuid(),
    title: z.string(),
    regionCodes: z.array(z.string()),
    scopeCode: z.string(),
    priority: z.enum(['normal', 'urgent']),
    status: z.enum(['starting', 'live', 'ended']),
    startedBy: z.object({ id: z.uuid(), username: z.string() }),
    endedBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
    createdAt: z.string(),
    liveAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    endReason: z.enum(END_REASONS).nullable(),
    durationMs: z.number().int().nullable().describe('how long it was live (so far, while it is)'),
    recordingMediaId: z.uuid().nullable().describe('the recording, a media item once the session ended'),
    lectureSessionId: z.uuid().nullable(),
    receipts: z
      .object({ played: z.number().int(), interrupted: z.number().int(), failed: z.number().int() })
      .describe('how many loudspeakers reported playing it, being cut off (by an alert), or failing to open it'),
  }),
);
export type LiveSessionView = z.infer<typeof LiveSessionView>;

export const StartedLive = named(
  'StartedLive',
  z.object({
    session: LiveSessionView,
    ingestUrl: z
      .string()
      .describe('open a WebSocket here (same host) and send the audio: it carries the one secret that lets you speak'),
  }),
);

export const ListLiveQuery = z
  .object({
    status: z.enum(['starting', 'live', 'ended']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const LiveSessionList = named('LiveSessionList', z.object({ items: z.array(LiveSessionView) }));

export function toLiveView(row: LiveRow, receipts: LiveSessionView['receipts'], now = new Date()): LiveSessionView {
  const until = row.endedAt ?? now;
  return {
    id: row.id,
    title: row.title,
    regionCodes: row.regionCodes,
    scopeCode: row.scopeCode,
    priority: row.priority,
    status: row.status,
    startedBy: row.startedBy,
    endedBy: row.endedBy,
    createdAt: row.createdAt.toISOString(),
    liveAt: row.liveAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: (row.endReason as LiveSessionView['endReason']) ?? null,
    durationMs: row.liveAt ? Math.max(0, until.getTime() - row.liveAt.getTime()) : null,
    recordingMediaId: row.recordingMediaId,
    lectureSessionId: row.lectureSessionId,
    receipts,
  };
}
