import { Injectable, Logger } from '@nestjs/common';
import type { NotificationKind, Prisma } from '../generated/prisma/client';
import { unlessDuplicate } from '../infra/database/unique-violation';
import { PrismaService } from '../infra/database/prisma.service';
import { RegionsRepository } from '../regions/regions.repository';
import { audienceOf } from './domain/rules';
import { NotificationsRepository } from './notifications.repository';
import { WebhookOutbox } from './webhook-outbox';

/** Something people must act on, as the feature that noticed it says it. */
export interface Notice {
  kind: NotificationKind;
  /** The region it concerns; rules of that region and of every region above it apply. */
  regionCode: string;
  /** Same key, same notification: raising it again changes nothing (de-duplication). */
  dedupKey: string;
  /** Short, in Chinese, as the console and an SMS show it. */
  title: string;
  body: string;
  /** Where in the console to act on it. */
  link?: string;
  details?: Prisma.InputJsonObject;
}

/**
 * The one door through which features raise notifications. The row in
 * Postgres is the notification: the console's list reads it, and the
 * outbound deliveries are derived from it, so a crashed process loses nothing.
 * The rules that apply are read once, here: they say who sees it in the
 * console (kept on the row as its audience) and which webhooks are told.
 */
@Injectable()
export class Notices {
  private readonly logger = new Logger('Notices');

  constructor(
    private readonly prisma: PrismaService,
    private readonly regions: RegionsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly outbox: WebhookOutbox,
  ) {}

  /** Records the notice unless its key was raised before; the new row's id, or null for a repeat. */
  async raise(notice: Notice): Promise<string | null> {
    if (await this.raised(notice.dedupKey)) return null;
    const place = await this.regions.findRef(notice.regionCode);
    if (!place) throw new Error(`notice ${notice.dedupKey} names no region (${notice.regionCode})`);
    const above = [...new Set([place.countyCode, place.townshipCode, place.code].filter((code) => code !== null))];
    const rules = await this.notifications.rulesFor(notice.kind, above);
    // The notification and its deliveries are written in one statement: no crash leaves one without the other.
    const row = await unlessDuplicate(
      this.prisma.notification.create({
        data: {
          ...notice,
          details: notice.details ?? {},
          audience: audienceOf(notice.kind, rules),
          deliveries: { create: await this.outbox.plan(notice.kind, rules, new Date()) },
        },
        select: { id: true, deliveries: { select: { id: true, attempts: true, status: true } } },
      }),
    );
    if (!row) return null;
    this.logger.log(`${notice.kind} ${notice.dedupKey}: ${notice.title}`);
    await this.outbox.queue(row.deliveries);
    return row.id;
  }

  /** Whether a notice with this key was raised already (for sweeps that would otherwise build one to find out). */
  async raised(dedupKey: string): Promise<boolean> {
    return (await this.prisma.notification.count({ where: { dedupKey } })) > 0;
  }
}
