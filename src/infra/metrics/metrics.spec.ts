import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, Registry } from 'prom-client';
import { timedFrontRoute } from './http-metrics';
import { LatencyHistogram } from './latency-histogram';
import { Metrics } from './metrics';

const sampleValue = (text: string, series: string) => {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
};

describe('a scraped gauge', () => {
  it('leaves out a reader that fails, keeps the others, and the scrape still answers', async () => {
    const metrics = new Metrics();
    metrics.queueJobs.readFrom(() => Promise.reject(new Error('Redis did not answer')));
    metrics.queueJobs.readFrom(() => [[{ queue: 'media', state: 'waiting' }, 3]]);
    const text = await metrics.exposition();
    expect(sampleValue(text, 'dalaba_queue_jobs{queue="media",state="waiting"}')).toBe(3);
    expect(text.match(/^dalaba_queue_jobs\{/gm)).toHaveLength(1);
  });

  it('reuses a cached reading for its time, and reads again after a failure', async () => {
    const metrics = new Metrics();
    let reads = 0;
    let fail = true;
    metrics.endpointsOnline.readFrom(async () => {
      reads++;
      if (fail) throw new Error('Postgres away');
      return [[{ county: '520628000000', county_name: '松桃' }, reads]];
    }, 60);
    expect(
      sampleValue(await metrics.exposition(), 'dalaba_endpoints_online{county="520628000000",county_name="松桃"}'),
    ).toBeUndefined();
    fail = false;
    await metrics.exposition();
    const text = await metrics.exposition();
    expect(reads).toBe(2);
    expect(sampleValue(text, 'dalaba_endpoints_online{county="520628000000",county_name="松桃"}')).toBe(2);
  });
});

describe('a timed front route', () => {
  const response = (ended: boolean, statusCode: number) =>
    Object.assign(new EventEmitter(), { writableEnded: ended, statusCode }) as unknown as ServerResponse;
  const request = (method: string) => ({ method }) as IncomingMessage;
  const count = async (metrics: Metrics, method: string, status: string) =>
    sampleValue(
      await metrics.exposition(),
      `dalaba_http_request_duration_seconds_count{method="${method}",route="/front",status="${status}"}`,
    );

  it('times only the requests it answers, by status class, whether it answered at once or later', async () => {
    const metrics = new Metrics();
    const answers = [true, true, false, true];
    const route = timedFrontRoute(metrics, '/front', () => answers.shift()!);
    expect(route(request('GET'), response(true, 304), [])).toBe(true);
    const later = response(false, 200);
    expect(route(request('GET'), later, [])).toBe(true);
    expect(route(request('GET'), response(true, 200), [])).toBe(false);
    expect(route(request('DELETE'), response(true, 405), [])).toBe(true);
    expect(await count(metrics, 'GET', '3xx')).toBe(1);
    expect(await count(metrics, 'GET', '2xx')).toBeUndefined();
    later.emit('finish');
    expect(await count(metrics, 'GET', '2xx')).toBe(1);
    expect(await count(metrics, 'DELETE', '4xx')).toBe(1);
  });
});

describe('the latency histogram', () => {
  it("exports exactly what prom-client's own histogram does for the same observations", async () => {
    const buckets = [0.001, 0.01, 0.1, 1];
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({
      name: 'h',
      help: 'h',
      labelNames: ['route', 'status'],
      buckets,
      registers: [theirs],
    });
    const cheap = new LatencyHistogram('h', 'h', ['route', 'status'], buckets, ours);
    for (const [route, status, seconds] of [
      ['/a', '2xx', 0.0005],
      ['/a', '2xx', 0.001],
      ['/a', '2xx', 0.05],
      ['/b', '5xx', 7],
    ] as const) {
      reference.labels(route, status).observe(seconds);
      cheap.labels(route, status).observe(seconds);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('h_bucket{le="0.001",route="/a",status="2xx"} 2');
  });
});

describe('pushes', () => {
  it('are counted by event type and read at each scrape', async () => {
    const metrics = new Metrics();
    expect(await metrics.exposition()).not.toMatch(/^dalaba_sse_events_total\{/m);
    for (let i = 0; i < 3; i++) metrics.pushed('emergency');
    metrics.pushed('command');
    let text = await metrics.exposition();
    expect(sampleValue(text, 'dalaba_sse_events_total{event="emergency"}')).toBe(3);
    expect(sampleValue(text, 'dalaba_sse_events_total{event="command"}')).toBe(1);
    metrics.pushed('command');
    text = await metrics.exposition();
    expect(sampleValue(text, 'dalaba_sse_events_total{event="command"}')).toBe(2);
  });
});
