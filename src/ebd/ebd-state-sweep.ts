import { Injectable } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import { broadcastState, statesToReport } from './domain/broadcast-state';
import { EbdLinksRepository } from './ebd-links.repository';
import { EbdOutbox } from './ebd-outbox';
import { EbdReports } from './ebd-reports.service';
import { EbdReportsRepository, type TrackedMessage } from './ebd-reports.repository';

/**
 * EBMStateResponse on every change (等待播发 → 播发中 → 成功/失败/取消): each
 * message whose state is reported is compared with its alert's, and a change
 * is claimed by a conditional update of reportedState (one process of many
 * wins) before it is sent. Once a final state is sent the message is done.
 */
@Injectable()
export class EbdStateSweep {
  constructor(
    private readonly repository: EbdReportsRepository,
    private readonly links: EbdLinksRepository,
    private readonly reports: EbdReports,
    private readonly outbox: EbdOutbox,
  ) {}

  async sweep(): Promise<void> {
    const links = new Map<string, EbdLink | null>();
    for (const message of await this.repository.messagesToSweep()) {
      // Coverage (a query over the targets) is only worked out when the state seems to have moved.
      const activated = message.activatedAt !== null;
      const moved =
        message.status === 'ended' ||
        statesToReport(message.reportedState, broadcastState(message, { played: 0 }), activated).length > 0;
      if (!moved) continue;
      if (!links.has(message.countyCode)) links.set(message.countyCode, await this.links.find(message.countyCode));
      const link = links.get(message.countyCode);
      if (link) await this.report(link, message);
    }
  }

  private async report(link: EbdLink, message: TrackedMessage): Promise<void> {
    const { state, coverage } = await this.reports.stateOf(message);
    const states = statesToReport(message.reportedState, state, message.activatedAt !== null);
    if (!states.length || !(await this.repository.claimState(message.id, message.reportedState, states.at(-1)!)))
      return;
    try {
      for (const each of states)
        await this.outbox.post(link, {
          type: 'EBMStateResponse',
          detail: this.reports.stateResponse(link, message.ebmId, each, coverage),
          ...(message.ebdId ? { relatedEbdId: message.ebdId } : {}),
        });
    } catch (error) {
      // Not committed to the outbox: the next sweep tries again.
      await this.repository.claimState(message.id, states.at(-1)!, message.reportedState);
      throw error;
    }
  }
}
