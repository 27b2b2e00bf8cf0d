// The four-order flow (四单): a village orders (点单) a topic, the centre
// dispatches (派单) it to a team, the team accepts (接单) and delivers within
// 72 hours of dispatch, the villager rates it (评单). What may happen in which
// state, and when an order is overdue, as plain functions.

export type OrderStatus = 'ordered' | 'dispatched' | 'accepted' | 'delivered' | 'rated' | 'escalated' | 'cancelled';
export type OrderAction = 'dispatch' | 'accept' | 'deliver' | 'rate' | 'escalate' | 'cancel';

/** A team must accept within this of dispatch, and deliver within 72 hours of it. */
export const ACCEPT_WITHIN_HOURS = 24;
export const DELIVER_WITHIN_HOURS = 72;
const HOUR_MS = 3600_000;

const FROM: Record<OrderAction, OrderStatus[]> = {
  // An escalated order is back with the dispatcher, who sends it out again.
  dispatch: ['ordered', 'escalated'],
  accept: ['dispatched'],
  // A late delivery is still a delivery (it is rated as not on time).
  deliver: ['accepted', 'escalated'],
  rate: ['delivered'],
  escalate: ['dispatched', 'accepted'],
  cancel: ['ordered', 'dispatched', 'accepted', 'escalated'],
};

const DOING: Record<OrderAction, string> = {
  dispatch: 'dispatched',
  accept: 'accepted',
  deliver: 'delivered',
  rate: 'rated',
  escalate: 'escalated',
  cancel: 'cancelled',
};

/** Why the action is not allowed in this state (the answer of a 409), or null when it is. */
export function refusal(status: OrderStatus, action: OrderAction): string | null {
  if (FROM[action].includes(status)) return null;
  return `an order that is ${status} cannot be ${DOING[action]} (only one that is ${FROM[action].join(' or ')})`;
}

export function deadlines(dispatchedAt: Date): { acceptBy: Date; deliverBy: Date } {
  return {
    acceptBy: new Date(dispatchedAt.getTime() + ACCEPT_WITHIN_HOURS * HOUR_MS),
    deliverBy: new Date(dispatchedAt.getTime() + DELIVER_WITHIN_HOURS * HOUR_MS),
  };
}

/** Why an order goes back to its dispatcher now, or null while it is in time. */
export function overdue(
  order: { status: OrderStatus; acceptBy: Date | null; deliverBy: Date | null },
  now: Date,
): string | null {
  if (order.status === 'dispatched' && order.acceptBy && order.acceptBy <= now)
    return `not accepted within ${ACCEPT_WITHIN_HOURS} hours of dispatch`;
  if ((order.status === 'dispatched' || order.status === 'accepted') && order.deliverBy && order.deliverBy <= now)
    return `not delivered within ${DELIVER_WITHIN_HOURS} hours of dispatch`;
  return null;
}

export const deliveredOnTime = (deliveredAt: Date, deliverBy: Date | null): boolean =>
  deliverBy === null || deliveredAt <= deliverBy;

/**
 * No one carries an order alone from the village's request to its rating:
 * the village side (whoever places it and enters the villager's rating, for
 * them) and the dispatcher are different people. So a township operator who
 * places an order for a village may not also dispatch it, and its dispatcher
 * may not rate it; the one village operator may still place and rate.
 */
export function dutyRefusal(
  order: { orderedById: string | null; dispatchedById: string | null },
  action: 'dispatch' | 'rate',
  actorId: string,
): string | null {
  if (action === 'dispatch' && order.orderedById === actorId)
    return 'you placed this order for the village; another county or township operator dispatches it';
  if (action === 'rate' && order.dispatchedById === actorId)
    return 'you dispatched this order; the village enters its villager’s rating, not the dispatcher';
  return null;
}
