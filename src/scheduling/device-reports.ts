import { Injectable } from '@nestjs/common';
import type { LocalDate } from '../kernel/county-time';
import type { Outcome } from './domain/reconciliation';

/** An enrolled, unrevoked endpoint as readiness sees it on a date. */
export interface ReportingEndpoint {
  id: string;
  name: string;
  regionCode: string;
  lastSeenAt: Date | null;
  heldMedia: string[];
  /** The version of the date's playlist it fetched last; null when it fetched none. */
  fetchedVersion: string | null;
}

/** What an endpoint said of one item it was to play; an emergency's acknowledgement says it heard the alert. */
export interface PlayReport {
  endpointId: string;
  itemId: string;
  outcome: Outcome | 'acknowledged';
}

export interface DeviceReportSource {
  /** The endpoints of a region's subtree, in id order. */
  endpointsUnder(regionCode: string, date: LocalDate): Promise<ReportingEndpoint[]>;
  receiptsOf(endpointIds: string[], date: LocalDate): Promise<PlayReport[]>;
}

/**
 * What devices report of their playlists, which readiness and coverage read.
 * The devices' tables belong to endpoints, which imports scheduling (for the
 * playlists it serves), so endpoints provides this at start-up (as emergencies
 * registers its PlaylistPreemptions) and scheduling reads no table of theirs.
 */
@Injectable()
export class DeviceReports implements DeviceReportSource {
  private source: DeviceReportSource | null = null;

  provide(source: DeviceReportSource): void {
    this.source = source;
  }

  endpointsUnder(regionCode: string, date: LocalDate): Promise<ReportingEndpoint[]> {
    return this.provided().endpointsUnder(regionCode, date);
  }

  receiptsOf(endpointIds: string[], date: LocalDate): Promise<PlayReport[]> {
    return this.provided().receiptsOf(endpointIds, date);
  }

  private provided(): DeviceReportSource {
    if (!this.source) throw new Error('No module provides device reports (EndpointsModule does at start-up)');
    return this.source;
  }
}
