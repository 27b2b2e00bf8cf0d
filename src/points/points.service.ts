import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import type { Prisma } from '../generated/prisma/client';
import { Transactions } from '../infra/database/transactions';
import type { Parsed } from '../infra/http/validation';
import type { PointsPayload } from '../ledger/domain/entries';
import type { LedgerDraft } from '../ledger/ledger.repository';
import { LedgerService } from '../ledger/ledger.service';
import { DEFAULT_POINTS_PER_HOUR, pointsFor } from './domain/points';
import { PointsQuery, RedeemBody } from './points.dto';
import { Holder, PointsRepository } from './points.repository';

const POINTS_RATE = 'A points rate is a county’s';

export interface HoursWorked {
  holder: Holder;
  name: string;
  /** The holder's home region (balances are listed by it). */
  homeRegionCode: string;
  minutes: number;
  reason: string;
  sessionId: string;
}

/** Points spent: on what, by whom, and (at a catalogue's counter) for which item. */
export interface Spending {
  holder: Holder;
  name: string;
  /** The holder's home region: the ledger entry is placed there. */
  homeRegionCode: string;
  points: number;
  reason: string;
  actorId: string;
  item?: NonNullable<PointsPayload['item']>;
}

/** Points earned by hours and spent by redemption; every change is a ledger entry in the same transaction. */
@Injectable()
export class PointsService {
  constructor(
    private readonly points: PointsRepository,
    private readonly ledger: LedgerService,
    private readonly transactions: Transactions,
    private readonly access: AccessRegistry,
  ) {}

  async rate(countyCode: string): Promise<{ countyCode: string; pointsPerHour: number; isDefault: boolean }> {
    const set = await this.points.rate(countyCode);
    return { countyCode, pointsPerHour: set ?? DEFAULT_POINTS_PER_HOUR, isDefault: set === null };
  }

  /** A county's rate, for anyone working in the county. */
  async countyRate(actor: UserPrincipal, countyCode: string) {
    await this.access.requireCounty(countyCode, POINTS_RATE);
    if (!(await this.access.related(actor.scopeCode, countyCode)))
      throw new ForbiddenException(`County ${countyCode} is not one you work in (${actor.scopeCode})`);
    return this.rate(countyCode);
  }

  async setRate(countyCode: string, pointsPerHour: number) {
    await this.access.requireCounty(countyCode, POINTS_RATE);
    await this.points.setRate(countyCode, pointsPerHour);
    return this.rate(countyCode);
  }

  /**
   * Credits hours at the county's rate inside the caller's transaction and
   * answers the ledger entries that record it, for the caller to append with
   * the rest of what it records. Holders are credited in a fixed order, so
   * two transactions crediting the same people cannot deadlock.
   */
  async award(
    tx: Prisma.TransactionClient,
    countyCode: string,
    actorId: string | null,
    occurredAt: Date,
    worked: HoursWorked[],
  ): Promise<LedgerDraft[]> {
    const { pointsPerHour } = await this.rate(countyCode);
    const drafts: LedgerDraft[] = [];
    for (const work of [...worked].sort((a, b) =>
      `${a.holder.type}:${a.holder.id}`.localeCompare(`${b.holder.type}:${b.holder.id}`),
    )) {
      const points = pointsFor(work.minutes, pointsPerHour);
      if (points === 0) continue;
      const place = await this.access.region(work.homeRegionCode);
      const balance = await this.points.add(
        tx,
        work.holder,
        { regionCode: work.homeRegionCode, countyCode: place!.countyCode, townshipCode: place!.townshipCode },
        points,
      );
      const payload: PointsPayload = {
        holderType: work.holder.type,
        holderId: work.holder.id,
        holderName: work.name,
        points,
        balance,
        reason: work.reason,
        minutes: work.minutes,
        sessionId: work.sessionId,
      };
      drafts.push({
        kind: 'points_awarded',
        actorId,
        regionCode: work.homeRegionCode,
        occurredAt,
        subject: `${work.holder.type}:${work.holder.id}`,
        payload,
      });
    }
    return drafts;
  }

  /** Spends points; a balance never goes below zero (409), and the redemption is a ledger entry. */
  async redeem(actor: UserPrincipal, body: Parsed<typeof RedeemBody>) {
    const holder: Holder = { type: body.holderType, id: body.holderId };
    const place = await this.points.place(holder);
    if (!place) throw new NotFoundException(`${holder.type} ${holder.id} not found`);
    if (!(await this.access.reaches(actor.scopeCode, place.regionCode)))
      throw new ForbiddenException(`${holder.type} ${holder.id} is outside your scope (${actor.scopeCode})`);
    const name = (await this.points.names([holder])).get(`${holder.type}:${holder.id}`) ?? '';
    const spent = await this.transactions.run((tx) =>
      this.spend(tx, {
        holder,
        name,
        homeRegionCode: place.regionCode,
        points: body.points,
        reason: body.reason,
        actorId: actor.id,
      }),
    );
    return { balance: await this.balanceOf(holder), ledgerSeq: spent.ledgerSeq };
  }

  /**
   * Spends points inside the caller's transaction and records it in the
   * ledger there: the balance left and the entry's seq. Too few points is a
   * 409 thrown inside the transaction, so whatever else the caller changed
   * in it (a catalogue's stock) rolls back with it.
   */
  async spend(tx: Prisma.TransactionClient, spending: Spending): Promise<{ balance: number; ledgerSeq: string }> {
    const { holder, name, points } = spending;
    const balance = await this.points.take(tx, holder, points);
    if (balance === null) {
      const held = (await this.points.balance(holder))?.points ?? 0;
      throw new ConflictException(`${name || holder.id} holds ${held} points; ${points} cannot be redeemed`);
    }
    const payload: PointsPayload = {
      holderType: holder.type,
      holderId: holder.id,
      holderName: name,
      points: -points,
      balance,
      reason: spending.reason,
      minutes: null,
      sessionId: null,
      ...(spending.item ? { item: spending.item } : {}),
    };
    const [entry] = await this.ledger.append(tx, [
      {
        kind: 'points_redeemed',
        actorId: spending.actorId,
        regionCode: spending.homeRegionCode,
        occurredAt: new Date(),
        subject: `${holder.type}:${holder.id}`,
        payload,
      },
    ]);
    return { balance, ledgerSeq: entry.seq.toString() };
  }

  async balanceOf(holder: Holder) {
    const row = await this.points.balance(holder);
    const names = await this.points.names([holder]);
    const place = row ?? (await this.points.place(holder));
    if (!place) throw new NotFoundException(`${holder.type} ${holder.id} not found`);
    return {
      holderType: holder.type,
      holderId: holder.id,
      name: names.get(`${holder.type}:${holder.id}`) ?? null,
      regionCode: place.regionCode,
      points: row?.points ?? 0,
      earned: row?.earned ?? 0,
    };
  }

  async list(actor: UserPrincipal, query: Parsed<typeof PointsQuery>) {
    const rows = await this.points.list(query.region ?? actor.scopeCode, query.limit, query.after);
    const names = await this.points.names(rows.map((row) => ({ type: row.holderType, id: row.holderId })));
    return {
      items: rows.map((row) => ({
        holderType: row.holderType,
        holderId: row.holderId,
        name: names.get(`${row.holderType}:${row.holderId}`) ?? null,
        regionCode: row.regionCode,
        points: row.points,
        earned: row.earned,
      })),
      nextCursor: rows.length === query.limit ? rows[rows.length - 1].holderId : null,
    };
  }
}
