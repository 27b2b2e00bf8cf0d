import {
  deadlines,
  deliveredOnTime,
  dutyRefusal,
  type OrderAction,
  type OrderStatus,
  overdue,
  refusal,
} from './order-flow';

const STATUSES: OrderStatus[] = ['ordered', 'dispatched', 'accepted', 'delivered', 'rated', 'escalated', 'cancelled'];
const ACTIONS: OrderAction[] = ['dispatch', 'accept', 'deliver', 'rate', 'escalate', 'cancel'];

describe('the four-order flow', () => {
  it('allows exactly these transitions', () => {
    const allowed = STATUSES.flatMap((status) =>
      ACTIONS.filter((action) => refusal(status, action) === null).map((action) => `${status} → ${action}`),
    );
    expect(allowed).toEqual([
      'ordered → dispatch',
      'ordered → cancel',
      'dispatched → accept',
      'dispatched → escalate',
      'dispatched → cancel',
      'accepted → deliver',
      'accepted → escalate',
      'accepted → cancel',
      'delivered → rate',
      'escalated → dispatch',
      'escalated → deliver',
      'escalated → cancel',
    ]);
  });

  it('says why a transition is refused', () => {
    expect(refusal('rated', 'rate')).toBe('an order that is rated cannot be rated (only one that is delivered)');
    expect(refusal('ordered', 'accept')).toMatch(/only one that is dispatched/);
  });

  it('gives a team 24 hours to accept and 72 to deliver, from dispatch', () => {
    const dispatchedAt = new Date('2026-11-20T02:00:00Z');
    const { acceptBy, deliverBy } = deadlines(dispatchedAt);
    expect([acceptBy.toISOString(), deliverBy.toISOString()]).toEqual([
      '2026-11-21T02:00:00.000Z',
      '2026-11-23T02:00:00.000Z',
    ]);
    const order = (status: OrderStatus) => ({ status, acceptBy, deliverBy });
    expect(overdue(order('dispatched'), new Date('2026-11-21T01:59:59Z'))).toBeNull();
    expect(overdue(order('dispatched'), acceptBy)).toMatch(/not accepted within 24 hours/);
    expect(overdue(order('accepted'), new Date('2026-11-22T12:00:00Z'))).toBeNull();
    expect(overdue(order('accepted'), deliverBy)).toMatch(/not delivered within 72 hours/);
    for (const status of ['ordered', 'delivered', 'rated', 'escalated', 'cancelled'] as const)
      expect(overdue(order(status), new Date('2027-01-01'))).toBeNull();
    expect(deliveredOnTime(new Date('2026-11-23T01:00:00Z'), deliverBy)).toBe(true);
    expect(deliveredOnTime(new Date('2026-11-23T03:00:00Z'), deliverBy)).toBe(false);
  });
});

describe('separated duties', () => {
  const order = { orderedById: 'placer', dispatchedById: 'dispatcher' };

  it('keeps the one who placed an order from dispatching it, and its dispatcher from rating it', () => {
    expect(dutyRefusal(order, 'dispatch', 'placer')).toMatch(/you placed this order/);
    expect(dutyRefusal(order, 'rate', 'dispatcher')).toMatch(/you dispatched this order/);
  });

  it('lets the village side place and rate, and anyone else dispatch', () => {
    expect(dutyRefusal(order, 'rate', 'placer')).toBeNull();
    expect(dutyRefusal(order, 'dispatch', 'dispatcher')).toBeNull();
    expect(dutyRefusal({ orderedById: 'placer', dispatchedById: null }, 'rate', 'someone')).toBeNull();
  });
});
