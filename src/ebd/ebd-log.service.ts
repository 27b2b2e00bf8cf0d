import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import type { Parsed } from '../infra/http/validation';
import { BRD_STATE_DESC, type BrdState } from './domain/codes';
import type { EbdMessageView, EbdPackageView, ListMessagesQuery, ListPackagesQuery } from './ebd.dto';

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** What a county exchanged with its upper platform, newest first, for the console's log. */
@Injectable()
export class EbdLogService {
  constructor(private readonly prisma: PrismaService) {}

  async packages(countyCode: string, query: Parsed<typeof ListPackagesQuery>): Promise<{ items: EbdPackageView[] }> {
    const rows = await this.prisma.ebdPackage.findMany({
      where: { countyCode, direction: query.direction, type: query.type },
      orderBy: { createdAt: 'desc' },
      take: query.limit,
      // The signed tar of a pending package can be large and is no one's business here.
      omit: { tar: true },
    });
    return {
      items: rows.map((row) => ({
        ebdId: row.ebdId,
        type: row.type,
        direction: row.direction,
        peerEbrid: row.peerEbrid,
        relatedEbdId: row.relatedEbdId,
        status: row.status,
        resultCode: row.resultCode,
        resultDesc: row.resultDesc,
        attempts: row.attempts,
        lastError: row.lastError,
        nextAttemptAt: iso(row.nextAttemptAt),
        sentAt: iso(row.sentAt),
        createdAt: row.createdAt.toISOString(),
        bytes: row.bytes,
      })),
    };
  }

  async messages(countyCode: string, query: Parsed<typeof ListMessagesQuery>): Promise<{ items: EbdMessageView[] }> {
    const rows = await this.prisma.ebdMessage.findMany({
      where: { countyCode },
      orderBy: { createdAt: 'desc' },
      take: query.limit,
      include: { emergency: { select: { id: true, title: true, status: true, level: true, drill: true } } },
    });
    return {
      items: rows.map((row) => ({
        ebmId: row.ebmId,
        direction: row.direction,
        msgType: row.msgType,
        emergency: row.emergency,
        reportedState: row.reportedState,
        reportedStateDesc: row.reportedState === null ? null : (BRD_STATE_DESC[row.reportedState as BrdState] ?? null),
        createdAt: row.createdAt.toISOString(),
      })),
    };
  }
}
