import { byUrgency, deadlineOf, type Order, spanParts } from './deadlines';

const NOW = new Date('2026-12-02T08:00:00Z');
const order = (change: Partial<Order>): Order =>
  ({
    id: change.id ?? 'o',
    status: 'dispatched',
    orderedAt: '2026-12-01T00:00:00Z',
    acceptBy: '2026-12-02T10:30:00Z',
    deliverBy: '2026-12-04T08:30:00Z',
    ...change,
  }) as Order;

describe('order deadlines', () => {
  it('waits on acceptance while dispatched and on delivery once accepted', () => {
    expect(deadlineOf(order({}), NOW)).toEqual({
      kind: 'accept',
      at: '2026-12-02T10:30:00Z',
      overdue: false,
      minutes: 150,
    });
    expect(deadlineOf(order({ status: 'accepted' }), NOW)).toMatchObject({ kind: 'deliver', minutes: 48 * 60 + 30 });
    expect(deadlineOf(order({ status: 'delivered' }), NOW)).toBeNull();
  });

  it('says how long a passed deadline is overdue', () => {
    expect(deadlineOf(order({ acceptBy: '2026-12-02T06:59:30Z' }), NOW)).toMatchObject({
      overdue: true,
      minutes: 60,
    });
  });

  it('reads a span in days and hours, or hours and minutes', () => {
    expect(spanParts(48 * 60 + 30)).toEqual({ d: 2, h: 0, m: 30 });
    expect(spanParts(150)).toEqual({ d: 0, h: 2, m: 30 });
  });

  it('puts the nearest deadline first and orders without one last', () => {
    const done = order({ id: 'done', status: 'delivered' });
    const later = order({ id: 'later', status: 'accepted' });
    const sooner = order({ id: 'sooner' });
    expect(byUrgency([done, later, sooner], NOW).map((o) => o.id)).toEqual(['sooner', 'later', 'done']);
  });
});
