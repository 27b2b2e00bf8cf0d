import type { AppConfig } from '../infra/config/config';
import { VOLUNTEER_CODE_SECONDS, VolunteerCodes } from './volunteer-codes';

const codes = (secret: string) => new VolunteerCodes({ jwt: { secret } } as AppConfig);
const id = '3f0c9a1d-8b7e-4f5a-9c3b-2a1908f7e6d5';
const now = new Date('2026-12-02T08:00:00Z');

describe('volunteer codes', () => {
  it('names the volunteer until it expires', () => {
    const { code, expiresAt } = codes('a'.repeat(40)).issue(id, now);
    expect(codes('a'.repeat(40)).verify(code, now)).toBe(id);
    expect(expiresAt.getTime() - now.getTime()).toBe(VOLUNTEER_CODE_SECONDS * 1000);
    expect(codes('a'.repeat(40)).verify(code, expiresAt)).toBeNull();
  });

  it('refuses a code signed with another secret, altered, or malformed', () => {
    const { code } = codes('a'.repeat(40)).issue(id, now);
    expect(codes('b'.repeat(40)).verify(code, now)).toBeNull();
    const other = code.replace(id, '00000000-0000-4000-8000-000000000000');
    expect(codes('a'.repeat(40)).verify(other, now)).toBeNull();
    const later = code.replace(/\.(\d+)\./, (_, s: string) => `.${Number(s) + 3600}.`);
    expect(codes('a'.repeat(40)).verify(later, now)).toBeNull();
    for (const bad of ['', 'V1', `${code}.x`, code.toLowerCase(), 'eyJhbGciOiJIUzI1NiJ9.e30.x'])
      expect(codes('a'.repeat(40)).verify(bad, now)).toBeNull();
  });
});
