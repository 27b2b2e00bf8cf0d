import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { MediaStorage } from '../media/storage/media-storage';
import { ebm } from './domain/details';
import { eventOfCategory, msgTypeOf } from './domain/local-alert';
import { EbdLinksRepository } from './ebd-links.repository';
import { EbdOutbox, type OutgoingPackage } from './ebd-outbox';
import { EbdReportsRepository } from './ebd-reports.repository';

/**
 * Point 5 of issue 18: an alert approved in Dalaba goes up as an EBM of this
 * platform when the county reports its alerts (EbdLink.reportLocalAlerts),
 * its audio attached, and its state changes follow as for any message. The
 * sweep works from Postgres (approved, no EBM sent yet), so an approval made
 * while this process was down goes up when it is back.
 */
@Injectable()
export class LocalAlertsUp {
  constructor(
    private readonly media: MediaStorage,
    private readonly prisma: PrismaService,
    private readonly repository: EbdReportsRepository,
    private readonly links: EbdLinksRepository,
    private readonly outbox: EbdOutbox,
  ) {}

  async sweep(): Promise<void> {
    for (const alert of await this.repository.localAlertsToReport()) {
      const link = await this.links.find(alert.countyCode);
      if (!link) continue;
      const ebmId = await this.repository.ebmIdOf(link, alert.id, true);
      await this.repository.sendOnce(ebmId, link.countyCode, async () =>
        this.outbox.post(link, await this.ebmPackage(link, alert.id, ebmId)),
      );
    }
  }

  private async ebmPackage(link: EbdLink, alertId: string, ebmId: string): Promise<OutgoingPackage> {
    const alert = await this.prisma.emergency.findUniqueOrThrow({ where: { id: alertId }, include: { media: true } });
    const audio = alert.media.sha256 ? await this.rendition(alert.media.sha256) : null;
    return {
      type: 'EBM',
      detail: ebm({
        ebmId,
        msgType: msgTypeOf(alert.drill),
        senderName: link.name,
        senderCode: link.ebrid,
        sendTime: alert.approvedAt ?? new Date(),
        eventType: eventOfCategory(alert.category),
        severity: alert.level,
        startTime: alert.startsAt,
        endTime: alert.expiresAt,
        title: alert.title,
        // Spoken words when there are some; the title stands in for an uploaded recording's.
        description: alert.text ?? alert.title,
        areaCodes: alert.regionCodes,
        ...(audio ? { audio: { name: audio.name, size: audio.data.length, digest: audio.digest } } : {}),
      }),
      ...(audio ? { resources: [{ name: audio.name, data: audio.data }] } : {}),
    };
  }

  /** The alert's audio as it airs (the rendition, from the media storage), named and digested as the field attaches it. */
  private async rendition(sha256: string): Promise<{ name: string; data: Buffer; digest: string } | null> {
    const data = await this.media.readRendition(sha256);
    if (!data) return null;
    return { name: `EBDR_${sha256}.mp3`, data, digest: createHash('sm3').update(data).digest('hex') };
  }
}
