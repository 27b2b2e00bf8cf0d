import { checkedPayload, type LedgerKind, PayloadMismatch, type Payloads } from './entries';
import { canonicalJson } from './hash-chain';

const VILLAGE = '520628001001';
const reach = {
  endpoints: 2,
  played: 1,
  reached: 1,
  regionsReached: [VILLAGE],
  regions: [{ code: VILLAGE, endpoints: 2, played: 1, reached: 1 }],
};

// One payload of each kind as the features write it today, and the shapes entries written earlier have.
const written: { [K in LedgerKind]: Array<Payloads[K]> } = {
  lecture_session: [
    {
      sessionId: 's-1',
      mode: 'onsite',
      topicId: 't-1',
      topicTitle: '村规民约',
      theme: '文明乡风',
      teamId: 'team-1',
      lecturers: [{ id: 'u-1', name: '王理论' }],
      startsAt: '2026-11-20T17:30:00.000+08:00',
      plannedMinutes: 90,
      orderId: null,
      actualMinutes: 90,
      attendance: 86,
      volunteers: [{ id: 'v-1', name: '李大姐' }],
      onAir: null,
    },
    {
      sessionId: 's-2',
      mode: 'on_air',
      topicId: 't-1',
      topicTitle: '村规民约',
      theme: null,
      teamId: null,
      lecturers: [],
      startsAt: '2026-11-20T17:30:00.000+08:00',
      plannedMinutes: 30,
      orderId: 'o-1',
      actualMinutes: 12,
      attendance: 1,
      volunteers: [],
      onAir: { broadcastId: 'b-1', date: '2026-11-20', ...reach },
    },
  ],
  broadcast_aired: [{ broadcastId: 'b-1', title: '村规民约（宣讲）', date: '2026-11-20', segments: 1, ...reach }],
  volunteer_hours: [{ volunteerId: 'v-1', name: '李大姐', sessionId: 's-1', minutes: 90 }],
  points_awarded: [
    {
      holderType: 'volunteer',
      holderId: 'v-1',
      holderName: '李大姐',
      points: 15,
      balance: 15,
      reason: 'volunteer hours',
      minutes: 90,
      sessionId: 's-1',
    },
  ],
  points_redeemed: [
    {
      holderType: 'lecturer',
      holderId: 'u-1',
      holderName: '王理论',
      points: -10,
      balance: 5,
      reason: '兑换',
      minutes: null,
      sessionId: null,
    },
    // Redeemed at a catalogue's counter (积分兑换): the item, how many, and the stock left.
    {
      holderType: 'volunteer',
      holderId: 'v-1',
      holderName: '李大姐',
      points: -30,
      balance: 0,
      reason: '兑换 毛巾 × 3',
      minutes: null,
      sessionId: null,
      item: { id: 'i-1', name: '毛巾', quantity: 3, stockLeft: 17 },
    },
  ],
  rating: [
    {
      orderId: 'o-1',
      topicId: 't-1',
      topicTitle: '村规民约',
      teamId: 'team-1',
      sessionId: 's-2',
      rating: 'excellent',
      comment: '讲得实在',
      ratedFor: '村民李大姐',
      onTime: true,
    },
    // Written before the villager was asked for: no ratedFor at all.
    {
      orderId: 'o-2',
      topicId: 't-1',
      topicTitle: '村规民约',
      teamId: 'team-1',
      sessionId: null,
      rating: 'unsatisfied',
      comment: null,
      onTime: false,
    },
  ],
  correction: [
    { correctedKind: 'lecture_session', reason: '笔误', changes: { attendance: 96 } },
    {
      correctedKind: 'broadcast_aired',
      reason: 'receipts that arrived after the first reconciliation',
      changes: { ...reach, played: 2 },
    },
  ],
  goods_stocked: [{ itemId: 'i-1', name: '毛巾', change: 20, stock: 20, pointsPrice: 10 }],
};

const cases = Object.entries(written).flatMap(([kind, payloads]) =>
  payloads.map((payload) => [kind as LedgerKind, payload] as const),
);

describe('ledger payload schemas', () => {
  it.each(cases)('a %s payload comes back from its schema unchanged, byte for byte as hashed', (kind, payload) => {
    const stored: unknown = JSON.parse(JSON.stringify(payload));
    const checked = checkedPayload(kind, stored);
    // Key order aside (the chain hashes canonical JSON, keys sorted; Postgres keeps jsonb in its own order), the very same value.
    expect(checked).toStrictEqual(stored);
    expect(canonicalJson(checked)).toBe(canonicalJson(stored));
  });

  it('refuses a payload with a field its kind does not have, or of the wrong type, rather than dropping or coercing it', () => {
    const [volunteer] = written.volunteer_hours;
    expect(() => checkedPayload('volunteer_hours', { ...volunteer, bonus: 1 })).toThrow(PayloadMismatch);
    expect(() => checkedPayload('volunteer_hours', { ...volunteer, minutes: '90' })).toThrow(/minutes/);
    expect(() => checkedPayload('rating', { ...written.rating[0], rating: 'fine' })).toThrow(PayloadMismatch);
    expect(() => checkedPayload('points_awarded', written.volunteer_hours[0])).toThrow(PayloadMismatch);
  });
});
