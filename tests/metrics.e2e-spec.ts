import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EndpointJobs } from '../src/endpoints/endpoints.jobs';
import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { adminToken, createEndpoint, DAXING_VILLAGE, enroll, importSongtao, SONGTAO } from './helpers/factories';
import { freePort, MAIN, spawnProcess, startRedisServer, waitFor } from './helpers/processes';
import { exportedNames, metricNamesIn, parseExposition, samplesOf, valueOf, type Sample } from './helpers/prometheus';
import { EventStream } from './helpers/sse';

// Starts two apps and a worker process (from dist/: `npm run build` first): about 30 s.

const TOKEN = 'metrics-token-for-the-tests-0123456789';
const LATENCY = 'dalaba_http_request_duration_seconds_count';

async function scrape(url: string, token = TOKEN): Promise<Sample[]> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
  return parseExposition(await response.text());
}

describe('Prometheus metrics on the API port, behind METRICS_TOKEN', () => {
  let t: TestApp;
  let admin: string;
  let beating: { endpointId: string; token: string };
  const metrics = () => scrape(`${t.url}/metrics`);

  beforeAll(async () => {
    t = await startApp({ METRICS_TOKEN: TOKEN, HEARTBEAT_FLUSH_SECONDS: '1' });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    beating = await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE, 'beats')).enrollmentCode, 'SN-1');
    await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE, 'silent')).enrollmentCode, 'SN-2');
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 50 }, { token: beating.token })).status).toBe(200);
    // Heartbeats may reach Postgres in batches: the scrape reads Postgres.
    await waitFor('the heartbeat in Postgres', async () =>
      (await sql(t.database, 'SELECT 1 FROM endpoint WHERE id = $1 AND last_seen_at IS NOT NULL', [beating.endpointId]))
        .length
        ? true
        : undefined,
    );
  });
  afterAll(() => t.close());

  it('refuses a scrape without the token or with a wrong one, in the error shape, saying nothing of the metrics', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-of-the-same-kind-0123456' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${t.url}/metrics`, { headers });
      const text = await response.text();
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(JSON.parse(text)).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'A valid bearer token (METRICS_TOKEN) is required',
        requestId: expect.any(String),
      });
      expect(text).not.toMatch(/dalaba_|process_|nodejs_/);
    }
  });

  it('labels request latency with the route pattern, never the raw URL, the front route included', async () => {
    const { id } = await createEndpoint(t, admin, DAXING_VILLAGE, 'looked at');
    expect((await t.api.get(`/api/v1/endpoints/${id}`, { token: admin })).status).toBe(200);
    const stray = randomUUID();
    expect((await t.api.get(`/no-such-page/${stray}`)).status).toBe(404);
    const pull = await t.api.get('/api/v1/device/playlist', { token: beating.token });
    const samples = await metrics();

    const byRoute = { method: 'GET', route: '/api/v1/endpoints/:id', status: '2xx' };
    expect(valueOf(samples, LATENCY, byRoute)).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, LATENCY, { method: 'GET', route: 'unmatched', status: '4xx' })).toBeGreaterThanOrEqual(1);
    const pullClass = `${String(pull.status)[0]}xx`;
    expect(valueOf(samples, LATENCY, { method: 'GET', route: '/api/v1/device/playlist', status: pullClass })).toBe(1);
    const routes = samplesOf(samples, LATENCY).map((sample) => sample.labels.route);
    expect(routes.filter((route) => route.includes(id) || route.includes(stray))).toEqual([]);
    // Node's own, under their usual names.
    expect(samplesOf(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
  });

  it('counts endpoints online by county: the one that beat, not the silent one', async () => {
    const samples = await metrics();
    expect(valueOf(samples, 'dalaba_endpoints_enrolled', { county: SONGTAO })).toBe(2);
    expect(valueOf(samples, 'dalaba_endpoints_online', { county: SONGTAO })).toBe(1);
    expect(samplesOf(samples, 'dalaba_endpoints_online')[0].labels.county_name).toBe('松桃苗族自治县');
  });

  it('counts the event streams open while a device is connected, and the events pushed to it', async () => {
    const open = async () => valueOf(await metrics(), 'dalaba_sse_connections');
    expect(await open()).toBe(0);
    const stream = await EventStream.open(`${t.url}/api/v1/device/events`, beating.token);
    try {
      await waitFor('the stream to be counted', async () => ((await open()) === 1 ? true : undefined));
      const issued = await t.api.post(
        '/api/v1/endpoint-commands',
        { kind: 'mute', endpointId: beating.endpointId },
        { token: admin },
      );
      expect(issued.status).toBe(201);
      await waitFor('the command event', async () => (stream.events.length ? true : undefined));
      expect(valueOf(await metrics(), 'dalaba_sse_events_total', { event: stream.events[0].event })).toBe(1);
    } finally {
      stream.close();
    }
    await waitFor('the closed stream to be uncounted', async () => ((await open()) === 0 ? true : undefined));
  });

  it('counts play receipts stored and those sent again', async () => {
    const receipt = {
      id: randomUUID(),
      itemId: 'made-up-item',
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      endedAt: new Date().toISOString(),
      outcome: 'played',
    };
    for (let i = 0; i < 2; i++)
      expect(
        (await t.api.post('/api/v1/device/receipts', { receipts: [receipt] }, { token: beating.token })).status,
      ).toBe(200);
    const samples = await metrics();
    expect(valueOf(samples, 'dalaba_device_receipts_total', { result: 'stored' })).toBe(1);
    expect(valueOf(samples, 'dalaba_device_receipts_total', { result: 'duplicate' })).toBe(1);
  });

  it('reports each queue by state, and how long each job ran', async () => {
    await t.app.get(EndpointJobs).schedulePurge();
    const job = { queue: 'maintenance', job: 'endpoints.purge-expired-enrollment-codes', outcome: 'completed' };
    const samples = await waitFor('the job to be timed', async () => {
      const found = await metrics();
      return valueOf(found, 'dalaba_job_duration_seconds_count', job) ? found : undefined;
    });
    expect(valueOf(samples, 'dalaba_job_duration_seconds_count', job)).toBe(1);
    for (const state of ['waiting', 'active', 'delayed', 'failed'])
      expect(valueOf(samples, 'dalaba_queue_jobs', { queue: 'maintenance', state })).toBe(0);
    expect(new Set(samplesOf(samples, 'dalaba_queue_jobs').map((sample) => sample.labels.queue)).size).toBeGreaterThan(
      5,
    );
  });

  it('the Grafana dashboard is valid JSON whose every query reads metrics the app exports', async () => {
    const dashboard = JSON.parse(readFileSync(join(__dirname, '../deploy/grafana/dalaba.json'), 'utf8')) as {
      templating: { list: Array<{ name: string; type: string; query: unknown }> };
      panels: Array<{ type: string; title: string; datasource?: unknown; targets?: Array<{ expr: string }> }>;
    };
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const exported = exportedNames(await response.text());
    expect(metricNamesIn('sum by (route) (rate(x_total{a="b"}[5m])) / on (route) y')).toEqual(['x_total', 'y']);

    const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(graphs.length).toBeGreaterThanOrEqual(10);
    const unknown: string[] = [];
    for (const panel of graphs) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets!) {
        const names = metricNamesIn(expr);
        expect(names.length).toBeGreaterThan(0);
        unknown.push(...names.filter((name) => !exported.has(name)).map((name) => `${panel.title}: ${name}`));
      }
    }
    expect(unknown).toEqual([]);
  });

  it('a worker process answers /health (and /metrics, behind the token) on its own port; 503 once Redis is gone', async () => {
    const port = await freePort();
    // A Redis of its own, which the test then stops.
    const redis = await startRedisServer();
    const worker = spawnProcess(process.execPath, [MAIN], {
      ...process.env,
      ...t.env,
      REDIS_URL: redis.url,
      APP_ROLE: 'worker',
      WORKER_HEALTH_PORT: String(port),
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor('the worker to listen', async () => ((await fetch(`${base}/health`)).ok ? true : undefined));
    expect(worker.output()).toContain(`worker health on 0.0.0.0:${port}/health`);
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/health'],
      ['GET', '/api/v1/endpoints'],
    ]) {
      const refused = await fetch(base + path, { method });
      expect(refused.status).toBe(404);
      expect(await refused.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    expect((await fetch(`${base}/metrics`)).status).toBe(401);

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      role: 'worker',
      checks: { database: { status: 'up' }, redis: { status: 'up' }, queue: { status: 'up' } },
    });
    const samples = await scrape(`${base}/metrics`);
    expect(samplesOf(samples, 'dalaba_queue_jobs').length).toBeGreaterThan(0);

    await redis.kill();
    const down = await waitFor('the worker to report Redis down', async () => {
      const response = await fetch(`${base}/health`);
      return response.status === 503 ? ((await response.json()) as { status: string; checks: object }) : undefined;
    });
    expect(down).toMatchObject({ status: 'error', checks: { database: { status: 'up' }, redis: { status: 'down' } } });
    await worker.stop();
  });
});

describe('Prometheus metrics on METRICS_PORT', () => {
  it('are served on that port alone, behind the token when one is set', async () => {
    const port = await freePort();
    const t = await startApp({ METRICS_PORT: String(port), METRICS_TOKEN: TOKEN, HOST: '127.0.0.1' });
    try {
      const onApi = await t.api.get('/metrics', { token: TOKEN });
      expect(onApi.status).toBe(404);
      expect(onApi.body).toMatchObject({ statusCode: 404 });
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);
      expect((await t.api.get('/health')).status).toBe(200);
      const samples = await scrape(url);
      expect(valueOf(samples, LATENCY, { method: 'GET', route: '/health', status: '2xx' })).toBe(1);
    } finally {
      await t.close();
    }
  });
});
