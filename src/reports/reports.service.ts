import { Injectable, NotFoundException } from '@nestjs/common';
import type { LectureSessionPayload, RatingPayload } from '../ledger/domain/entries';
import { countyDayRange, monthsOf } from '../ledger/domain/periods';
import type { LedgerEntryOf } from '../ledger/ledger-entry';
import { LedgerService } from '../ledger/ledger.service';
import { OrdersRepository } from '../lectures/orders.repository';
import { TopicsService } from '../lectures/topics.service';
import { RegionsRepository } from '../regions/regions.repository';
import { buildReport, CivicReport } from './domain/civic-report';
import { queryPeriod } from './report-period';

/** Gathers a region's period from the ledger (as corrected) and the orders, for the report to be built from. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly orders: OrdersRepository,
    private readonly topics: TopicsService,
    private readonly regions: RegionsRepository,
  ) {}

  async report(regionCode: string, periodText: string): Promise<CivicReport> {
    const period = queryPeriod(periodText);
    const region = await this.regions.find(regionCode);
    if (!region) throw new NotFoundException(`Region ${regionCode} not found`);
    const range = countyDayRange(period.first, period.last);

    const within = await this.ledger.read({ scopeCode: regionCode, ...range, kinds: ['lecture_session', 'rating'] });
    const sessions: Array<LedgerEntryOf<'lecture_session'>> = [];
    const ratings: RatingPayload[] = [];
    for (const entry of within) {
      if (entry.kind === 'lecture_session') sessions.push(entry);
      else if (entry.kind === 'rating') ratings.push(entry.payload);
    }
    // A county's or township's on-air session airs in the villages below it too.
    const above = [region.countyCode, region.townshipCode].filter(
      (code): code is string => code !== null && code !== regionCode,
    );
    const onAirAbove: LectureSessionPayload[] = [];
    for (const code of above) {
      for (const entry of await this.ledger.read({
        scopeCode: code,
        exactRegion: true,
        ...range,
        kinds: ['lecture_session'],
      })) {
        if (entry.kind === 'lecture_session' && entry.payload.mode === 'on_air') onAirAbove.push(entry.payload);
      }
    }
    const months = monthsOf(period);
    const themes = (await this.topics.themesOf(region.countyCode, months[0], months[months.length - 1])).map(
      (theme) => ({ month: theme.month, title: theme.title }),
    );
    const regionNames = new Map(
      (await this.regions.findMany([...new Set(sessions.map((entry) => entry.regionCode))])).map((row) => [
        row.code,
        row.name,
      ]),
    );
    return buildReport({
      region: { code: region.code, name: region.name, level: region.level },
      period,
      sessions: sessions.map((entry) => ({
        seq: entry.seq.toString(),
        regionCode: entry.regionCode,
        payload: entry.payload,
      })),
      onAirAbove,
      ratings,
      orders: await this.orders.figures(regionCode, range.from!, range.to!),
      themes,
      regionNames,
    });
  }
}
