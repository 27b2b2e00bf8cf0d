import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';

/** How long a code shown on a volunteer's phone may be scanned at the counter. */
export const VOLUNTEER_CODE_SECONDS = 10 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The code a volunteer's phone shows at the redemption counter (积分兑换): it
 * names the volunteer and expires within minutes, so a photo of it is worth
 * little, and it is signed with a key derived from JWT_SECRET for this use
 * alone, so it is never an access token and no access token is one. The
 * volunteer's card (their cookie) stays on the phone; only this code leaves it.
 */
@Injectable()
export class VolunteerCodes {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwt.secret, '', 'dalaba volunteer code v1', 32));
  }

  issue(volunteerId: string, now = new Date()): { code: string; expiresAt: Date } {
    const expiresAt = new Date(Math.ceil(now.getTime() / 1000 + VOLUNTEER_CODE_SECONDS) * 1000);
    const body = `V1.${volunteerId}.${expiresAt.getTime() / 1000}`;
    return { code: `${body}.${this.sign(body)}`, expiresAt };
  }

  /** The volunteer a code names, or null when it is malformed, forged or expired. */
  verify(code: string, now = new Date()): string | null {
    const [version, volunteerId, expires, signature, ...rest] = code.trim().split('.');
    if (version !== 'V1' || rest.length || !UUID.test(volunteerId ?? '') || !/^\d{1,12}$/.test(expires ?? ''))
      return null;
    const expected = Buffer.from(this.sign(`${version}.${volunteerId}.${expires}`));
    const given = Buffer.from(signature ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return Number(expires) * 1000 > now.getTime() ? volunteerId : null;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
