import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { VolunteerCodes } from '../auth/volunteer-codes';
import { Transactions } from '../infra/database/transactions';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { PointsService } from '../points/points.service';
import { redemptionReason, serves } from './domain/catalogue';
import { RedeemItemBody } from './redemptions.dto';
import { RedemptionsRepository } from './redemptions.repository';

const BAD_CODE =
  'The volunteer’s code is not valid or has expired (a code lasts 10 minutes): ask the volunteer to open their card again and scan the new one';

/**
 * The redemption counter: an operator scans the code on a volunteer's phone
 * and hands over an item; the stock and the volunteer's points change in one
 * transaction, with the ledger entry, or not at all.
 */
@Injectable()
export class CounterService {
  constructor(
    private readonly items: RedemptionsRepository,
    private readonly points: PointsService,
    private readonly codes: VolunteerCodes,
    private readonly transactions: Transactions,
    private readonly access: AccessRegistry,
  ) {}

  /** Who the code names, what they hold and what the redemption would cost; nothing changes. */
  async check(actor: UserPrincipal, body: Parsed<typeof RedeemItemBody>) {
    const { volunteer, item } = await this.prepare(actor, body);
    const points = item.pointsPrice * body.quantity;
    return {
      volunteer,
      item: { id: item.id, name: item.name, pointsPrice: item.pointsPrice, stock: item.stock },
      quantity: body.quantity,
      points,
      enoughPoints: volunteer.points >= points,
      enoughStock: item.stock >= body.quantity,
    };
  }

  async redeem(actor: UserPrincipal, body: Parsed<typeof RedeemItemBody>) {
    const { volunteer, item } = await this.prepare(actor, body);
    const done = await this.transactions.run(async (tx) => {
      // The stock first, under the item's lock: of two counters after the last one, the second waits here and finds none.
      const taken = await this.items.take(tx, item.id, body.quantity);
      if (!taken) {
        const now = await this.items.find(item.id);
        throw new ConflictException(
          now?.retiredAt
            ? `"${item.name}" was taken off the catalogue`
            : `only ${now?.stock ?? 0} of "${item.name}" left; ${body.quantity} cannot be redeemed`,
        );
      }
      const points = taken.pointsPrice * body.quantity;
      // Too few points throws here, and the stock taken above rolls back with it.
      const spent = await this.points.spend(tx, {
        holder: { type: 'volunteer', id: volunteer.id },
        name: volunteer.name,
        homeRegionCode: volunteer.regionCode,
        points,
        reason: redemptionReason(item.name, body.quantity),
        actorId: actor.id,
        item: { id: item.id, name: item.name, quantity: body.quantity, stockLeft: taken.stock },
      });
      return { points, stockLeft: taken.stock, ...spent };
    });
    return {
      volunteer: { id: volunteer.id, name: volunteer.name, regionCode: volunteer.regionCode },
      item: { id: item.id, name: item.name },
      quantity: body.quantity,
      points: done.points,
      pointsLeft: done.balance,
      stockLeft: done.stockLeft,
      ledgerSeq: done.ledgerSeq,
    };
  }

  /** The volunteer the code names and the item, once the code, the catalogue's region and the operator's scope allow it. */
  private async prepare(actor: UserPrincipal, body: Parsed<typeof RedeemItemBody>) {
    const volunteerId = this.codes.verify(body.volunteerCode);
    if (!volunteerId) throw badRequest(BAD_CODE, [{ path: 'body.volunteerCode', message: 'not valid or expired' }]);
    const item = await this.items.find(body.itemId);
    if (!item) throw new NotFoundException(`redemption item ${body.itemId} not found`);
    if (item.retiredAt) throw new ConflictException(`"${item.name}" was taken off the catalogue`);
    const balance = await this.points.balanceOf({ type: 'volunteer', id: volunteerId });
    const home = (await this.access.region(balance.regionCode))!;
    if (!serves(item.regionCode, home))
      throw new ForbiddenException(
        `${balance.name ?? volunteerId} is a volunteer of ${balance.regionCode}; "${item.name}" is offered to the volunteers of ${item.region.name} (${item.regionCode})`,
      );
    if (!(await this.access.reaches(actor.scopeCode, balance.regionCode)))
      throw new ForbiddenException(`${balance.name ?? volunteerId} is outside your scope (${actor.scopeCode})`);
    return {
      item,
      volunteer: { id: volunteerId, name: balance.name ?? '', regionCode: balance.regionCode, points: balance.points },
    };
  }
}
