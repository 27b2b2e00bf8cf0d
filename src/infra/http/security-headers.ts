/**
 * The policy for the console to come (React, Vite, Ant Design) served from
 * this origin: only its own scripts; inline styles, since Ant Design's
 * CSS-in-JS injects style tags; images and audio also from data:/blob: URLs
 * (waveforms, previews); never framed. Swagger UI at /docs and the queue
 * dashboard load only same-origin scripts too, so they live under it as is
 * (the dashboard's web font falls back to a system one).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
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

export const SECURITY_HEADERS: SecurityHeaders = [
  'content-security-policy',
  CONTENT_SECURITY_POLICY,
  'x-content-type-options',
  'nosniff',
  'x-frame-options',
  'DENY',
  'referrer-policy',
  'no-referrer',
];

/** Only a request that came over HTTPS may be told to stay on it: over plain HTTP the header could be forged or strand a site. */
export const HTTPS_SECURITY_HEADERS: SecurityHeaders = [
  ...SECURITY_HEADERS,
  'strict-transport-security',
  'max-age=31536000; includeSubDomains',
];
