import { mapPoints, pointsByState, unplaced, type MapPoint } from './map-states';

const point = (name: string, state: MapPoint['state'], at?: [number, number]): MapPoint => ({
  id: name,
  name,
  regionCode: '520628001001',
  state,
  longitude: at?.[0] ?? null,
  latitude: at?.[1] ?? null,
});

describe('the loudspeaker map', () => {
  const points = [
    point('甲', 'online', [109.2, 27.9]),
    point('乙', 'fault', [109.3, 27.8]),
    point('丙', 'online'),
    point('丁', 'fault'),
    point('戊', 'offline', [109.1, 28.0]),
  ];

  it('plots only placed loudspeakers, grouped by state', () => {
    const groups = pointsByState(points);
    expect(groups.get('online')).toEqual([[109.2, 27.9, '甲']]);
    expect(groups.get('fault')).toEqual([[109.3, 27.8, '乙']]);
    expect(groups.get('playing')).toEqual([]);
  });

  it('lists the unplaced ones beside it, faults first', () => {
    expect(unplaced(points).map((p) => p.name)).toEqual(['丁', '丙']);
  });

  it("reads the feed's columns as one loudspeaker each", () => {
    expect(
      mapPoints({
        id: ['a', 'b'],
        name: ['甲', '乙'],
        regionCode: ['520628001001', '520628001002'],
        state: ['online', 'fault'],
        longitude: [109.2, null],
        latitude: [27.9, null],
      }),
    ).toEqual([
      { id: 'a', name: '甲', regionCode: '520628001001', state: 'online', longitude: 109.2, latitude: 27.9 },
      { id: 'b', name: '乙', regionCode: '520628001002', state: 'fault', longitude: null, latitude: null },
    ]);
  });
});
