import { Injectable } from '@nestjs/common';
import { Media, Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinSubtree } from '../regions/regions.repository';
import type { MediaUsage } from './domain/media-quota';

type Db = Pick<PrismaService, '$queryRaw'>;

export interface NewMedia {
  id: string;
  title: string;
  source: Media['source'];
  regionCode: string | null;
  createdById: string;
  sourceSha256?: string;
  ttsText?: string;
  ttsVoice?: string;
  sourceBytes?: number;
  forAlert?: boolean;
}

export interface ReadyRendition {
  sourceSha256: string;
  renditionKey: string;
  sha256: string;
  bytes: number;
  durationMs: number;
  inputLufs: number;
  outputLufs: number;
  truePeakDb: number;
}

@Injectable()
export class MediaRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(media: NewMedia): Promise<Media> {
    return this.prisma.media.create({ data: media });
  }

  /**
   * Creates the row unless `admit`, shown what its author and its scope have
   * processing and have sent today, throws. Serialised per scope (every
   * author's rows carry their scope), so concurrent requests cannot all slip
   * under a limit together.
   */
  createWithinQuota(media: NewMedia, dayStart: Date, admit: (usage: { user: MediaUsage; scope: MediaUsage }) => void): Promise<Media> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`media-quota:${media.regionCode ?? '*'}`}))`;
      admit(await usageOf(tx, media.createdById, media.regionCode, dayStart));
      return tx.media.create({ data: media });
    });
  }

  usage(userId: string, scopeCode: string | null, dayStart: Date): Promise<{ user: MediaUsage; scope: MediaUsage }> {
    return usageOf(this.prisma, userId, scopeCode, dayStart);
  }

  find(id: string): Promise<Media | null> {
    return this.prisma.media.findUnique({ where: { id } });
  }

  regionOf(id: string): Promise<{ regionCode: string | null } | null> {
    return this.prisma.media.findUnique({ where: { id }, select: { regionCode: true } });
  }

  /** Newest first, within a scope (null: everything), paged by id after the newest-first order. */
  list(scopeCode: string | null, filter: { status?: Media['status']; limit: number; after?: string }): Promise<Media[]> {
    const where: Prisma.MediaWhereInput = {
      ...(scopeCode === null ? {} : { region: withinSubtree(scopeCode) }),
      ...(filter.status ? { status: filter.status } : {}),
    };
    return this.prisma.media.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
      ...(filter.after ? { cursor: { id: filter.after }, skip: 1 } : {}),
    });
  }

  /** An earlier row that rendered the same input with the same settings, whose file can be shared. */
  findRenderedTwin(sourceSha256: string, renditionKey: string): Promise<Media | null> {
    return this.prisma.media.findFirst({ where: { sourceSha256, renditionKey, status: 'ready' }, orderBy: { readyAt: 'asc' } });
  }

  async setSourceDigest(id: string, sourceSha256: string): Promise<void> {
    await this.prisma.media.update({ where: { id }, data: { sourceSha256 } });
  }

  /** Only a row still processing moves on, so a late duplicate run cannot overwrite a result. */
  async markReady(id: string, rendition: ReadyRendition): Promise<boolean> {
    const { count } = await this.prisma.media.updateMany({
      where: { id, status: 'processing' },
      data: { ...rendition, status: 'ready', error: null, readyAt: new Date() },
    });
    return count === 1;
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.prisma.media.updateMany({ where: { id, status: 'processing' }, data: { status: 'failed', error: reason } });
  }

  /** Keeps the row processing but says why the last attempt failed, for someone watching it. */
  async noteRetry(id: string, reason: string): Promise<void> {
    await this.prisma.media.updateMany({ where: { id, status: 'processing' }, data: { error: reason } });
  }

  /** True when a processing row was routine media and now is an alert's audio. */
  async markForAlert(id: string): Promise<boolean> {
    const { count } = await this.prisma.media.updateMany({ where: { id, status: 'processing', forAlert: false }, data: { forAlert: true } });
    return count === 1;
  }

  async isProcessing(id: string): Promise<boolean> {
    return (await this.prisma.media.count({ where: { id, status: 'processing' } })) === 1;
  }

  /** Rows processing since before `before`: candidates for a job lost with Redis. Alert audio first. */
  processingSince(before: Date, limit: number): Promise<Array<{ id: string; forAlert: boolean }>> {
    return this.prisma.media.findMany({
      where: { status: 'processing', createdAt: { lt: before } },
      select: { id: true, forAlert: true },
      orderBy: [{ forAlert: 'desc' }, { createdAt: 'asc' }],
      take: limit,
    });
  }
}

/** Counted from the media rows themselves, so quotas hold whatever happens to Redis. */
async function usageOf(db: Db, userId: string, scopeCode: string | null, dayStart: Date): Promise<{ user: MediaUsage; scope: MediaUsage }> {
  const inScope = scopeCode === null ? Prisma.sql`region_code IS NULL` : Prisma.sql`region_code = ${scopeCode}`;
  const mine = Prisma.sql`created_by_id = ${userId}::uuid`;
  const today = Prisma.sql`created_at >= ${dayStart}`;
  const [row] = await db.$queryRaw<Array<Record<string, number>>>`
    SELECT count(*) FILTER (WHERE status = 'processing' AND ${mine})::int AS user_queued,
           coalesce(sum(source_bytes) FILTER (WHERE ${today} AND ${mine}), 0)::float8 AS user_bytes,
           coalesce(sum(char_length(tts_text)) FILTER (WHERE ${today} AND ${mine}), 0)::float8 AS user_chars,
           count(*) FILTER (WHERE status = 'processing' AND ${inScope})::int AS scope_queued,
           coalesce(sum(source_bytes) FILTER (WHERE ${today} AND ${inScope}), 0)::float8 AS scope_bytes,
           coalesce(sum(char_length(tts_text)) FILTER (WHERE ${today} AND ${inScope}), 0)::float8 AS scope_chars
      FROM media
     WHERE ${mine} OR ${inScope}`;
  return {
    user: { queued: row.user_queued, bytesToday: row.user_bytes, charsToday: row.user_chars },
    scope: { queued: row.scope_queued, bytesToday: row.scope_bytes, charsToday: row.scope_chars },
  };
}
