import type { components } from '../../api/schema.gen';

export type Order = components['schemas']['LectureOrder'];

/** The deadline an order is waiting on: accept within 24 hours of dispatch, deliver within 72. */
export interface Deadline {
  kind: 'accept' | 'deliver';
  at: string;
  overdue: boolean;
  /** Whole minutes to the deadline, or past it when overdue; never negative. */
  minutes: number;
}

export function deadlineOf(order: Pick<Order, 'status' | 'acceptBy' | 'deliverBy'>, now: Date): Deadline | null {
  const waiting =
    order.status === 'dispatched'
      ? { kind: 'accept' as const, at: order.acceptBy }
      : order.status === 'accepted'
        ? { kind: 'deliver' as const, at: order.deliverBy }
        : null;
  if (!waiting?.at) return null;
  const ms = new Date(waiting.at).getTime() - now.getTime();
  // A deadline a few seconds away is not yet passed; minutes round towards the deadline's side.
  return { kind: waiting.kind, at: waiting.at, overdue: ms < 0, minutes: Math.floor(Math.abs(ms) / 60_000) };
}

/** A span of minutes as the parts a person reads: days and hours when over a day, else hours and minutes. */
export function spanParts(minutes: number): { d: number; h: number; m: number } {
  return { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60), m: minutes % 60 };
}

/** What a lecturer works on first: what must be accepted, then delivered, by the nearest deadline; then the rest. */
export function byUrgency(orders: Order[], now: Date): Order[] {
  const rank = (order: Order) => {
    const deadline = deadlineOf(order, now);
    return deadline ? new Date(deadline.at).getTime() : Number.MAX_SAFE_INTEGER;
  };
  return [...orders].sort((a, b) => rank(a) - rank(b) || b.orderedAt.localeCompare(a.orderedAt));
}

/** The orders a lecturer still has something to do with (or to show at the session: the rating). */
export const OPEN_STATUSES: ReadonlySet<Order['status']> = new Set([
  'dispatched',
  'accepted',
  'escalated',
  'delivered',
]);
