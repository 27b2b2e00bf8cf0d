import { Injectable } from '@nestjs/common';
import { Media, Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinSubtree } from '../regions/regions.repository';

export interface NewMedia {
  id: string;
  title: string;
  source: Media['source'];
  regionCode: string | null;
  createdById: string;
  sourceSha256?: string;
  ttsText?: string;
  ttsVoice?: string;
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

  async isProcessing(id: string): Promise<boolean> {
    return (await this.prisma.media.count({ where: { id, status: 'processing' } })) === 1;
  }

  /** Rows processing since before `before`: candidates for a job lost with Redis. */
  async processingSince(before: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.media.findMany({
      where: { status: 'processing', createdAt: { lt: before } },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }
}
