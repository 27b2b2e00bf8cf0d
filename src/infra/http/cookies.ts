/** The value of the named cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * A Set-Cookie value the page's scripts cannot read and no other site's page
 * can make the browser send (Strict; Lax lets it ride a link followed from
 * elsewhere, never another site's POST); Secure when the request came over
 * HTTPS (request.protocol honours X-Forwarded-Proto only from a trusted
 * proxy). A Max-Age of 0 clears it.
 */
export function sessionCookie(
  name: string,
  value: string,
  options: { path: string; secure: boolean; maxAgeSeconds: number; sameSite?: 'Strict' | 'Lax' },
): string {
  return `${name}=${value}; Path=${options.path}; HttpOnly; SameSite=${options.sameSite ?? 'Strict'}; Max-Age=${options.maxAgeSeconds}${options.secure ? '; Secure' : ''}`;
}
