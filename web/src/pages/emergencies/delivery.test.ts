import { deliveryRows, type DeliveryReport } from './delivery';

const counts = (endpoints: number, pushed: number, acknowledged: number, played: number) => ({
  endpoints,
  pushed,
  acknowledged,
  played,
  failed: 0,
  notReached: endpoints - pushed,
});

const report: DeliveryReport = {
  emergencyId: 'e0000000-0000-4000-8000-000000000001',
  status: 'active',
  totals: counts(5, 4, 4, 3),
  regions: [
    { code: '520628001001', name: '白岩社区', ...counts(2, 2, 2, 2) },
    { code: '520628101101', name: '盘石社区', ...counts(3, 2, 2, 1) },
    { code: '520628101102', name: '长坪村', ...counts(0, 0, 0, 0) },
  ],
  notReached: [],
};

describe('delivery per region', () => {
  it('puts the regions still short of plays first, with the share played', () => {
    const { regions } = deliveryRows(report, '合计');
    expect(regions.map((row) => [row.name, row.playedPercent, row.complete])).toEqual([
      ['盘石社区', 33, false],
      ['长坪村', 0, false],
      ['白岩社区', 100, true],
    ]);
    expect(regions[0]).toMatchObject({ pushed: 2, acknowledged: 2, played: 1, notReached: 1 });
  });

  it('totals the county under the given name', () => {
    expect(deliveryRows(report, '合计').total).toMatchObject({
      code: 'total',
      name: '合计',
      endpoints: 5,
      acknowledged: 4,
      played: 3,
      playedPercent: 60,
      complete: false,
    });
  });
});
