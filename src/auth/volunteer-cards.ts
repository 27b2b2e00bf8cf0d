import { ForbiddenException, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readCookie, sessionCookie } from '../infra/http/cookies';
import type { VolunteerPrincipal } from './access.decorator';
import { AccessRegistry } from './access.registry';
import { digestSecret, newSecret } from './domain/refresh-token';

export const VOLUNTEER_COOKIE = 'dalaba_volunteer';
/** A card lasts a year from its last issue: a volunteer registers once and scans for seasons. */
export const VOLUNTEER_CARD_SECONDS = 365 * 24 * 3600;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Random base64url of 32 bytes; anything else in the cookie is not a card.
const CARD_SECRET = /^[\w-]{43}$/;

/**
 * A volunteer's card: a random secret in an HttpOnly cookie on their phone
 * (registration issues it; only its SHA-256 is stored). It has no password
 * behind it, so it is SameSite=Lax (a QR code opens the page from the camera,
 * another site's POST never carries it) and a change it carries must say it
 * comes from this site's own page (Origin). Which volunteer a digest belongs to
 * is the volunteers feature's to say, through the access registry.
 */
@Injectable()
export class VolunteerCards {
  constructor(private readonly registry: AccessRegistry) {}

  /** A new card: the secret for the cookie and the digest to store. */
  issue(): { secret: string; digest: string } {
    return newSecret();
  }

  /** Whether the request carries a card cookie at all (live or not). */
  carries(request: FastifyRequest): boolean {
    return readCookie(request.headers.cookie, VOLUNTEER_COOKIE) !== undefined;
  }

  /** The volunteer the request's card names, or null when it carries none or a card that was replaced or never was. */
  async of(request: FastifyRequest): Promise<VolunteerPrincipal | null> {
    const secret = readCookie(request.headers.cookie, VOLUNTEER_COOKIE);
    if (!secret || !CARD_SECRET.test(secret)) return null;
    return this.registry.volunteer(digestSecret(secret));
  }

  /**
   * Refuses (403) a change carried by the card that does not come from this
   * site's own page: the Origin a browser sends with every POST and DELETE
   * must be the request's own (behind a trusted proxy, what it forwards).
   */
  refuseForgery(request: FastifyRequest): void {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin === `${request.protocol}://${request.host}`) return;
    throw new ForbiddenException(
      origin === undefined
        ? 'This change carries a volunteer card but no Origin header: send it from the volunteer page'
        : `This change came from a page of another origin (${origin.slice(0, 200)}): open the volunteer page at its own address`,
    );
  }

  /** The Set-Cookie value that puts a card on the phone. */
  cookieCarrying(request: FastifyRequest, secret: string): string {
    return this.cookie(request, secret, VOLUNTEER_CARD_SECONDS);
  }

  /** The Set-Cookie value that takes the card off the phone. */
  clearingCookie(request: FastifyRequest): string {
    return this.cookie(request, '', 0);
  }

  private cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
    return sessionCookie(VOLUNTEER_COOKIE, value, {
      path: '/',
      secure: request.protocol === 'https',
      maxAgeSeconds,
      sameSite: 'Lax',
    });
  }
}
