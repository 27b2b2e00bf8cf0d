import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { Transactions } from '../infra/database/transactions';
import { badRequest, TooManyRequests } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import type { RatingPayload } from '../ledger/domain/entries';
import { can } from '../auth/domain/permissions';
import type { OrderRating as Rating } from '../generated/prisma/client';
import { addDays, countyDate, countyInstant } from '../kernel/county-time';
import type { RegionPath } from '../kernel/region';
import { maskPhone } from '../kernel/phone';
import { LedgerService } from '../ledger/ledger.service';
import { deadlines, deliveredOnTime, dutyRefusal, OrderAction, overdue, refusal } from './domain/order-flow';
import { DispatchOrderBody, OrdersQuery, PlaceOrderBody, RateOrderBody } from './lectures.dto';
import { OrderNotices } from './order-notices';
import { OrderRow, OrdersRepository } from './orders.repository';
import { TeamsService } from './teams.service';
import { TopicsService } from './topics.service';

const ALREADY_RATED = 'This order has been rated already; a rating link works once';

/** A villager's order from their village's poster (checked by the public route). */
export interface VillagerOrder {
  topicId: string;
  notes?: string;
  /** A mainland mobile number, to be called back on. */
  phone?: string;
}

/**
 * The four-order flow: a village orders a topic (点单), a county or township
 * operator dispatches it to a team (派单), a member of the team accepts it
 * (接单) and delivers it as a session within 72 hours, and the villager's
 * rating (评单) goes into the ledger. Late orders go back to the dispatcher.
 */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger('LectureOrders');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly topics: TopicsService,
    private readonly teams: TeamsService,
    private readonly ledger: LedgerService,
    private readonly transactions: Transactions,
    private readonly access: AccessRegistry,
    private readonly notices: OrderNotices,
  ) {}

  async place(actor: UserPrincipal, body: Parsed<typeof PlaceOrderBody>) {
    const region = await this.access.region(body.regionCode);
    if (!region) throw new NotFoundException(`Region ${body.regionCode} not found`);
    if (region.countyCode === body.regionCode || region.townshipCode === body.regionCode)
      throw badRequest(
        `A village orders a lecture; ${body.regionCode} is a ${region.countyCode === body.regionCode ? 'county' : 'township'}`,
      );
    await this.topics.requireOnMenu(body.topicId, region.countyCode);
    return orderView(
      await this.orders.create({
        ...this.newOrder(region, body.topicId, body.notes),
        source: 'operator',
        orderedById: actor.id,
        orderedFor: body.onBehalfOf ?? null,
      }),
    );
  }

  /**
   * A villager's own order, from their village's poster: no account, a
   * contact number kept until the order is rated or cancelled, and at most
   * `dailyCap` such orders a county day per village (429 past it).
   */
  async placeForVillager(village: RegionPath, order: VillagerOrder, dailyCap: number) {
    await this.topics.requireOnMenu(order.topicId, village.countyCode);
    const now = new Date();
    const today = countyDate(now);
    const placed = await this.orders.createCapped(
      {
        ...this.newOrder(village, order.topicId, order.notes),
        source: 'villager',
        orderedById: null,
        orderedFor: null,
        contactPhone: order.phone ?? null,
      },
      dailyCap,
      countyInstant(today, 0),
    );
    if (!placed) {
      const seconds = Math.ceil((countyInstant(addDays(today, 1), 0).getTime() - now.getTime()) / 1000);
      throw new TooManyRequests(
        `This village has placed its ${dailyCap} orders for today already; order again tomorrow`,
        seconds,
      );
    }
    return orderView(placed);
  }

  private newOrder(village: RegionPath, topicId: string, notes: string | undefined) {
    return {
      topicId,
      regionCode: village.code,
      countyCode: village.countyCode,
      notes: notes ?? null,
      contactPhone: null,
    };
  }

  async dispatch(actor: UserPrincipal, id: string, body: Parsed<typeof DispatchOrderBody>) {
    const order = await this.require(id);
    this.allow(order, 'dispatch');
    if (actor.scopeCode !== null && actor.scopeCode === order.regionCode)
      throw new ForbiddenException('The county or township dispatches an order, not the village that placed it');
    this.separateDuties(order, 'dispatch', actor);
    const team = await this.teams.require(body.teamId);
    if (!(await this.access.reaches(team.regionCode, order.regionCode)))
      throw badRequest(`Team "${team.name}" works in ${team.regionCode}, not in ${order.regionCode}`);
    const now = new Date();
    await this.transactions.run(async (tx) => {
      const change = {
        status: 'dispatched' as const,
        teamId: team.id,
        dispatchedById: actor.id,
        dispatchedAt: now,
        ...deadlines(now),
        acceptedById: null,
        acceptedAt: null,
        escalatedAt: null,
        escalationReason: null,
      };
      if (!(await this.orders.move(order.id, [order.status], change, tx)))
        throw new ConflictException('the order changed meanwhile; look at it again');
      // Sent out again: the team it was with no longer delivers it with a session it planned.
      if (order.status === 'escalated') await this.orders.releaseSessions(tx, order.id);
    });
    return this.get(id);
  }

  /** A member of the team it was dispatched to takes it on. */
  async accept(actor: UserPrincipal, id: string) {
    const order = await this.require(id);
    this.allow(order, 'accept');
    if (!(await this.teams.isMember(order.teamId!, actor.id)))
      throw new ForbiddenException('Only a member of the team it was dispatched to accepts an order');
    await this.moveOrRefuse(order, 'accept', { status: 'accepted', acceptedById: actor.id, acceptedAt: new Date() });
    return this.get(id);
  }

  /** The villager's rating, entered for them by their village: the order is done, and the rating is in the ledger. */
  async rate(actor: UserPrincipal, id: string, body: Parsed<typeof RateOrderBody>) {
    const order = await this.require(id);
    this.allow(order, 'rate');
    this.separateDuties(order, 'rate', actor);
    await this.recordRating(order, actor.id, { ...body, ratedFor: body.onBehalfOf ?? null, source: 'operator' });
    return this.get(id);
  }

  /** The rating link (评单) a member of the team shows the villagers at the end of the session, as a QR code. */
  async ratingLink(actor: UserPrincipal, id: string) {
    const order = await this.require(id);
    const operator = can(actor.role, 'orders.place');
    if (!operator && !(order.teamId && (await this.teams.isMember(order.teamId, actor.id))))
      throw new ForbiddenException(
        'Only a member of the team that delivered it, or an operator, shows its rating link',
      );
    if (order.status === 'rated') throw new ConflictException(ALREADY_RATED);
    if (order.status !== 'delivered' || !order.rateToken)
      throw new ConflictException(`A rating link exists once the order is delivered; it is ${order.status}`);
    return { url: `/v/rate/${order.rateToken}`, token: order.rateToken };
  }

  /** What a rating link is about, for the villager who opened it: nothing personal. */
  async ratingOf(token: string) {
    const order = await this.requireRateToken(token);
    const team = order.teamId ? await this.teams.require(order.teamId) : null;
    return {
      topicTitle: order.topic.title,
      regionCode: order.regionCode,
      deliveredAt: order.deliveredAt?.toISOString() ?? null,
      teamName: team?.name ?? null,
      rated: order.status === 'rated',
    };
  }

  /** The villager's own rating through the one-time link: the link is spent, a second rating is refused (409). */
  async rateByLink(token: string, rating: { rating: Rating; comment?: string }) {
    const order = await this.requireRateToken(token);
    if (order.status === 'rated') throw new ConflictException(ALREADY_RATED);
    this.allow(order, 'rate');
    await this.recordRating(order, null, { ...rating, ratedFor: null, source: 'villager' });
  }

  /** The order becomes rated (unless it changed meanwhile: 409) and the rating goes into the ledger, together. */
  private async recordRating(
    order: OrderRow,
    actorId: string | null,
    rated: { rating: Rating; comment?: string; ratedFor: string | null; source: 'villager' | 'operator' },
  ): Promise<void> {
    const now = new Date();
    await this.transactions.run(async (tx) => {
      const change = {
        status: 'rated' as const,
        rating: rated.rating,
        ratingComment: rated.comment ?? null,
        ratedById: actorId,
        ratedFor: rated.ratedFor,
        ratedAt: now,
        // Rated: nobody needs to call the villager back any more.
        contactPhone: null,
      };
      if (!(await this.orders.move(order.id, ['delivered'], change, tx)))
        throw new ConflictException('the order changed meanwhile; look at it again');
      const payload: RatingPayload = {
        orderId: order.id,
        topicId: order.topicId,
        topicTitle: order.topic.title,
        teamId: order.teamId!,
        sessionId: order.session?.id ?? null,
        rating: rated.rating,
        comment: rated.comment ?? null,
        ratedFor: rated.ratedFor,
        source: rated.source,
        onTime: deliveredOnTime(order.deliveredAt!, order.deliverBy),
      };
      await this.ledger.append(tx, [
        {
          kind: 'rating',
          actorId,
          regionCode: order.regionCode,
          occurredAt: now,
          subject: `order:${order.id}`,
          payload,
          dedupeKey: `rating:${order.id}`,
        },
      ]);
    });
  }

  async cancel(actor: UserPrincipal, id: string) {
    const order = await this.require(id);
    this.allow(order, 'cancel');
    await this.moveOrRefuse(order, 'cancel', { status: 'cancelled', contactPhone: null });
    return this.get(id);
  }

  async get(id: string) {
    return orderView(await this.require(id));
  }

  /** Orders in the caller's scope (or the region asked for); `mine`: only those dispatched to the caller's teams. */
  async list(actor: UserPrincipal, query: Parsed<typeof OrdersQuery>) {
    const teamIds = query.mine ? await this.teams.teamsOf(actor.id) : undefined;
    const rows = await this.orders.list(
      { scopeCode: query.region ?? actor.scopeCode, status: query.status, teamIds },
      query.limit,
    );
    return { items: rows.map(orderView) };
  }

  /** Orders past their deadline go back to the dispatcher (escalated), who may dispatch them again. Answers how many. */
  async escalateOverdue(now = new Date()): Promise<number> {
    let escalated = 0;
    for (const order of await this.orders.overdue(now)) {
      const reason = overdue(order, now);
      if (!reason) continue;
      const moved = await this.orders.move(order.id, [order.status], {
        status: 'escalated',
        escalatedAt: now,
        escalationReason: reason,
        escalations: { increment: 1 },
      });
      if (moved) {
        escalated++;
        await this.notices.escalated(order, reason);
        this.logger.warn(
          `order ${order.id} of ${order.regionCode} back with its dispatcher ${order.dispatchedById}: ${reason}`,
        );
      }
    }
    return escalated;
  }

  private allow(order: OrderRow, action: OrderAction): void {
    const refused = refusal(order.status, action);
    if (refused) throw new ConflictException(refused);
  }

  private separateDuties(order: OrderRow, action: 'dispatch' | 'rate', actor: UserPrincipal): void {
    const refused = dutyRefusal(order, action, actor.id);
    if (refused) throw new ConflictException(refused);
  }

  private async moveOrRefuse(
    order: OrderRow,
    action: OrderAction,
    change: Parameters<OrdersRepository['move']>[2],
  ): Promise<void> {
    if (!(await this.orders.move(order.id, [order.status], change)))
      throw new ConflictException(`the order changed meanwhile and cannot be ${action}ed now; look at it again`);
  }

  private async requireRateToken(token: string): Promise<OrderRow> {
    const order = await this.orders.findByRateToken(token);
    if (!order) throw new NotFoundException('This rating link does not exist; check the QR code or the link');
    return order;
  }

  private async require(id: string): Promise<OrderRow> {
    const order = await this.orders.find(id);
    if (!order) throw new NotFoundException(`order ${id} not found`);
    return order;
  }
}

export function orderView(order: OrderRow) {
  const iso = (value: Date | null) => value?.toISOString() ?? null;
  return {
    id: order.id,
    topicId: order.topicId,
    topicTitle: order.topic.title,
    regionCode: order.regionCode,
    villageName: order.region.name,
    status: order.status,
    notes: order.notes,
    source: order.source,
    contactPhone: order.contactPhone === null ? null : maskPhone(order.contactPhone),
    orderedById: order.orderedById,
    orderedFor: order.orderedFor,
    orderedAt: order.orderedAt.toISOString(),
    teamId: order.teamId,
    teamName: order.team?.name ?? null,
    dispatchedById: order.dispatchedById,
    dispatchedAt: iso(order.dispatchedAt),
    acceptBy: iso(order.acceptBy),
    deliverBy: iso(order.deliverBy),
    acceptedAt: iso(order.acceptedAt),
    deliveredAt: iso(order.deliveredAt),
    sessionId: order.session?.id ?? null,
    rating: order.rating,
    ratedById: order.ratedById,
    ratedFor: order.ratedFor,
    ratedAt: iso(order.ratedAt),
    escalatedAt: iso(order.escalatedAt),
    escalationReason: order.escalationReason,
    escalations: order.escalations,
  };
}
