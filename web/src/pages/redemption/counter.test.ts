import { describe, expect, it } from 'vitest';
import { codeFromScan, shortfall, type Check } from './counter';

const code = 'V1.3f2a6c1e-8b7d-4e2f-9a1b-0c3d5e7f9a1b.1764662400.Zm9vYmFyYmF6cXV4LWZvb2Jhcg';

describe('the redemption counter', () => {
  it('finds the code in what a scanner typed, alone or inside a link', () => {
    expect(codeFromScan(`${code}\n`)).toBe(code);
    expect(codeFromScan(`https://dalaba.example/v/me?code=${code}`)).toBe(code);
    expect(codeFromScan('  something else ')).toBe('something else');
  });

  it('says what is short before the operator confirms', () => {
    const check = { enoughPoints: true, enoughStock: true } as Check;
    expect(shortfall(check)).toBeNull();
    expect(shortfall({ ...check, enoughPoints: false })).toBe('points');
    expect(shortfall({ ...check, enoughStock: false, enoughPoints: false })).toBe('stock');
  });
});
