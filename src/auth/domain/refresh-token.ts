import { createHash, randomBytes } from 'node:crypto';

// A refresh token is `<session id>.<secret>`: the id finds the sign-in, the
// secret proves its holder has the newest token of it. Only a digest of the
// secret is stored; the secret is random and long, so a slow hash adds nothing.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newSecret(): { secret: string; digest: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, digest: digestSecret(secret) };
}

export function refreshToken(sessionId: string, secret: string): string {
  return `${sessionId}.${secret}`;
}

/** The session and secret a token names, or null when it is no refresh token at all. */
export function parseRefreshToken(token: string): { sessionId: string; secret: string } | null {
  const dot = token.indexOf('.');
  const sessionId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  return dot > 0 && UUID.test(sessionId) && secret ? { sessionId, secret } : null;
}
