import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal, VolunteerPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import type { Prisma } from '../generated/prisma/client';
import { Transactions } from '../infra/database/transactions';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { LedgerService } from '../ledger/ledger.service';
import { keepsCatalogue, moveStock } from './domain/catalogue';
import { CreateItemBody, ItemsQuery, UpdateItemBody } from './redemptions.dto';
import { ItemRow, RedemptionsRepository } from './redemptions.repository';

/**
 * A county's or township's catalogue of goods and services for points
 * (积分兑换). Every stock or price an operator sets is a goods_stocked
 * ledger entry written in the same transaction as the change.
 */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly items: RedemptionsRepository,
    private readonly ledger: LedgerService,
    private readonly transactions: Transactions,
    private readonly access: AccessRegistry,
  ) {}

  async list(actor: UserPrincipal, query: Parsed<typeof ItemsQuery>) {
    return { items: (await this.items.list(query.region ?? actor.scopeCode, query.retired ?? false)).map(itemView) };
  }

  /** What the volunteer may redeem, and where: the items of their county's and their township's catalogues still on offer. */
  async offeredTo(volunteer: VolunteerPrincipal) {
    const village = (await this.access.region(volunteer.regionCode))!;
    const keepers = [village.countyCode, village.townshipCode].filter((code): code is string => code !== null);
    return { items: (await this.items.offeredTo(keepers)).map(itemView) };
  }

  async create(actor: UserPrincipal, body: Parsed<typeof CreateItemBody>) {
    const region = (await this.access.region(body.regionCode))!;
    if (!keepsCatalogue(region))
      throw badRequest(`A county or township keeps a points catalogue; ${body.regionCode} is a village`);
    try {
      return itemView(
        await this.transactions.run(async (tx) => {
          const item = await this.items.create(tx, {
            regionCode: region.code,
            countyCode: region.countyCode,
            townshipCode: region.townshipCode,
            name: body.name,
            description: body.description ?? null,
            pointsPrice: body.pointsPrice,
            stock: body.stock,
            createdById: actor.id,
          });
          await this.recordStock(tx, actor, item, body.stock);
          return item;
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictException(`${body.regionCode} has an item "${body.name}" already; change its stock instead`);
      throw error;
    }
  }

  /** Price, stock, description, retired: the stock moves under the item's lock, and with the price it is recorded. */
  async update(actor: UserPrincipal, id: string, body: Parsed<typeof UpdateItemBody>) {
    return itemView(
      await this.transactions.run(async (tx) => {
        const current = await this.items.lock(tx, id);
        if (!current) throw new NotFoundException(`redemption item ${id} not found`);
        const move =
          body.stock !== undefined
            ? moveStock(current.stock, { stock: body.stock })
            : body.stockChange !== undefined
              ? moveStock(current.stock, { stockChange: body.stockChange })
              : { stock: current.stock, change: 0 };
        if ('refusal' in move) throw new ConflictException(move.refusal);
        const item = await this.items.update(tx, id, {
          stock: move.stock,
          ...(body.pointsPrice !== undefined ? { pointsPrice: body.pointsPrice } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.retired !== undefined ? { retiredAt: body.retired ? new Date() : null } : {}),
        });
        if (move.change !== 0 || item.pointsPrice !== current.pointsPrice)
          await this.recordStock(tx, actor, item, move.change);
        return item;
      }),
    );
  }

  private async recordStock(tx: Prisma.TransactionClient, actor: UserPrincipal, item: ItemRow, change: number) {
    await this.ledger.append(tx, [
      {
        kind: 'goods_stocked',
        actorId: actor.id,
        regionCode: item.regionCode,
        occurredAt: new Date(),
        subject: `redemption-item:${item.id}`,
        payload: { itemId: item.id, name: item.name, change, stock: item.stock, pointsPrice: item.pointsPrice },
      },
    ]);
  }
}

export function itemView(item: ItemRow) {
  return {
    id: item.id,
    regionCode: item.regionCode,
    regionName: item.region.name,
    name: item.name,
    description: item.description,
    pointsPrice: item.pointsPrice,
    stock: item.stock,
    retiredAt: item.retiredAt?.toISOString() ?? null,
    createdAt: item.createdAt.toISOString(),
  };
}
