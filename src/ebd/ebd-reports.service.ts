import { Injectable } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import type { OmdType } from './domain/codes';
import type { ReportWindow } from './domain/details';

/**
 * What the county reports up, built from Postgres: the state and coverage of
 * a message, its terminals and platform, the broadcast log. Answers to the
 * upper platform's requests go out as packages of their own through the
 * outbox, RelatedEBD naming the request (the HTTP answer is the EBDResponse).
 */
@Injectable()
export class EbdReports {
  /** Queues an EBMStateResponse for a message this county knows, answering an EBMStateRequest. */
  answerStateRequest(link: EbdLink, ebmId: string, requestEbdId: string): Promise<void> {
    return Promise.reject(
      new Error(
        `EbdReports.answerStateRequest(${link.countyCode}, ${ebmId}, ${requestEbdId}) is being written (issue 18)`,
      ),
    );
  }

  /** Queues the package an OMDRequest asks for (an empty one for resources Dalaba has none of). */
  answerOmd(link: EbdLink, request: { type: OmdType; window?: ReportWindow }, requestEbdId: string): Promise<void> {
    return Promise.reject(
      new Error(
        `EbdReports.answerOmd(${link.countyCode}, ${request.type}, ${requestEbdId}) is being written (issue 18)`,
      ),
    );
  }
}
