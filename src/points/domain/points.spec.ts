import { pointsFor } from './points';

describe('points for hours', () => {
  it('pays the county rate for each hour, pro rata, rounded down', () => {
    expect(pointsFor(60, 10)).toBe(10);
    expect(pointsFor(90, 10)).toBe(15);
    expect(pointsFor(95, 10)).toBe(15);
    expect(pointsFor(5, 10)).toBe(0);
    expect(pointsFor(120, 0)).toBe(0);
  });
});
