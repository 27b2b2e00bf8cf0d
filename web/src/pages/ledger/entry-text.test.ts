import { describe, expect, it } from 'vitest';
import { entryLines } from './entry-text';

const word = (key: string) => `«${key}»`;

describe('a ledger entry in words', () => {
  it('tells a redemption at the counter with the item and the stock left', () => {
    expect(
      entryLines(
        {
          kind: 'points_redeemed',
          corrects: null,
          payload: {
            holderName: '李大姐',
            points: -40,
            balance: 20,
            reason: '兑换 毛巾 × 2',
            item: { id: 'i', name: '毛巾', quantity: 2, stockLeft: 3 },
          },
        },
        word,
      ),
    ).toEqual([
      { key: 'redeemed', values: { name: '李大姐', points: 40, reason: '兑换 毛巾 × 2' } },
      { key: 'redeemedItem', values: { item: '毛巾', quantity: 2, stock: 3 } },
      { key: 'balance', values: { balance: 20 } },
    ]);
  });

  it('names the entry a correction corrects and what it changes', () => {
    expect(
      entryLines(
        {
          kind: 'correction',
          corrects: '7',
          payload: { correctedKind: 'lecture_session', reason: '笔误', changes: { attendance: 96 } },
        },
        word,
      ),
    ).toEqual([
      { key: 'correction', values: { seq: '7', reason: '笔误' } },
      { key: 'changes', values: { changes: 'attendance = 96' } },
    ]);
  });

  it('signs a stock change and keeps an old payload without optional fields readable', () => {
    expect(
      entryLines(
        {
          kind: 'goods_stocked',
          corrects: null,
          payload: { itemId: 'i', name: '毛巾', change: -2, stock: 3, pointsPrice: 20 },
        },
        word,
      ),
    ).toEqual([{ key: 'stocked', values: { name: '毛巾', change: '-2', stock: 3, price: 20 } }]);
    expect(
      entryLines(
        { kind: 'rating', corrects: null, payload: { topicTitle: '村规民约', rating: 'excellent', onTime: false } },
        word,
      ),
    ).toEqual([{ key: 'rated', values: { topic: '村规民约', rating: '«rating_excellent»' } }, { key: 'late' }]);
  });
});
