import { keepsCatalogue, moveStock, serves } from './catalogue';

const county = { code: '520628000000', countyCode: '520628000000', townshipCode: null };
const township = { code: '520628001000', countyCode: '520628000000', townshipCode: '520628001000' };
const village = { code: '520628001001', countyCode: '520628000000', townshipCode: '520628001000' };
const otherTownshipVillage = { code: '520628101101', countyCode: '520628000000', townshipCode: '520628101000' };

describe('the points catalogue', () => {
  it('is kept by a county or a township, not by a village', () => {
    expect(keepsCatalogue(county)).toBe(true);
    expect(keepsCatalogue(township)).toBe(true);
    expect(keepsCatalogue(village)).toBe(false);
  });

  it("serves the volunteers of its region's villages only", () => {
    expect(serves(county.code, village)).toBe(true);
    expect(serves(township.code, village)).toBe(true);
    expect(serves(township.code, otherTownshipVillage)).toBe(false);
  });

  it('sets or changes the stock and says by how much, never below zero', () => {
    expect(moveStock(5, { stock: 12 })).toEqual({ stock: 12, change: 7 });
    expect(moveStock(5, { stock: 0 })).toEqual({ stock: 0, change: -5 });
    expect(moveStock(5, { stockChange: 20 })).toEqual({ stock: 25, change: 20 });
    expect(moveStock(5, { stockChange: -5 })).toEqual({ stock: 0, change: -5 });
    expect(moveStock(5, { stockChange: -6 })).toEqual({ refusal: 'only 5 in stock: 6 cannot be taken off' });
  });
});
