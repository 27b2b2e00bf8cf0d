import { jsonNesting } from './json-body';

describe('counting the nesting of a JSON text before parsing it', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNesting('1', 32)).toBe(0);
    expect(jsonNesting('{"a":[1,{"b":[]}]}', 32)).toBe(4);
    expect(jsonNesting('{"a":"[[[[{{{{","b":"\\"[[["}', 32)).toBe(1);
    expect(jsonNesting('[[]][[[]]]', 32)).toBe(3);
  });

  it('stops counting past the limit', () => {
    expect(jsonNesting('['.repeat(100_000), 32)).toBe(33);
  });
});
