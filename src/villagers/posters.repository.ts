import { Injectable } from '@nestjs/common';
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
}
