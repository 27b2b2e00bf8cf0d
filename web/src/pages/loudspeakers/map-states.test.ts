import { pointsByState, unplaced, type MapPoint } from './map-states';

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
});
