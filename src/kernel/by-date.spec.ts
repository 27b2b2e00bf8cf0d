import { ByDate } from './by-date';

describe('ByDate', () => {
  it('keeps a value per date and key, and forgets one deleted', () => {
    const held = new ByDate<string>(10);
    held.set('2026-12-05', 'endpoint-1', 'v1');
    held.set('2026-12-06', 'endpoint-1', 'v2');
    expect(held.get('2026-12-05', 'endpoint-1')).toBe('v1');
    expect(held.get('2026-12-06', 'endpoint-1')).toBe('v2');
    expect(held.get('2026-12-05', 'endpoint-2')).toBeUndefined();
    held.delete('2026-12-05', 'endpoint-1');
    expect(held.get('2026-12-05', 'endpoint-1')).toBeUndefined();
    expect(held.get('2026-12-06', 'endpoint-1')).toBe('v2');
  });

  it('starts again empty once it holds its limit, counting a replaced value once', () => {
    const held = new ByDate<number>(3);
    held.set('2026-12-05', 'a', 1);
    held.set('2026-12-05', 'a', 2);
    held.set('2026-12-05', 'b', 1);
    held.set('2026-12-06', 'a', 1);
    expect(held.get('2026-12-05', 'a')).toBe(2);
    held.delete('2026-12-06', 'missing');
    held.set('2026-12-06', 'b', 1);
    expect(held.get('2026-12-05', 'a')).toBeUndefined();
    expect(held.get('2026-12-06', 'b')).toBe(1);
  });
});
