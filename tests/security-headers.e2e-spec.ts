import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type TestApp } from './helpers/app';
import { adminToken, createEndpoint, DAXING_VILLAGE, enroll, importSongtao } from './helpers/factories';
import { EventStream } from './helpers/sse';

const CONSOLE_CSP = [
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
];

function expectSecurityHeaders(what: string, headers: Headers): void {
  const seen = {
    what,
    csp: headers.get('content-security-policy')?.split(/;\s*/),
    nosniff: headers.get('x-content-type-options'),
    frame: headers.get('x-frame-options'),
    referrer: headers.get('referrer-policy'),
    hsts: headers.get('strict-transport-security'),
  };
  expect(seen).toEqual({
    what,
    csp: CONSOLE_CSP,
    nosniff: 'nosniff',
    frame: 'DENY',
    referrer: 'no-referrer',
    hsts: null,
  });
}

/** The remote address the app logged for a request (Fastify's request.ip). */
function loggedAddress(t: TestApp, requestId: string): unknown {
  const line = t.logs.find((entry) => entry.reqId === requestId && entry.msg === 'incoming request') as
    { req?: { remoteAddress?: string } } | undefined;
  return line?.req?.remoteAddress;
}

describe('Security headers, forwarded headers and the API docs', () => {
  describe('with defaults (no trusted proxy)', () => {
    let t: TestApp;
    let admin: string;
    let deviceToken: string;

    beforeAll(async () => {
      t = await startApp();
      admin = await adminToken(t);
      await importSongtao(t, admin);
      const endpoint = await createEndpoint(t, admin, DAXING_VILLAGE);
      deviceToken = (await enroll(t, endpoint.enrollmentCode)).token;
    });
    afterAll(() => t.close());

    it('sends them on JSON routes, errors, /health, media files, the device playlist and its errors, and the event stream', async () => {
      const bytes = Buffer.from('not really audio, but served as a rendition');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      writeFileSync(join(t.config.mediaDir, `${sha256}.mp3`), bytes);

      const device = { authorization: `Bearer ${deviceToken}` };
      const checks: Array<[string, Promise<Response>, number]> = [
        ['JSON route', fetch(`${t.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${admin}` } }), 200],
        ['401', fetch(`${t.url}/api/v1/users`), 401],
        ['404', fetch(`${t.url}/api/v1/nothing-here`), 404],
        [
          '400 bad JSON',
          fetch(`${t.url}/api/v1/auth/login`, {
            method: 'POST',
            body: '{"username":',
            headers: { 'content-type': 'application/json' },
          }),
          400,
        ],
        ['/health', fetch(`${t.url}/health`), 200],
        ['media file', fetch(`${t.url}/media/${sha256}.mp3`), 200],
        ['media 404', fetch(`${t.url}/media/${'0'.repeat(64)}.mp3`), 404],
        ['playlist', fetch(`${t.url}/api/v1/device/playlist`, { headers: device }), 200],
        ['playlist 401', fetch(`${t.url}/api/v1/device/playlist`), 401],
        ['playlist 400', fetch(`${t.url}/api/v1/device/playlist?date=soon`, { headers: device }), 400],
      ];
      for (const [what, pending, status] of checks) {
        const response = await pending;
        expect({ what, status: response.status }).toEqual({ what, status });
        expectSecurityHeaders(what, response.headers);
        await response.arrayBuffer();
      }
      const etag = (await fetch(`${t.url}/api/v1/device/playlist`, { headers: device })).headers.get('etag')!;
      const unchanged = await fetch(`${t.url}/api/v1/device/playlist`, {
        headers: { ...device, 'if-none-match': etag },
      });
      expect(unchanged.status).toBe(304);
      expectSecurityHeaders('playlist 304', unchanged.headers);

      const stream = await EventStream.open(`${t.url}/api/v1/device/events`, deviceToken);
      try {
        expectSecurityHeaders('event stream', stream.response.headers);
      } finally {
        stream.close();
      }
    });

    it('serves the API docs under the same policy, which lets Swagger UI run: no inline script, every script and style from here with its type', async () => {
      const docs = await fetch(`${t.url}/docs`);
      expect(docs.status).toBe(200);
      expectSecurityHeaders('/docs', docs.headers);
      const html = await docs.text();
      // Inline scripts would be refused by script-src 'self'.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
      const assets = [...html.matchAll(/(?:src|href)=["']([^"']+\.(?:js|css))["']/g)].map((match) =>
        new URL(match[1], `${t.url}/docs`).toString(),
      );
      expect(assets.filter((asset) => asset.endsWith('.js')).length).toBeGreaterThan(0);
      for (const asset of assets) {
        expect(asset.startsWith(t.url)).toBe(true);
        const response = await fetch(asset);
        expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
        // Under nosniff a browser runs a script, or applies a style sheet, only if its type says so.
        expect(response.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /javascript/ : /^text\/css/);
        expectSecurityHeaders(asset, response.headers);
        await response.arrayBuffer();
      }
      expect((await fetch(`${t.url}/docs-json`)).status).toBe(200);
    });

    it('ignores X-Forwarded-For and X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
      const reply = await t.api.get('/health', {
        headers: {
          'x-request-id': 'untrusted-forward',
          'x-forwarded-for': '203.0.113.9',
          'x-forwarded-proto': 'https',
        },
      });
      expect(loggedAddress(t, 'untrusted-forward')).toBe('127.0.0.1');
      expect(reply.headers.get('strict-transport-security')).toBeNull();
    });
  });

  describe('behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
    let t: TestApp;
    let deviceToken: string;
    beforeAll(async () => {
      t = await startApp({ TRUSTED_PROXIES: '127.0.0.1' });
      const admin = await adminToken(t);
      await importSongtao(t, admin);
      deviceToken = (await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE)).enrollmentCode)).token;
    });
    afterAll(() => t.close());

    it("takes the client's address from X-Forwarded-For", async () => {
      await t.api.get('/health', { headers: { 'x-request-id': 'trusted-forward', 'x-forwarded-for': '203.0.113.9' } });
      expect(loggedAddress(t, 'trusted-forward')).toBe('203.0.113.9');
    });

    it('sends HSTS only for a request the proxy says came over HTTPS', async () => {
      const overHttps = await t.api.get('/health', { headers: { 'x-forwarded-proto': 'https' } });
      expect(overHttps.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
      const overHttp = await t.api.get('/health', { headers: { 'x-forwarded-proto': 'http' } });
      expect(overHttp.headers.get('strict-transport-security')).toBeNull();
      expect((await t.api.get('/health')).headers.get('strict-transport-security')).toBeNull();
      expect(
        (await t.api.get('/api/v1/nothing-here', { headers: { 'x-forwarded-proto': 'https' } })).headers.get(
          'strict-transport-security',
        ),
      ).not.toBeNull();
    });

    it('sends HSTS on the device playlist only over HTTPS, whichever came first for the same version', async () => {
      // The route prepares its header lists once per version and per kind of request, so alternate the kinds.
      const pull = (proto: string, etag?: string) =>
        fetch(`${t.url}/api/v1/device/playlist`, {
          headers: {
            authorization: `Bearer ${deviceToken}`,
            'x-forwarded-proto': proto,
            ...(etag ? { 'if-none-match': etag } : {}),
          },
        });
      const first = await pull('http');
      await first.arrayBuffer();
      const etag = first.headers.get('etag')!;
      const seen: Array<[string, number, boolean]> = [];
      for (const [proto, held] of [
        ['https', false],
        ['http', true],
        ['https', true],
        ['http', false],
      ] as const) {
        const reply = await pull(proto, held ? etag : undefined);
        await reply.arrayBuffer();
        expect(reply.headers.get('etag')).toBe(etag);
        seen.push([proto, reply.status, reply.headers.get('strict-transport-security') !== null]);
      }
      expect(seen).toEqual([
        ['https', 200, true],
        ['http', 304, false],
        ['https', 304, true],
        ['http', 200, false],
      ]);
    });
  });

  describe('with DOCS_PUBLIC=false', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ DOCS_PUBLIC: 'false' });
    });
    afterAll(() => t.close());

    it('answers 404 for /docs and /docs-json', async () => {
      for (const path of ['/docs', '/docs-json', '/docs-yaml']) {
        const reply = await t.api.get(path);
        expect({ path, status: reply.status }).toEqual({ path, status: 404 });
      }
    });
  });
});
