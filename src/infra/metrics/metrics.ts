import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LatencyHistogram } from './latency-histogram';

/**
 * Every metric the application exports, declared once (docs/operations.md,
 * "Metrics"). Each process has its own registry and Prometheus scrapes each
 * process; a figure every process can see the same way (queue depth,
 * endpoints online) is reported by each, so a dashboard takes its max.
 */
export const METRIC = {
  httpDuration: 'dalaba_http_request_duration_seconds',
  sseConnections: 'dalaba_sse_connections',
  ssePushes: 'dalaba_sse_events_total',
  receipts: 'dalaba_device_receipts_total',
  queueJobs: 'dalaba_queue_jobs',
  jobDuration: 'dalaba_job_duration_seconds',
  endpointsOnline: 'dalaba_endpoints_online',
  endpointsEnrolled: 'dalaba_endpoints_enrolled',
} as const;

/** One reading of a scraped gauge: its labels and its value. */
export type Reading<L extends string> = [labels: Partial<Record<L, string>>, value: number];
type Reader<L extends string> = () => Promise<Array<Reading<L>>> | Array<Reading<L>>;

const WARN_EVERY_MS = 60_000;

/**
 * A gauge read when Prometheus scrapes, from whatever registered to report it:
 * features plug their readers in, the metrics know no feature. A reader that
 * fails leaves its series out of that scrape (and says so in the log, once a
 * minute) instead of failing the whole scrape.
 */
export class ScrapedGauge<L extends string> {
  private readonly readers: Array<Reader<L>> = [];

  constructor(registry: Registry, name: string, help: string, labelNames: L[], logger: Logger) {
    const readers = this.readers;
    let warnedAt = 0;
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const read = await Promise.all(
          readers.map(async (reader) => {
            try {
              return await reader();
            } catch (error) {
              if (Date.now() - warnedAt > WARN_EVERY_MS) {
                warnedAt = Date.now();
                logger.warn(`reading ${name}: ${(error as Error).message}`);
              }
              return [];
            }
          }),
        );
        this.reset();
        // Summed: two readers reporting the same labels add up.
        for (const [labels, value] of read.flat()) this.inc(labels, value);
      },
    });
  }

  /** Reports through `reader` at each scrape; with `cacheSeconds`, a reading is reused that long (an expensive query). */
  readFrom(reader: Reader<L>, cacheSeconds = 0): void {
    if (!cacheSeconds) {
      this.readers.push(reader);
      return;
    }
    let readAt = 0;
    let last: Promise<Array<Reading<L>>> | undefined;
    this.readers.push(() => {
      if (!last || Date.now() - readAt >= cacheSeconds * 1000) {
        readAt = Date.now();
        last = Promise.resolve(reader()).catch((error: unknown) => {
          last = undefined;
          throw error;
        });
      }
      return last;
    });
  }
}

@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');

  /** Time to answer a request, by method, route pattern (never the raw URL: its cardinality is unbounded) and status class. */
  readonly httpDuration = new LatencyHistogram(
    METRIC.httpDuration,
    'Time from request to response, by method, route pattern and status class (2xx, 4xx…)',
    ['method', 'route', 'status'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    this.registry,
  );

  readonly sseConnections = new ScrapedGauge(
    this.registry,
    METRIC.sseConnections,
    'Device event streams (SSE) open on this process',
    [],
    this.logger,
  );

  // Counted here and handed to the counter at each scrape: an alert is one write per device, tens of thousands
  // in a row, and prom-client's inc validates and hashes its labels every time.
  private readonly pushes = new Map<string, { count: number }>();

  private readonly receipts = new Counter({
    name: METRIC.receipts,
    help: 'Play receipts devices sent: stored, or duplicates of ones stored before',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly queueJobs = new ScrapedGauge(
    this.registry,
    METRIC.queueJobs,
    'Jobs in each queue by state (waiting, active, delayed, failed); the same in every process',
    ['queue', 'state'],
    this.logger,
  );

  private readonly jobDuration = new Histogram({
    name: METRIC.jobDuration,
    help: 'Time a job ran in this worker, by queue, job name and outcome (completed, failed)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });

  readonly endpointsOnline = new ScrapedGauge(
    this.registry,
    METRIC.endpointsOnline,
    'Enrolled endpoints whose last heartbeat is within ENDPOINT_ONLINE_SECONDS, by county; the same in every process',
    ['county', 'county_name'],
    this.logger,
  );

  readonly endpointsEnrolled = new ScrapedGauge(
    this.registry,
    METRIC.endpointsEnrolled,
    'Enrolled, unrevoked endpoints by county; the same in every process',
    ['county', 'county_name'],
    this.logger,
  );

  constructor() {
    countedAtScrape(
      this.registry,
      METRIC.ssePushes,
      'Events written to device event streams, by event type (emergency, playlist-changed, command…)',
      'event',
      this.pushes,
    );
  }

  /** Counts `count` events of this type written to device streams. */
  pushed(event: string): void {
    const counted = this.pushes.get(event);
    if (counted) counted.count++;
    else this.pushes.set(event, { count: 1 });
  }

  receiptsStored(stored: number, duplicates: number): void {
    if (stored) this.receipts.inc({ result: 'stored' }, stored);
    if (duplicates) this.receipts.inc({ result: 'duplicate' }, duplicates);
  }

  /** Runs a job, timing it by queue, name and outcome. */
  async timeJob<T>(queue: string, job: string, run: () => Promise<T>): Promise<T> {
    const stop = this.jobDuration.startTimer({ queue, job });
    try {
      const result = await run();
      stop({ outcome: 'completed' });
      return result;
    } catch (error) {
      stop({ outcome: 'failed' });
      throw error;
    }
  }

  /** The text Prometheus reads. */
  async exposition(): Promise<string> {
    const [own, node] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return `${own}\n${node}`;
  }
}

let nodeMetrics: Registry | undefined;

/**
 * Node's own metrics (CPU, memory, event-loop lag, GC), under their usual
 * names so stock dashboards read them. Made once a process, not once an app:
 * prom-client's collectors (an event-loop monitor, a GC observer) live as long
 * as the process and would keep every app made in it (tests make hundreds) alive.
 */
function processRegistry(): Registry {
  if (!nodeMetrics) {
    nodeMetrics = new Registry();
    collectDefaultMetrics({ register: nodeMetrics });
  }
  return nodeMetrics;
}

/** A counter whose values are kept elsewhere (by one label) and read when Prometheus scrapes. */
function countedAtScrape(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  counts: ReadonlyMap<string, { count: number }>,
): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, { count }] of counts) this.inc({ [label]: value }, count);
    },
  });
}
