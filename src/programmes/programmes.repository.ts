import { Injectable } from '@nestjs/common';
import type { Media } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinSubtree } from '../regions/regions.repository';
import type { ProgrammeWithSegments } from './programmes.dto';

const WITH_SEGMENTS = { segments: { orderBy: { position: 'asc' }, include: { media: true } } } as const;

@Injectable()
export class ProgrammesRepository {
  constructor(private readonly prisma: PrismaService) {}

  mediaByIds(ids: string[]): Promise<Media[]> {
    return this.prisma.media.findMany({ where: { id: { in: ids } } });
  }

  create(programme: {
    title: string;
    category: ProgrammeWithSegments['category'];
    regionCode: string | null;
    durationMs: number;
    createdById: string;
    mediaIds: string[];
  }): Promise<ProgrammeWithSegments> {
    const { mediaIds, ...fields } = programme;
    return this.prisma.programme.create({
      data: { ...fields, segments: { create: mediaIds.map((mediaId, position) => ({ mediaId, position })) } },
      include: WITH_SEGMENTS,
    });
  }

  /** Removes a programme nothing was ever scheduled with (its segments go with it). */
  async removeUnscheduled(id: string): Promise<void> {
    await this.prisma.programme.deleteMany({ where: { id, broadcasts: { none: {} } } });
  }

  find(id: string): Promise<ProgrammeWithSegments | null> {
    return this.prisma.programme.findUnique({ where: { id }, include: WITH_SEGMENTS });
  }

  regionOf(id: string): Promise<{ regionCode: string | null } | null> {
    return this.prisma.programme.findUnique({ where: { id }, select: { regionCode: true } });
  }

  list(scopeCode: string | null, page: { limit: number; after?: string }): Promise<ProgrammeWithSegments[]> {
    return this.prisma.programme.findMany({
      where: scopeCode === null ? {} : { region: withinSubtree(scopeCode) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.after ? { cursor: { id: page.after }, skip: 1 } : {}),
      include: WITH_SEGMENTS,
    });
  }
}
