import type { components } from '../../api/schema.gen';

export type Order = components['schemas']['LectureOrder'];
export type OrderState = Order['status'];

/** The board's columns, in the order an order moves through them (a cancelled one leaves the board). */
export const BOARD_STATES = ['ordered', 'dispatched', 'accepted', 'delivered', 'rated', 'escalated'] as const;
export type BoardState = (typeof BOARD_STATES)[number];

/** The deadline an order is racing now: accepting (24 h), then delivering (72 h from dispatch). */
export interface Deadline {
  kind: 'accept' | 'deliver';
  at: string;
  /** Milliseconds left; negative once it has passed. */
  leftMs: number;
}

export function deadlineOf(order: Pick<Order, 'status' | 'acceptBy' | 'deliverBy'>, now: Date): Deadline | null {
  const left = (at: string) => Date.parse(at) - now.getTime();
  if (order.status === 'dispatched' && order.acceptBy)
    return { kind: 'accept', at: order.acceptBy, leftMs: left(order.acceptBy) };
  if (order.status === 'accepted' && order.deliverBy)
    return { kind: 'deliver', at: order.deliverBy, leftMs: left(order.deliverBy) };
  return null;
}

/** A span as days, hours and minutes for a countdown: `{d: 2, h: 3, m: 5}`, whole minutes, never negative. */
export function span(ms: number): { d: number; h: number; m: number } {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  return { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60), m: minutes % 60 };
}

/** Soon: under 6 hours to go, worth a warning colour before it turns red. */
export const SOON_MS = 6 * 3600_000;

/** Ordered for the board: the most urgent first where there is a deadline, else the oldest order first. */
export function byUrgency(orders: Order[], now: Date): Order[] {
  const key = (order: Order) => deadlineOf(order, now)?.leftMs ?? Date.parse(order.orderedAt) - now.getTime();
  return [...orders].sort((a, b) => key(a) - key(b));
}

/** Why an order came back, as the server words it (src/lectures/domain/order-flow.ts `overdue`): which deadline it missed. */
export function missedDeadline(reason: string | null): 'accept' | 'deliver' | null {
  if (reason?.startsWith('not accepted')) return 'accept';
  if (reason?.startsWith('not delivered')) return 'deliver';
  return null;
}
