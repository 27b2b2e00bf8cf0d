import { describe, expect, it } from 'vitest';
import { timeLeft } from './countdown';

describe('the redemption code’s countdown', () => {
  const expiresAt = '2026-12-02T20:10:00+08:00';
  const at = (clock: string) => Date.parse(`2026-12-02T${clock}+08:00`);

  it('reads minutes and seconds left, a started second not counted', () => {
    expect(timeLeft(expiresAt, at('20:00:00'))).toEqual({ seconds: 600, clock: '10:00' });
    expect(timeLeft(expiresAt, at('20:09:05.500'))).toEqual({ seconds: 54, clock: '0:54' });
  });

  it('stops at 0:00 once the code has expired', () => {
    expect(timeLeft(expiresAt, at('20:11:00'))).toEqual({ seconds: 0, clock: '0:00' });
  });
});
