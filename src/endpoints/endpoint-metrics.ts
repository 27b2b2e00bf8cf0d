import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { PrismaService } from '../infra/database/prisma.service';
import { Metrics } from '../infra/metrics/metrics';
import { DeviceEventHub } from './device-event-hub';

// One grouped query over every endpoint: a scrape every few seconds from several Prometheus servers reuses it this long.
const COUNTS_CACHE_SECONDS = 15;

interface CountyCounts {
  county: string;
  name: string;
  enrolled: number;
  online: number;
}

/**
 * What the endpoints report to the metrics: the event streams open here, and
 * the enrolled endpoints of each county and how many of them are online (a
 * heartbeat within ENDPOINT_ONLINE_SECONDS). Heartbeats reach Postgres within
 * a flush interval, which is shorter than the online window.
 */
@Injectable()
export class EndpointMetrics implements OnModuleInit {
  private counts?: Promise<CountyCounts[]>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly hub: DeviceEventHub,
    private readonly prisma: PrismaService,
  ) {}

  onModuleInit(): void {
    this.metrics.sseConnections.readFrom(() => [[{}, this.hub.openStreams()]]);
    const byCounty = (read: (counts: CountyCounts) => number) => async () =>
      (await this.countyCounts()).map((counts): [{ county: string; county_name: string }, number] => [
        { county: counts.county, county_name: counts.name },
        read(counts),
      ]);
    this.metrics.endpointsOnline.readFrom(byCounty((counts) => counts.online));
    this.metrics.endpointsEnrolled.readFrom(byCounty((counts) => counts.enrolled));
  }

  /** Both gauges come from one query, itself reused for COUNTS_CACHE_SECONDS. */
  private countyCounts(): Promise<CountyCounts[]> {
    if (this.counts) return this.counts;
    const onlineSince = new Date(Date.now() - this.config.endpoints.onlineSeconds * 1000);
    const counts = this.prisma.$queryRaw<CountyCounts[]>`
      SELECT c.code AS county, c.name,
        count(*)::int AS enrolled,
        count(*) FILTER (WHERE e.last_seen_at >= ${onlineSince})::int AS online
      FROM endpoint e
      JOIN region r ON r.code = e.region_code
      JOIN region c ON c.code = r.county_code
      WHERE e.enrolled_at IS NOT NULL AND e.revoked_at IS NULL
      GROUP BY c.code, c.name`;
    this.counts = counts;
    const forget = () => {
      if (this.counts === counts) this.counts = undefined;
    };
    // Kept while fresh; a failed query is asked again at the next scrape.
    counts.then(() => setTimeout(forget, COUNTS_CACHE_SECONDS * 1000).unref(), forget);
    return counts;
  }
}
