import { generateDeviceToken, generateEnrollmentCode, hashEnrollmentCode, hashSecret } from './secrets';

describe('enrollment codes', () => {
  it('are three groups of four unambiguous characters', () => {
    for (let i = 0; i < 50; i++)
      expect(generateEnrollmentCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('hash the same however a person typed them', () => {
    const code = 'AB01-CD2E-FG3H';
    const expected = hashEnrollmentCode(code);
    expect(hashEnrollmentCode('ab01cd2efg3h')).toBe(expected);
    expect(hashEnrollmentCode('AB0I CD2E FG3H')).toBe(expected);
    expect(hashEnrollmentCode('abOl-cd2e-fg3h')).toBe(expected);
    expect(hashEnrollmentCode('AB01-CD2E-FG3J')).not.toBe(expected);
  });
});

describe('device tokens', () => {
  it('are long, distinct, and stored only as a digest', () => {
    const a = generateDeviceToken();
    const b = generateDeviceToken();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(40);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(a)).not.toContain(a);
  });
});
