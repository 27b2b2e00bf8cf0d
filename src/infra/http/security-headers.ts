/**
 * The policy for the console (React, Vite, Ant Design) served from this
 * origin: only its own scripts; inline styles, since Ant Design's CSS-in-JS
 * injects style tags; images and audio also from data:/blob: URLs
 * (waveforms, previews), and images from the loudspeaker map's tile servers
 * (MAP_TILE_URL) when a county has one, audio from the media bucket when
 * /media redirects there (MEDIA_DELIVERY=redirect); never framed. Swagger UI at /docs and
 * the queue dashboard load only same-origin scripts too, so they live under
 * it as is (the dashboard's web font falls back to a system one).
 */
const contentSecurityPolicy = (imageOrigins: readonly string[], mediaOrigins: readonly string[]) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...imageOrigins].join(' '),
    ["media-src 'self' blob:", ...mediaOrigins].join(' '),
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');

/**
 * Sent with every response, errors, files and event streams included, as
 * name, value, name, value…: the flat list writeHead takes, made once. The
 * device playlist route copies it into its own list (spreading an object of
 * them into each response's headers cost several µs a poll; the list, under one).
 */
export type SecurityHeaders = readonly string[];

/**
 * The headers for a request that came over plain HTTP and for one over HTTPS
 * (only that one may be told to stay on it: over plain HTTP the header could
 * be forged or strand a site). `imageOrigins`: other origins the console may
 * show images from (the map's tile servers); `mediaOrigins`: where /media
 * redirects audio to (the bucket).
 */
export function securityHeaders(
  imageOrigins: readonly string[] = [],
  mediaOrigins: readonly string[] = [],
): {
  plain: SecurityHeaders;
  https: SecurityHeaders;
} {
  const plain = [
    'content-security-policy',
    contentSecurityPolicy(imageOrigins, mediaOrigins),
    'x-content-type-options',
    'nosniff',
    'x-frame-options',
    'DENY',
    'referrer-policy',
    'no-referrer',
  ];
  return { plain, https: [...plain, 'strict-transport-security', 'max-age=31536000; includeSubDomains'] };
}
