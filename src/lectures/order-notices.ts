import { Inject, Injectable } from '@nestjs/common';
import type { LectureOrder } from '../generated/prisma/client';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { countyIso } from '../kernel/county-time';
import { Notices } from '../notifications/notices';
import { DELIVER_WITHIN_HOURS } from './domain/order-flow';
import { OrdersRepository } from './orders.repository';

/** Tells the dispatchers of a region of orders about to miss their deadline, and of orders sent back to them. */
@Injectable()
export class OrderNotices {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orders: OrdersRepository,
    private readonly notices: Notices,
  ) {}

  /** Orders whose 72-hour deadline is closer than the warning: one notice per order and deadline. Answers how many. */
  async warnNearDeadline(now: Date): Promise<number> {
    const soon = new Date(now.getTime() + this.config.notifications.orderDeadlineWarningHours * 3600_000);
    let warned = 0;
    for (const order of await this.orders.deliveryDueBetween(now, soon)) {
      const raised = await this.notices.raise({
        kind: 'order_deadline',
        regionCode: order.regionCode,
        dedupKey: `order-deadline:${order.id}:${order.deliverBy!.toISOString()}`,
        title: `点单将超 ${DELIVER_WITHIN_HOURS} 小时时限：${order.topic.title}`,
        body: `${order.region.name}的点单「${order.topic.title}」须在 ${countyIso(order.deliverBy!).slice(0, 16).replace('T', ' ')} 前送达，目前${order.status === 'accepted' ? '已接单未送达' : '尚无人接单'}。`,
        link: '/orders',
        details: { orderId: order.id },
      });
      if (raised) warned++;
    }
    return warned;
  }

  /** An order the escalation job sent back to its dispatcher (one notice per escalation). */
  async escalated(order: LectureOrder, reason: string): Promise<void> {
    const detail = await this.orders.describe(order.id);
    await this.notices.raise({
      kind: 'order_escalated',
      regionCode: order.regionCode,
      dedupKey: `order-escalated:${order.id}:${order.escalations + 1}`,
      title: `点单超时退回：${detail.topic.title}`,
      body: `${detail.region.name}的点单「${detail.topic.title}」${reason.startsWith('not accepted') ? '未在时限内接单' : `未在 ${DELIVER_WITHIN_HOURS} 小时内送达`}，已退回派单人，请重新派单。`,
      link: '/orders',
      details: { orderId: order.id, reason },
    });
  }
}
