import { attendedMinutes, MAX_SESSION_MINUTES, signInOpensAt } from './attendance';

const at = (clock: string) => new Date(`2026-12-02T${clock}+08:00`);

describe("a volunteer's own minutes at a session", () => {
  it('counts whole minutes from signing in to signing out, a part of a minute not at all', () => {
    expect(attendedMinutes(at('19:00:00'), at('20:30:00'))).toBe(90);
    expect(attendedMinutes(at('19:00:10'), at('19:45:09'))).toBe(44);
    expect(attendedMinutes(at('19:00:00'), at('19:00:59'))).toBe(0);
  });

  it('never counts a sign-out before the sign-in as less than nothing', () => {
    expect(attendedMinutes(at('19:00:00'), at('18:59:00'))).toBe(0);
  });

  it('counts at most the longest a session lasts, however late the session was completed', () => {
    expect(attendedMinutes(at('08:00:00'), new Date(at('08:00:00').getTime() + 3 * 24 * 3600_000))).toBe(
      MAX_SESSION_MINUTES,
    );
  });

  it('opens signing in an hour before the session starts', () => {
    expect(signInOpensAt(at('19:00:00'))).toEqual(at('18:00:00'));
  });
});
