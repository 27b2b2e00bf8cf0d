// The points catalogue (积分兑换): what a county or township offers its
// volunteers for their points, and how its stock moves. Pure rules; the
// service applies them under the item's row lock.

import { covers, type RegionPath } from '../../kernel/region';

/** A catalogue is kept by a county or a township (a civic-practice centre or station), never by a village. */
export function keepsCatalogue(region: RegionPath): boolean {
  return region.code === region.countyCode || region.code === region.townshipCode;
}

/** A catalogue serves the volunteers of its region: a township's, those of its villages; a county's, all of the county's. */
export function serves(itemRegionCode: string, volunteerVillage: RegionPath): boolean {
  return covers(itemRegionCode, volunteerVillage);
}

/** What an operator does to an item's stock: set it to what was counted, or add (or take off) a number. */
export type StockMove = { stock: number } | { stockChange: number };

/** The stock after a move and the change it makes, or why it cannot be made (it would go below zero). */
export function moveStock(current: number, move: StockMove): { stock: number; change: number } | { refusal: string } {
  const stock = 'stock' in move ? move.stock : current + move.stockChange;
  if (stock < 0) return { refusal: `only ${current} in stock: ${-(stock - current)} cannot be taken off` };
  return { stock, change: stock - current };
}

/** The reason a redemption gives in the ledger: the item and how many. */
export const redemptionReason = (name: string, quantity: number) => `兑换 ${name} × ${quantity}`;
