import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { Transactions } from '../infra/database/transactions';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import type { RatingPayload } from '../ledger/domain/entries';
import { LedgerService } from '../ledger/ledger.service';
import { deadlines, deliveredOnTime, dutyRefusal, OrderAction, overdue, refusal } from './domain/order-flow';
import { DispatchOrderBody, OrdersQuery, PlaceOrderBody, RateOrderBody } from './lectures.dto';
import { OrderRow, OrdersRepository } from './orders.repository';
import { TeamsService } from './teams.service';
import { TopicsService } from './topics.service';

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
        topicId: body.topicId,
        regionCode: body.regionCode,
        countyCode: region.countyCode,
        notes: body.notes ?? null,
        orderedById: actor.id,
        orderedFor: body.onBehalfOf ?? null,
      }),
    );
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
    const now = new Date();
    await this.transactions.run(async (tx) => {
      if (
        !(await this.orders.move(
          order.id,
          ['delivered'],
          {
            status: 'rated',
            rating: body.rating,
            ratingComment: body.comment ?? null,
            ratedById: actor.id,
            ratedFor: body.onBehalfOf ?? null,
            ratedAt: now,
          },
          tx,
        ))
      )
        throw new ConflictException('the order changed meanwhile; look at it again');
      const payload: RatingPayload = {
        orderId: order.id,
        topicId: order.topicId,
        topicTitle: order.topic.title,
        teamId: order.teamId!,
        sessionId: order.session?.id ?? null,
        rating: body.rating,
        comment: body.comment ?? null,
        ratedFor: body.onBehalfOf ?? null,
        onTime: deliveredOnTime(order.deliveredAt!, order.deliverBy),
      };
      await this.ledger.append(tx, [
        {
          kind: 'rating',
          actorId: actor.id,
          regionCode: order.regionCode,
          occurredAt: now,
          subject: `order:${order.id}`,
          payload,
          dedupeKey: `rating:${order.id}`,
        },
      ]);
    });
    return this.get(id);
  }

  async cancel(actor: UserPrincipal, id: string) {
    const order = await this.require(id);
    this.allow(order, 'cancel');
    await this.moveOrRefuse(order, 'cancel', { status: 'cancelled' });
    return this.get(id);
  }

  async get(id: string) {
    return orderView(await this.require(id));
  }

  async list(actor: UserPrincipal, query: Parsed<typeof OrdersQuery>) {
    return {
      items: (
        await this.orders.list({ scopeCode: query.region ?? actor.scopeCode, status: query.status }, query.limit)
      ).map(orderView),
    };
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
