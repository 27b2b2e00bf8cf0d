import { Injectable, NotFoundException } from '@nestjs/common';
import type { LedgerKind } from '../ledger/domain/entries';
import { countyDayRange } from '../ledger/domain/periods';
import type { TypedLedgerEntry } from '../ledger/ledger-entry';
import { LedgerService } from '../ledger/ledger.service';
import { OrdersRepository } from '../lectures/orders.repository';
import { RegionsRepository } from '../regions/regions.repository';
import { SchedulingService } from '../scheduling/scheduling.service';
import { type Assessment, type AssessmentInput, buildAssessment } from './domain/assessment';
import { queryPeriod } from './report-period';

/** The daily 17:30 slot: the broadcast the assessment counts (a county may add other slots). */
const EVENING_SLOT = 'evening';

/**
 * Gathers what the assessment is built from: the ledger's entries of the
 * region and period as corrected (the reconciliation's broadcast_aired
 * records, lecture sessions, volunteer hours, ratings) and the orders placed
 * in the period, as the civic-practice report reads them.
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly orders: OrdersRepository,
    private readonly regions: RegionsRepository,
    private readonly scheduling: SchedulingService,
  ) {}

  async assess(regionCode: string, periodText: string): Promise<Assessment> {
    const period = queryPeriod(periodText);
    const region = await this.regions.find(regionCode);
    if (!region) throw new NotFoundException(`Region ${regionCode} not found`);
    const range = countyDayRange(period.first, period.last);
    const kinds: LedgerKind[] = ['broadcast_aired', 'lecture_session', 'volunteer_hours', 'rating'];
    const entries = await this.ledger.read({ scopeCode: regionCode, ...range, kinds });
    // A broadcast is recorded at the smallest region holding its targets: a county's or township's reaches this region too.
    for (const code of [region.countyCode, region.townshipCode])
      if (code !== null && code !== regionCode)
        entries.push(
          ...(await this.ledger.read({ scopeCode: code, exactRegion: true, ...range, kinds: ['broadcast_aired'] })),
        );

    const input: AssessmentInput = {
      region,
      children: region.level === 'village' ? [] : await this.regions.children(regionCode),
      period,
      broadcasts: [],
      sessions: [],
      volunteerHours: [],
      ratings: [],
      orders: await this.orders.figures(regionCode, range.from!, range.to!),
    };
    const evening = await this.eveningBroadcasts(entries);
    for (const entry of entries) {
      const { regionCode: code } = entry;
      if (entry.kind === 'broadcast_aired' && evening.has(entry.payload.broadcastId))
        input.broadcasts.push(entry.payload);
      else if (entry.kind === 'lecture_session') input.sessions.push({ regionCode: code, payload: entry.payload });
      else if (entry.kind === 'volunteer_hours')
        input.volunteerHours.push({ regionCode: code, payload: entry.payload });
      else if (entry.kind === 'rating') input.ratings.push({ regionCode: code, payload: entry.payload });
    }
    return buildAssessment(input);
  }

  /** The broadcasts among the entries that air in the evening slot: the entries name the broadcast, its plan names the slot. */
  private async eveningBroadcasts(entries: TypedLedgerEntry[]): Promise<Set<string>> {
    const ids = new Set(
      entries.flatMap((entry) => (entry.kind === 'broadcast_aired' ? [entry.payload.broadcastId] : [])),
    );
    const evening = new Set<string>();
    for (const id of ids) if ((await this.scheduling.plan(id))?.slotName === EVENING_SLOT) evening.add(id);
    return evening;
  }
}
