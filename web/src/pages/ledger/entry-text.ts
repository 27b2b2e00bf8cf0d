import type { components } from '../../api/schema.gen';
import type { MessageKey } from './messages';

export type LedgerEntry = components['schemas']['LedgerEntry'];
export type LedgerKind = LedgerEntry['kind'];

/** One line of an entry in words: a message and the values that fill it. */
export interface Line {
  key: MessageKey;
  values?: Record<string, string | number>;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const names = (people: unknown): string =>
  Array.isArray(people) && people.length
    ? people.map((person: { name?: unknown }) => text(person?.name)).join('、')
    : '—';
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * What an entry records, in lines a county office reads: the payload of each
 * kind (as the server's ledger/domain/entries.ts defines it) turned into
 * messages. Unknown fields are left to the raw view below the lines.
 */
export function entryLines(
  entry: Pick<LedgerEntry, 'kind' | 'payload' | 'corrects'>,
  word: (key: MessageKey) => string,
): Line[] {
  const p = entry.payload as Record<string, unknown>;
  switch (entry.kind) {
    case 'lecture_session': {
      const onAir = p.onAir as Record<string, unknown> | null;
      return [
        {
          key: 'sessionTopic',
          values: { topic: text(p.topicTitle), mode: word(`mode_${p.mode as 'onsite' | 'on_air' | 'online'}`) },
        },
        { key: 'sessionPeople', values: { lecturers: names(p.lecturers), volunteers: names(p.volunteers) } },
        {
          key: 'sessionFigures',
          values: { planned: num(p.plannedMinutes), actual: num(p.actualMinutes), attendance: num(p.attendance) },
        },
        ...(onAir
          ? [{ key: 'reach' as const, values: { played: num(onAir.played), endpoints: num(onAir.endpoints) } }]
          : []),
      ];
    }
    case 'broadcast_aired':
      return [
        { key: 'aired', values: { title: text(p.title), date: text(p.date) } },
        { key: 'reach', values: { played: num(p.played), endpoints: num(p.endpoints) } },
      ];
    case 'volunteer_hours':
      return [{ key: 'hours', values: { name: text(p.name), minutes: num(p.minutes) } }];
    case 'points_awarded':
      return [
        { key: 'awarded', values: { name: text(p.holderName), points: num(p.points), reason: text(p.reason) } },
        { key: 'balance', values: { balance: num(p.balance) } },
      ];
    case 'points_redeemed': {
      const item = p.item as Record<string, unknown> | undefined;
      return [
        { key: 'redeemed', values: { name: text(p.holderName), points: -num(p.points), reason: text(p.reason) } },
        ...(item
          ? [
              {
                key: 'redeemedItem' as const,
                values: { item: text(item.name), quantity: num(item.quantity), stock: num(item.stockLeft) },
              },
            ]
          : []),
        { key: 'balance', values: { balance: num(p.balance) } },
      ];
    }
    case 'rating':
      return [
        {
          key: 'rated',
          values: {
            topic: text(p.topicTitle),
            rating: word(`rating_${p.rating as 'excellent' | 'satisfied' | 'unsatisfied'}`),
          },
        },
        ...(p.comment ? [{ key: 'comment' as const, values: { comment: text(p.comment) } }] : []),
        { key: p.onTime ? 'onTime' : 'late' },
      ];
    case 'correction':
      return [
        { key: 'correction', values: { seq: text(entry.corrects), reason: text(p.reason) } },
        {
          key: 'changes',
          values: {
            changes: Object.entries((p.changes as Record<string, unknown>) ?? {})
              .map(([field, value]) => `${field} = ${JSON.stringify(value)}`)
              .join('；'),
          },
        },
      ];
    case 'goods_stocked':
      return [
        {
          key: 'stocked',
          values: { name: text(p.name), change: signed(num(p.change)), stock: num(p.stock), price: num(p.pointsPrice) },
        },
      ];
  }
}
