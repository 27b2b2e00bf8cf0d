import { Injectable, Logger } from '@nestjs/common';
import type { NotificationKind, Prisma } from '../generated/prisma/client';
import { unlessDuplicate } from '../infra/database/unique-violation';
import { PrismaService } from '../infra/database/prisma.service';
import { EventBus } from '../infra/redis/event-bus';

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
 * outbound deliveries are derived from it, so a lost bus message or a
 * crashed process loses nothing.
 */
@Injectable()
export class Notices {
  private readonly logger = new Logger('Notices');
  private readonly listeners: Array<(id: string) => Promise<void>> = [];

  constructor(
    private readonly prisma: PrismaService,
    private readonly bus: EventBus,
  ) {}

  /** Records the notice unless its key was raised before; the new row's id, or null for a repeat. */
  async raise(notice: Notice): Promise<string | null> {
    const row = await unlessDuplicate(
      this.prisma.notification.create({
        data: { ...notice, details: notice.details ?? {} },
        select: { id: true },
      }),
    );
    if (!row) return null;
    this.logger.log(`${notice.kind} ${notice.dedupKey}: ${notice.title}`);
    for (const listener of this.listeners) await listener(row.id);
    await this.bus.tell('notification', { id: row.id, kind: notice.kind, regionCode: notice.regionCode });
    return row.id;
  }

  /** Whether a notice with this key was raised already (for sweeps that would otherwise build one to find out). */
  async raised(dedupKey: string): Promise<boolean> {
    return (await this.prisma.notification.count({ where: { dedupKey } })) > 0;
  }

  /** Runs after each new notification is stored (the delivery outbox hooks in here). */
  onRaised(listener: (id: string) => Promise<void>): void {
    this.listeners.push(listener);
  }
}
