import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { LectureOrder, OrderSource, OrderStatus, Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinSubtree } from '../regions/regions.repository';

const ORDER_INCLUDE = {
  topic: { select: { title: true, category: true } },
  session: { select: { id: true } },
  team: { select: { name: true } },
  region: { select: { name: true } },
} as const;
export type OrderRow = Prisma.LectureOrderGetPayload<{ include: typeof ORDER_INCLUDE }>;

export interface NewOrder {
  topicId: string;
  regionCode: string;
  countyCode: string;
  notes: string | null;
  source: OrderSource;
  orderedById: string | null;
  orderedFor: string | null;
  contactPhone: string | null;
}

/** Village lecture orders (the four-order flow). */
@Injectable()
export class OrdersRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(order: NewOrder): Promise<OrderRow> {
    return this.prisma.lectureOrder.create({ data: order, include: ORDER_INCLUDE });
  }

  /**
   * Creates a villager's order unless its village has `cap` of them placed
   * since `since` already (null then). The village's orders are counted under
   * a lock of its own, so two at once cannot both pass the cap.
   */
  createCapped(order: NewOrder, cap: number, since: Date): Promise<OrderRow | null> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`villager-orders:${order.regionCode}`}))`;
      const placed = await tx.lectureOrder.count({
        where: { regionCode: order.regionCode, source: order.source, orderedAt: { gte: since } },
      });
      if (placed >= cap) return null;
      return tx.lectureOrder.create({ data: order, include: ORDER_INCLUDE });
    });
  }

  findByRateToken(rateToken: string): Promise<OrderRow | null> {
    return this.prisma.lectureOrder.findUnique({ where: { rateToken }, include: ORDER_INCLUDE });
  }

  find(id: string): Promise<OrderRow | null> {
    return this.prisma.lectureOrder.findUnique({ where: { id }, include: ORDER_INCLUDE });
  }

  regionOf(id: string): Promise<{ regionCode: string } | null> {
    return this.prisma.lectureOrder.findUnique({ where: { id }, select: { regionCode: true } });
  }

  /** `teamIds`: only orders dispatched to one of these teams. */
  list(
    filter: { scopeCode: string | null; status?: OrderStatus; teamIds?: string[] },
    limit: number,
  ): Promise<OrderRow[]> {
    return this.prisma.lectureOrder.findMany({
      where: {
        ...(filter.scopeCode ? { region: withinSubtree(filter.scopeCode) } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.teamIds ? { teamId: { in: filter.teamIds } } : {}),
      },
      include: ORDER_INCLUDE,
      orderBy: { orderedAt: 'desc' },
      take: limit,
    });
  }

  /** Moves an order on if it is still in one of `from`; false when it was not (it changed meanwhile). */
  async move(
    id: string,
    from: OrderStatus[],
    change: Prisma.LectureOrderUncheckedUpdateManyInput & { status: OrderStatus },
    tx: Prisma.TransactionClient = this.prisma,
  ): Promise<boolean> {
    const { count } = await tx.lectureOrder.updateMany({ where: { id, status: { in: from } }, data: change });
    return count === 1;
  }

  /**
   * Delivered by a session of the team the order is with (accepted, or late and
   * escalated); false otherwise. It gets the secret of its one-time rating link.
   */
  async deliver(tx: Prisma.TransactionClient, id: string, teamId: string | null, deliveredAt: Date): Promise<boolean> {
    if (!teamId) return false;
    const { count } = await tx.lectureOrder.updateMany({
      where: { id, teamId, status: { in: ['accepted', 'escalated'] } },
      data: { status: 'delivered', deliveredAt, rateToken: randomBytes(16).toString('base64url') },
    });
    return count === 1;
  }

  /** A re-dispatched order is the new team's to deliver: a planned session of the old team lets go of it. */
  async releaseSessions(tx: Prisma.TransactionClient, id: string): Promise<void> {
    await tx.lectureSession.updateMany({ where: { orderId: id, status: 'planned' }, data: { orderId: null } });
  }

  /** Per team, the orders it holds open (dispatched to it or accepted, not yet delivered): its load, for dispatch. */
  async openByTeam(teamIds: string[]): Promise<Map<string, number>> {
    const rows = await this.prisma.lectureOrder.groupBy({
      by: ['teamId'],
      where: { teamId: { in: teamIds }, status: { in: ['dispatched', 'accepted'] } },
      _count: true,
    });
    return new Map(rows.map((row) => [row.teamId!, row._count]));
  }

  /** Orders whose acceptance or delivery deadline has passed while they wait for it. */
  overdue(now: Date): Promise<LectureOrder[]> {
    return this.prisma.lectureOrder.findMany({
      where: {
        OR: [
          { status: 'dispatched', acceptBy: { lte: now } },
          { status: { in: ['dispatched', 'accepted'] }, deliverBy: { lte: now } },
        ],
      },
    });
  }

  /** Orders still to be delivered whose delivery deadline falls in [from, to), with their topic and region. */
  deliveryDueBetween(from: Date, to: Date) {
    return this.prisma.lectureOrder.findMany({
      where: { status: { in: ['dispatched', 'accepted'] }, deliverBy: { gt: from, lte: to } },
      include: { topic: { select: { title: true } }, region: { select: { name: true } } },
    });
  }

  /** An order's topic title and region name, as a notice names them. */
  describe(id: string) {
    return this.prisma.lectureOrder.findUniqueOrThrow({
      where: { id },
      select: { topic: { select: { title: true } }, region: { select: { name: true } } },
    });
  }

  /** Four-order figures of a region's subtree for orders placed in a period. */
  figures(scopeCode: string, from: Date, to: Date) {
    return this.prisma.lectureOrder.findMany({
      where: { orderedAt: { gte: from, lt: to }, region: withinSubtree(scopeCode) },
      select: {
        regionCode: true,
        status: true,
        rating: true,
        dispatchedAt: true,
        acceptedAt: true,
        deliveredAt: true,
        deliverBy: true,
        escalations: true,
      },
    });
  }
}
