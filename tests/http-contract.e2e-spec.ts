import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type TestApp } from './helpers/app';
import { spawnProcess } from './helpers/processes';

const OPENAPI_CLI = join(__dirname, '../dist/cli/openapi.js');

describe('HTTP contract: errors, request ids, logs and OpenAPI', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('answers unknown routes, bad JSON and oversized bodies in the one error shape', async () => {
    const unknown = await t.api.get('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(Object.keys(unknown.body).sort()).toEqual(['error', 'message', 'requestId', 'statusCode']);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });

    const badJson = await t.api.post('/api/v1/auth/login', undefined, {
      raw: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });

    const huge = await t.api.post('/api/v1/auth/login', undefined, {
      raw: JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });

    const invalid = await t.api.post('/api/v1/auth/login', { username: 42 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body.username' }),
        expect.objectContaining({ path: 'body.password' }),
      ]),
    );
  });

  it('keeps a caller-supplied X-Request-Id, echoes it, and writes it on the JSON log lines', async () => {
    const reply = await t.api.get('/health', { headers: { 'x-request-id': 'village-42-check' } });
    expect(reply.headers.get('x-request-id')).toBe('village-42-check');
    const lines = t.logs.filter((line) => line.reqId === 'village-42-check');
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    const generated = await t.api.get('/health');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes each key once on a log line, and lists routes only at debug level', async () => {
    await t.api.get('/health', { headers: { 'x-request-id': 'one-key-check' } });
    await t.api.get('/api/v1/nothing-here', { headers: { 'x-request-id': 'one-key-check' } });
    const lines = t.rawLogs.filter((line) => line.includes('one-key-check'));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(topLevelKeys(line)).toEqual([...new Set(topLevelKeys(line))]);
    expect(t.logs.filter((line) => /^Mapped \{/.test(String(line.msg)))).toEqual([]);
  });

  it('serves an OpenAPI document covering every route with request and response shapes', async () => {
    const doc = (await t.api.get('/docs-json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
    );
    const ids = operations.map((o) => o.id);
    for (const expected of [
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/session',
      'GET /api/v1/auth/session',
      'DELETE /api/v1/auth/session',
      'POST /api/v1/users',
      'POST /api/v1/regions/import',
      'GET /api/v1/regions/{code}',
      'POST /api/v1/endpoints',
      'GET /api/v1/endpoints',
      'POST /api/v1/endpoints/{id}/revoke',
      'POST /api/v1/devices/enroll',
      'POST /api/v1/device/heartbeat',
      'GET /api/v1/device/playlist',
      'POST /api/v1/emergencies',
      'POST /api/v1/emergencies/cap',
      'GET /api/v1/emergencies/{id}/cap',
      'GET /api/v1/audit',
      'GET /health',
    ]) {
      expect(ids).toContain(expected);
    }
    for (const { id, op } of operations) {
      const success = Object.keys(op.responses).find((code) => code.startsWith('2'));
      expect({ id, success: Boolean(success) }).toEqual({ id, success: true });
      if (
        id.startsWith('POST') &&
        ![
          '/revoke',
          '/enrollment-code',
          '/approve',
          '/accept',
          'lecture-sessions/{id}/cancel',
          'orders/{id}/cancel',
          'live-sessions/{id}/end',
          '/poster',
          'volunteer/me/code',
          '/disable',
          '/enable',
          'webhooks/{id}/secret',
          'webhooks/{id}/test',
        ].some((action) => id.endsWith(action))
      ) {
        expect({ id, body: Boolean(op.requestBody) }).toEqual({ id, body: true });
      }
    }
    const enroll = operations.find((o) => o.id === 'POST /api/v1/devices/enroll')!.op;
    expect(enroll.requestBody.content['application/json'].schema.required).toEqual(['enrollmentCode', 'serial']);
    expect(doc.components.schemas.Error.required).toEqual(['statusCode', 'error', 'message']);
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'dalaba_session',
    });
    const me = operations.find((o) => o.id === 'GET /api/v1/auth/me')!.op;
    expect(me.security).toEqual([{ user: [] }, { session: [] }]);
    const ui = await t.api.get('/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
  });

  it('writes the same document at build time, with no database, Redis or environment (npm run openapi)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'dalaba-openapi-'));
    try {
      const file = join(folder, 'openapi.json');
      // Not even DATABASE_URL: the console's build runs where no service is.
      const cli = spawnProcess(process.execPath, [OPENAPI_CLI, file], { PATH: process.env.PATH, TMPDIR: tmpdir() });
      expect({ exit: await cli.exited, output: cli.output() }).toEqual({ exit: 0, output: '' });
      const served = (await t.api.get('/docs-json')).body;
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(served);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
  it('lists the OpenAPI components by name, each one a route uses, so moving code between modules leaves the document as it was', async () => {
    const doc = (await t.api.get('/docs-json')).body;
    const names = Object.keys(doc.components.schemas as Record<string, unknown>);
    expect(names).toEqual([...names].sort());
    const referenced = new Set(
      [...JSON.stringify(doc.paths).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]),
    );
    expect([...referenced].sort()).toEqual(names);
    // Every reference resolves: the console's types are generated from this document.
    const everyRef = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]);
    expect(everyRef.filter((ref) => !ref.startsWith('#/components/schemas/'))).toEqual([]);
  });
});

/** The top-level keys of a JSON object as written, duplicates included (JSON.parse keeps only the last). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') {
      const end = endOfString(line, i);
      if (depth === 1 && line[end + 1] === ':') keys.push(JSON.parse(line.slice(i, end + 1)));
      i = end;
    } else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
  }
  return keys;
}

function endOfString(line: string, start: number): number {
  for (let i = start + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return i;
  }
  return line.length;
}
