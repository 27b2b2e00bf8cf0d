import { Injectable } from '@nestjs/common';
import type { VillagePoster } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';

/** The villages' poster codes (the QR code printed on each village's poster). */
@Injectable()
export class PostersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The village an open poster code belongs to; null for a code that is closed, replaced or never was. */
  async villageOf(
    code: string,
  ): Promise<{ code: string; name: string; countyCode: string; townshipCode: string | null } | null> {
    const poster = await this.prisma.villagePoster.findUnique({
      where: { code },
      select: {
        closedAt: true,
        region: { select: { code: true, name: true, countyCode: true, townshipCode: true } },
      },
    });
    return poster && !poster.closedAt ? poster.region : null;
  }

  find(regionCode: string): Promise<VillagePoster | null> {
    return this.prisma.villagePoster.findUnique({ where: { regionCode } });
  }

  /** Opens the village's poster with this code; an earlier code (open or closed) stops working. */
  open(regionCode: string, code: string, openedById: string): Promise<VillagePoster> {
    const fields = { code, openedById, openedAt: new Date(), closedAt: null };
    return this.prisma.villagePoster.upsert({
      where: { regionCode },
      create: { regionCode, ...fields },
      update: fields,
    });
  }

  /** Closes the village's open poster; null when it has none open. */
  async close(regionCode: string): Promise<VillagePoster | null> {
    const { count } = await this.prisma.villagePoster.updateMany({
      where: { regionCode, closedAt: null },
      data: { closedAt: new Date() },
    });
    return count ? this.find(regionCode) : null;
  }
}
