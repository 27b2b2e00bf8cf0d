import { Injectable } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';

/** Each county's docking with its upper platform, and the counters its IDs are made from. */
@Injectable()
export class EbdLinksRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(countyCode: string): Promise<EbdLink | null> {
    return this.prisma.ebdLink.findUnique({ where: { countyCode } });
  }

  /** The link whose platform a package is addressed to (DEST/EBRID). */
  findByEbrid(ebrid: string): Promise<EbdLink | null> {
    return this.prisma.ebdLink.findUnique({ where: { ebrid } });
  }

  /** The links an upper platform (SRC/EBRID) sends to: a package naming no DEST goes to the one, if only one. */
  listByUpper(upperEbrid: string): Promise<EbdLink[]> {
    return this.prisma.ebdLink.findMany({ where: { upperEbrid }, take: 2 });
  }

  listEnabled(): Promise<EbdLink[]> {
    return this.prisma.ebdLink.findMany({ where: { enabled: true }, orderBy: { countyCode: 'asc' } });
  }

  /** The next EBDID sequence of the county's platform: a row update, so two processes never take the same one. */
  async takeEbdSequence(countyCode: string): Promise<bigint> {
    const [row] = await this.prisma.$queryRaw<Array<{ ebd_sequence: bigint }>>`
      UPDATE ebd_link SET ebd_sequence = ebd_sequence + 1 WHERE county_code = ${countyCode} RETURNING ebd_sequence`;
    return row.ebd_sequence;
  }

  /** The next EBMID sequence of a Beijing date (yyyyMMdd): 1 on a new day. */
  async takeEbmSequence(countyCode: string, date: string): Promise<number> {
    const [row] = await this.prisma.$queryRaw<Array<{ ebm_sequence: number }>>`
      UPDATE ebd_link
      SET ebm_sequence = CASE WHEN ebm_date = ${date} THEN ebm_sequence + 1 ELSE 1 END, ebm_date = ${date}
      WHERE county_code = ${countyCode} RETURNING ebm_sequence`;
    return row.ebm_sequence;
  }

  /** What the last exchange with the upper platform said of the link: answered (up) or not, and why. */
  async recordLinkCheck(countyCode: string, at: Date, error: string | null): Promise<void> {
    await this.prisma.ebdLink.update({
      where: { countyCode },
      data:
        error === null
          ? { linkCheckedAt: at, linkUpAt: at, linkError: null }
          : { linkCheckedAt: at, linkError: error.slice(0, 500) },
    });
  }

  /**
   * Claims a periodic report of a county for this moment: true for the one
   * process (of however many) that finds it due, which then sends it.
   */
  async claimReport(countyCode: string, report: string, everySeconds: number, now: Date): Promise<boolean> {
    const due = new Date(now.getTime() - everySeconds * 1000).toISOString();
    const claimed = await this.prisma.$executeRaw`
      UPDATE ebd_link SET reported_at = jsonb_set(reported_at, ARRAY[${report}], to_jsonb(${now.toISOString()}::text))
      WHERE county_code = ${countyCode} AND enabled
        AND (reported_at->>${report} IS NULL OR (reported_at->>${report})::timestamptz <= ${due}::timestamptz)`;
    return claimed === 1;
  }
}
