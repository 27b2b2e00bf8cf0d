import { correctedPayload } from './corrections';

describe('a corrected entry', () => {
  it('reads as the original with each correction laid over it in seq order', () => {
    const original = { attendance: 120, actualMinutes: 90, topicTitle: '村规民约' };
    const corrections = [
      { seq: 12n, payload: { correctedKind: 'lecture_session', reason: '复核', changes: { attendance: 135 } } },
      {
        seq: 9n,
        payload: { correctedKind: 'lecture_session', reason: '笔误', changes: { attendance: 102, actualMinutes: 80 } },
      },
    ];
    expect(correctedPayload(original, corrections)).toEqual({
      attendance: 135,
      actualMinutes: 80,
      topicTitle: '村规民约',
    });
    expect(original.attendance).toBe(120);
    expect(correctedPayload(original, [])).toEqual(original);
  });
});
