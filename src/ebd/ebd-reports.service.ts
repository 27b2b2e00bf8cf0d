import { Inject, Injectable } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import { EmergenciesService } from '../emergencies/emergencies.service';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { type AlertProgress, broadcastState, coverageOf } from './domain/broadcast-state';
import { BrdState, type OmdType, ResourceState } from './domain/codes';
import {
  type Coverage,
  ebmBrdLog,
  ebmStateResponse,
  ebrdtInfo,
  ebrpsInfo,
  emptyReport,
  type ReportWindow,
  resourceStates,
} from './domain/details';
import { eventOfCategory, msgTypeOf } from './domain/local-alert';
import { terminalState } from './domain/resource-state';
import type { XmlContent } from './domain/xml-writer';
import { EbdOutbox } from './ebd-outbox';
import { EbdReportsRepository, type TerminalRow } from './ebd-reports.repository';

// EBMBrdLog asked for (or sent) without a window covers the last day.
const LOG_DEFAULT_MS = 24 * 3600_000;

/**
 * What the county reports up, built from Postgres: the state and coverage of
 * a message, its terminals and platform, the broadcast log. Answers to the
 * upper platform's requests go out as packages of their own through the
 * outbox, RelatedEBD naming the request (the HTTP answer is the EBDResponse).
 */
@Injectable()
export class EbdReports {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: EbdReportsRepository,
    private readonly outbox: EbdOutbox,
    private readonly emergencies: EmergenciesService,
  ) {}

  /**
   * Queues an EBMStateResponse for a message this county knows, answering an
   * EBMStateRequest; one it does not know is 未处理 (0), without coverage.
   */
  async answerStateRequest(link: EbdLink, ebmId: string, requestEbdId: string): Promise<void> {
    const message = await this.repository.message(link.countyCode, ebmId);
    const current: { state: BrdState; coverage?: Coverage } = message
      ? await this.stateOf(message)
      : { state: BrdState.Unprocessed };
    await this.outbox.post(link, {
      type: 'EBMStateResponse',
      detail: this.stateResponse(link, ebmId, current.state, current.coverage),
      relatedEbdId: requestEbdId,
    });
  }

  /** Queues the package an OMDRequest asks for (an empty one for resources Dalaba has none of). */
  async answerOmd(
    link: EbdLink,
    request: { type: OmdType; window?: ReportWindow },
    requestEbdId: string,
  ): Promise<void> {
    await this.outbox.post(link, {
      type: request.type,
      detail: await this.report(link, request.type, request.window),
      relatedEbdId: requestEbdId,
    });
  }

  /** A message's state now, and its coverage: loudspeakers that played ÷ loudspeakers targeted. */
  async stateOf(
    alert: AlertProgress & { emergencyId: string; regionCodes: string[] },
  ): Promise<{ state: BrdState; coverage: Coverage }> {
    const { totals } = await this.emergencies.delivery(alert.emergencyId);
    return { state: broadcastState(alert, totals), coverage: coverageOf(totals, alert.regionCodes) };
  }

  stateResponse(link: EbdLink, ebmId: string, state: BrdState, coverage?: Coverage): XmlContent {
    return ebmStateResponse({ rptTime: new Date(), ebmId, state, coverage, platformEbrid: link.ebrid });
  }

  /** The detail of a report of the county: on its interval, or as an OMDRequest asks (`window`). */
  async report(link: EbdLink, type: OmdType, window?: ReportWindow): Promise<XmlContent> {
    const now = new Date();
    switch (type) {
      case 'EBRPSInfo':
        return ebrpsInfo({ ...link, rptTime: now, url: link.receiveUrl }, window);
      case 'EBRPSState':
        // Answering at all is being up: the platform reports itself running.
        return resourceStates('EBRPS', [{ rptTime: now, ebrid: link.ebrid, state: ResourceState.Normal }], window);
      case 'EBRDTInfo':
        return this.terminalInfo(link, now, window);
      case 'EBRDTState':
        return this.terminalStates(link, now, window);
      case 'EBMBrdLog':
        return this.broadcastLog(link, now, window);
      default:
        return emptyReport(window);
    }
  }

  /** Full: every current loudspeaker; Incremental: those added (Sync) or revoked (Delete) within the window. */
  private async terminalInfo(link: EbdLink, now: Date, window?: ReportWindow): Promise<XmlContent> {
    const incremental = window?.type === 'Incremental' ? window : undefined;
    const terminals = await this.repository.terminals(link.countyCode, incremental);
    return ebrdtInfo(
      link.ebrid,
      terminals.map((terminal) => ({
        rptTime: now,
        rptType: terminal.revokedAt ? 'Delete' : 'Sync',
        ebrid: terminal.ebrid,
        name: terminalName(terminal),
        longitude: terminal.longitude,
        latitude: terminal.latitude,
      })),
      window,
    );
  }

  /** Every current loudspeaker's state now (a window only bounds which changes an info report lists). */
  private async terminalStates(link: EbdLink, now: Date, window?: ReportWindow): Promise<XmlContent> {
    const onlineSince = new Date(now.getTime() - this.config.endpoints.onlineSeconds * 1000);
    const terminals = await this.repository.terminals(link.countyCode);
    return resourceStates(
      'EBRDT',
      terminals.map((terminal) => ({
        rptTime: now,
        ebrid: terminal.ebrid,
        state: terminalState(terminal, onlineSince),
      })),
      window,
    );
  }

  /**
   * Every alert of the county that aired or was meant to within the window
   * (from above and local), by its EBMID up there, with state and coverage.
   * A local alert without an EBMID is given one (reported on if the county
   * reports its alerts), so the same alert keeps it in every later log.
   */
  private async broadcastLog(link: EbdLink, now: Date, asked?: ReportWindow): Promise<XmlContent> {
    const window = asked ?? { start: new Date(now.getTime() - LOG_DEFAULT_MS), end: now, type: 'Full' as const };
    const items = [];
    for (const alert of await this.repository.loggedAlerts(link, window)) {
      const ebmId = alert.ebmId ?? (await this.repository.ebmIdOf(link, alert.id, link.reportLocalAlerts));
      const { state, coverage } = await this.stateOf({ ...alert, emergencyId: alert.id });
      items.push({
        ebmId,
        msgType: alert.msgType ?? msgTypeOf(alert.drill),
        senderName: alert.fromAbove ? '上级应急广播平台' : link.name,
        senderCode: alert.fromAbove ? link.upperEbrid : link.ebrid,
        sendTime: alert.approvedAt ?? alert.createdAt,
        eventType: eventOfCategory(alert.category),
        severity: alert.level,
        startTime: alert.startsAt,
        endTime: alert.expiresAt,
        title: alert.title,
        description: alert.text,
        areaCodes: alert.regionCodes,
        state,
        coverage,
      });
    }
    return ebmBrdLog(items, window);
  }
}

/** A loudspeaker as the upper platform lists it: its village's name, then its own (unless it says it already). */
const terminalName = (terminal: TerminalRow) =>
  terminal.name.includes(terminal.regionName) ? terminal.name : `${terminal.regionName}${terminal.name}`;
