import { airedBroadcasts, type ItemOutcome } from './aired';

const B1 = '11111111-1111-4111-8111-111111111111';
const B2 = '22222222-2222-4222-8222-222222222222';
const DATE = '2026-11-24';
const row = (endpointId: string, regionCode: string, itemId: string, outcome: ItemOutcome['outcome']): ItemOutcome => ({
  endpointId,
  regionCode,
  itemId,
  title: itemId.startsWith(B1) ? '县新闻' : '村规民约',
  outcome,
});

describe('what each broadcast reached', () => {
  it('counts an endpoint as played when it aired every segment, reached when it aired any', () => {
    const [county, village] = airedBroadcasts(DATE, [
      row('e1', '520628001001', `${B1}.20261124.0`, 'played'),
      row('e1', '520628001001', `${B1}.20261124.1`, 'played'),
      row('e2', '520628001001', `${B1}.20261124.0`, 'played'),
      row('e2', '520628001001', `${B1}.20261124.1`, 'interrupted'),
      row('e3', '520628101101', `${B1}.20261124.0`, null),
      row('e3', '520628101101', `${B1}.20261124.1`, 'failed'),
      row('e1', '520628001001', `${B2}.20261124.0`, 'played'),
      row('e1', '520628001001', 'emergency:33333333-3333-4333-8333-333333333333', 'played'),
    ]);
    expect(county).toEqual({
      broadcastId: B1,
      title: '县新闻',
      date: DATE,
      segments: 2,
      endpoints: 3,
      played: 1,
      reached: 2,
      regionsReached: ['520628001001'],
      regions: [
        { code: '520628001001', endpoints: 2, played: 1, reached: 2 },
        { code: '520628101101', endpoints: 1, played: 0, reached: 0 },
      ],
    });
    expect(village).toMatchObject({
      broadcastId: B2,
      segments: 1,
      endpoints: 1,
      played: 1,
      regionsReached: ['520628001001'],
    });
  });

  it('leaves out items of another date and emergencies', () => {
    expect(
      airedBroadcasts(DATE, [
        row('e1', '520628001001', `${B1}.20261125.0`, 'played'),
        row('e1', '520628001001', 'emergency:x', 'played'),
      ]),
    ).toEqual([]);
  });
});
