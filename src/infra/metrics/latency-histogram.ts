import type { Metric, Registry } from 'prom-client';

/**
 * One label set of a latency histogram. Observing costs a short loop and
 * three additions, no allocation and no hashing: prom-client's own histogram
 * validates and hashes the labels at every observation (about a microsecond),
 * which the route every device polls cannot spare.
 */
export class LatencySeries {
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && seconds > bounds[bucket]) bucket++;
    this.counts[bucket]++;
    this.sum += seconds;
    this.count++;
  }

  /** The samples Prometheus reads: cumulative buckets, then _sum and _count. */
  samples(name: string) {
    let cumulative = 0;
    const buckets = [...this.bounds.map(String), '+Inf'].map((le, bucket) => {
      cumulative += this.counts[bucket];
      return { metricName: `${name}_bucket`, labels: { le, ...this.labels }, value: cumulative };
    });
    return [
      ...buckets,
      { metricName: `${name}_sum`, labels: this.labels, value: this.sum },
      { metricName: `${name}_count`, labels: this.labels, value: this.count },
    ];
  }
}

/** A histogram of its own label sets, each bound once (`series`) and observed cheaply, exported through a prom-client registry. */
export class LatencyHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, LatencySeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    // The registry reads any object with a name, help, type and values; prom-client's types list only its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values (in labelNames' order), made on first use; keep it to observe without a lookup. */
  labels(...values: string[]): LatencySeries {
    const key = values.join('\u0000');
    let found = this.series.get(key);
    if (!found) {
      const labels = Object.fromEntries(this.labelNames.map((name, i) => [name, values[i]]));
      this.series.set(key, (found = new LatencySeries(labels, this.bounds)));
    }
    return found;
  }

  get() {
    const { name, help, type, aggregator } = this;
    return { name, help, type, aggregator, values: [...this.series.values()].flatMap((each) => each.samples(name)) };
  }

  reset(): void {
    this.series.clear();
  }
}
