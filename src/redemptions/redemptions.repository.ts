import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { placedWithin } from '../regions/regions.repository';

const ITEM_INCLUDE = { region: { select: { name: true } } } as const;
export type ItemRow = Prisma.RedemptionItemGetPayload<{ include: typeof ITEM_INCLUDE }>;

/** The points catalogue's items; stock moves only inside a transaction that also writes the ledger. */
@Injectable()
export class RedemptionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(
    tx: Prisma.TransactionClient,
    item: Omit<Prisma.RedemptionItemUncheckedCreateInput, 'id' | 'createdAt' | 'retiredAt'>,
  ): Promise<ItemRow> {
    return tx.redemptionItem.create({ data: item, include: ITEM_INCLUDE });
  }

  find(id: string): Promise<ItemRow | null> {
    return this.prisma.redemptionItem.findUnique({ where: { id }, include: ITEM_INCLUDE });
  }

  regionOf(id: string): Promise<{ regionCode: string } | null> {
    return this.prisma.redemptionItem.findUnique({ where: { id }, select: { regionCode: true } });
  }

  list(scopeCode: string | null, retired: boolean): Promise<ItemRow[]> {
    return this.prisma.redemptionItem.findMany({
      where: { ...(scopeCode ? placedWithin(scopeCode) : {}), retiredAt: retired ? { not: null } : null },
      include: ITEM_INCLUDE,
      orderBy: [{ regionCode: 'asc' }, { name: 'asc' }],
    });
  }

  /** What a village's volunteers may redeem: the items on offer at its county's and its township's counters. */
  offeredTo(keepers: string[]): Promise<ItemRow[]> {
    return this.prisma.redemptionItem.findMany({
      where: { regionCode: { in: keepers }, retiredAt: null },
      include: ITEM_INCLUDE,
      orderBy: [{ pointsPrice: 'asc' }, { name: 'asc' }],
    });
  }

  /** The item's stock, price and name, its row locked to the end of the transaction; null when there is no such item. */
  async lock(tx: Prisma.TransactionClient, id: string) {
    const rows = await tx.$queryRaw<Array<{ stock: number; pointsPrice: number; name: string }>>`
      SELECT stock, points_price AS "pointsPrice", name FROM redemption_item WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  update(tx: Prisma.TransactionClient, id: string, change: Prisma.RedemptionItemUncheckedUpdateInput) {
    return tx.redemptionItem.update({ where: { id }, data: change, include: ITEM_INCLUDE });
  }

  /**
   * Takes `quantity` off the stock of an item on offer if it has that many
   * (the row stays locked to the end of the transaction, so two counters
   * cannot both take the last one): the stock left and the price it was
   * taken at, or null when there are too few or it was retired meanwhile.
   */
  async take(tx: Prisma.TransactionClient, id: string, quantity: number) {
    const rows = await tx.$queryRaw<Array<{ stock: number; pointsPrice: number }>>`
      UPDATE redemption_item SET stock = stock - ${quantity}
      WHERE id = ${id}::uuid AND retired_at IS NULL AND stock >= ${quantity}
      RETURNING stock, points_price AS "pointsPrice"`;
    return rows[0] ?? null;
  }
}
