import { describe, expect, it } from 'vitest';
import { byUrgency, deadlineOf, missedDeadline, span, type Order } from './board';

const now = new Date('2026-12-02T08:00:00Z');
const order = (fields: Partial<Order>): Order =>
  ({
    id: 'o',
    status: 'ordered',
    orderedAt: '2026-12-01T08:00:00Z',
    acceptBy: null,
    deliverBy: null,
    ...fields,
  }) as Order;

describe('the order board', () => {
  it('counts down to accepting while dispatched, to delivering once accepted, and to nothing otherwise', () => {
    const times = { acceptBy: '2026-12-02T10:30:00Z', deliverBy: '2026-12-04T08:00:00Z' };
    expect(deadlineOf(order({ status: 'dispatched', ...times }), now)).toEqual({
      kind: 'accept',
      at: times.acceptBy,
      leftMs: 2.5 * 3600_000,
    });
    expect(deadlineOf(order({ status: 'accepted', ...times }), now)?.kind).toBe('deliver');
    expect(deadlineOf(order({ status: 'accepted', ...times, deliverBy: '2026-12-02T07:00:00Z' }), now)?.leftMs).toBe(
      -3600_000,
    );
    expect(deadlineOf(order({ status: 'ordered' }), now)).toBeNull();
    expect(deadlineOf(order({ status: 'delivered', ...times }), now)).toBeNull();
  });

  it('says a span in days, hours and whole minutes, however far past', () => {
    expect(span(2 * 86_400_000 + 3 * 3600_000 + 5 * 60_000 + 59_000)).toEqual({ d: 2, h: 3, m: 5 });
    expect(span(-90 * 60_000)).toEqual({ d: 0, h: 1, m: 30 });
  });

  it('puts the order closest to (or furthest past) its deadline first', () => {
    const late = order({ id: 'late', status: 'dispatched', acceptBy: '2026-12-02T07:00:00Z' });
    const soon = order({ id: 'soon', status: 'dispatched', acceptBy: '2026-12-02T09:00:00Z' });
    const later = order({ id: 'later', status: 'dispatched', acceptBy: '2026-12-03T09:00:00Z' });
    expect(byUrgency([later, soon, late], now).map((o) => o.id)).toEqual(['late', 'soon', 'later']);
  });

  it('tells which deadline an order that came back missed', () => {
    expect(missedDeadline('not accepted within 24 hours of dispatch')).toBe('accept');
    expect(missedDeadline('not delivered within 72 hours of dispatch')).toBe('deliver');
    expect(missedDeadline(null)).toBeNull();
  });
});
