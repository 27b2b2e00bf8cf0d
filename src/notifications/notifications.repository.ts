import { Injectable } from '@nestjs/common';
import type { NotificationKind, Prisma, Role, WebhookDeliveryStatus } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinScope } from '../regions/regions.repository';

/** What a reader sees: the notifications of their scope whose audience holds their role. */
export interface Reader {
  id: string;
  role: Role;
  scopeCode: string | null;
}

const seenBy = (reader: Reader): Prisma.NotificationWhereInput => ({
  audience: { has: reader.role },
  region: withinScope(reader.scopeCode),
});

/** The only place that touches the notification tables. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The enabled rules of a kind set at any of these regions (a notification's region and those above it). */
  rulesFor(kind: NotificationKind, regionCodes: string[]) {
    return this.prisma.notificationRule.findMany({
      where: { kind, enabled: true, regionCode: { in: regionCodes } },
      orderBy: { createdAt: 'asc' },
    });
  }

  ruleRegionOf(id: string) {
    return this.prisma.notificationRule.findUnique({ where: { id }, select: { regionCode: true } });
  }

  webhookRegionOf(id: string) {
    return this.prisma.webhook.findUnique({ where: { id }, select: { regionCode: true } });
  }

  async page(reader: Reader, query: { unread: boolean; before?: Date; limit: number }) {
    const where: Prisma.NotificationWhereInput = {
      ...seenBy(reader),
      ...(query.unread ? { reads: { none: { userId: reader.id } } } : {}),
      ...(query.before ? { createdAt: { lt: query.before } } : {}),
    };
    const [rows, unread] = await Promise.all([
      this.prisma.notification.findMany({
        where,
        orderBy: { createdAt: 'desc' },
        take: query.limit,
        include: {
          region: { select: { name: true } },
          reads: { where: { userId: reader.id }, select: { readAt: true } },
        },
      }),
      this.unreadCount(reader),
    ]);
    return { rows, unread };
  }

  unreadCount(reader: Reader): Promise<number> {
    return this.prisma.notification.count({ where: { ...seenBy(reader), reads: { none: { userId: reader.id } } } });
  }

  /** Whether the reader sees this notification at all. */
  async sees(reader: Reader, id: string): Promise<boolean> {
    return (await this.prisma.notification.count({ where: { id, ...seenBy(reader) } })) > 0;
  }

  async markRead(reader: Reader, ids: string[] | 'all'): Promise<number> {
    const targets = await this.prisma.notification.findMany({
      where: {
        ...seenBy(reader),
        reads: { none: { userId: reader.id } },
        ...(ids === 'all' ? {} : { id: { in: ids } }),
      },
      select: { id: true },
    });
    const written = await this.prisma.notificationRead.createMany({
      data: targets.map(({ id }) => ({ userId: reader.id, notificationId: id })),
      skipDuplicates: true,
    });
    return written.count;
  }

  // ---- webhook outbox ----

  /** Deliveries of a rule sent alone (not held) since `since`, oldest first: the hourly cap counts them. */
  sentAloneSince(ruleId: string, since: Date) {
    return this.prisma.webhookDelivery.findMany({
      where: { ruleId, createdAt: { gte: since }, status: { notIn: ['held', 'digested'] } },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true },
    });
  }

  createDelivery(data: Prisma.WebhookDeliveryUncheckedCreateInput) {
    return this.prisma.webhookDelivery.create({ data, select: { id: true, attempts: true, status: true } });
  }

  due(now: Date, take: number) {
    return this.prisma.webhookDelivery.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: 'asc' },
      take,
      select: { id: true, attempts: true },
    });
  }

  /** Webhooks with held deliveries whose time has come. */
  async released(now: Date): Promise<string[]> {
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { status: 'held', releaseAt: { lte: now } },
      distinct: ['webhookId'],
      select: { webhookId: true },
    });
    return rows.map((row) => row.webhookId);
  }

  /**
   * Sends a webhook's released deliveries: one alone goes as it is, several
   * as one digest (a new row the held ones point at). In one transaction, so
   * two sweeping processes cannot both take them.
   */
  releaseHeld(webhookId: string, now: Date) {
    return this.prisma.$transaction(async (tx) => {
      const held = await tx.webhookDelivery.findMany({
        where: { webhookId, status: 'held', releaseAt: { lte: now } },
        select: { id: true },
      });
      if (held.length === 1)
        return tx.webhookDelivery.update({
          where: { id: held[0].id },
          data: { status: 'pending', nextAttemptAt: now },
          select: { id: true, attempts: true },
        });
      if (held.length === 0) return null;
      const digest = await tx.webhookDelivery.create({
        data: { webhookId, status: 'pending', nextAttemptAt: now },
        select: { id: true, attempts: true },
      });
      const taken = await tx.webhookDelivery.updateMany({
        where: { id: { in: held.map((row) => row.id) }, status: 'held' },
        data: { status: 'digested', digestId: digest.id },
      });
      // Another process released them first: this digest would be empty.
      if (taken.count !== held.length) throw new Error('held deliveries were released meanwhile');
      return digest;
    });
  }

  delivery(id: string) {
    return this.prisma.webhookDelivery.findUnique({
      where: { id },
      include: {
        webhook: true,
        notification: true,
        digested: { include: { notification: true }, orderBy: { createdAt: 'asc' } },
      },
    });
  }

  /** Forgets finished deliveries raised before `before` (the log is kept for a while, not for ever). */
  async pruneDeliveries(before: Date): Promise<void> {
    await this.prisma.webhookDelivery.deleteMany({
      where: { status: { in: ['delivered', 'digested', 'failed', 'given_up'] }, createdAt: { lt: before } },
    });
  }

  /** Records an attempt's outcome, only while the row is still pending (a late duplicate job changes nothing). */
  async recordAttempt(
    id: string,
    change: {
      status?: WebhookDeliveryStatus;
      attempts: number;
      nextAttemptAt?: Date;
      lastStatus: number | null;
      lastError: string | null;
      deliveredAt?: Date;
    },
  ): Promise<boolean> {
    const { count } = await this.prisma.webhookDelivery.updateMany({ where: { id, status: 'pending' }, data: change });
    return count === 1;
  }
}
