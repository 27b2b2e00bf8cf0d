import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import type { Element } from '@xmldom/xmldom';
import type { UserPrincipal } from '../auth/access.decorator';
import { EmergenciesService } from '../emergencies/emergencies.service';
import type { EbdLink } from '../generated/prisma/client';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { MediaService } from '../media/media.service';
import { RegionsRepository } from '../regions/regions.repository';
import { senderOfEbdId, unsignedPackage } from './domain/answer';
import { MsgType, OMD_TYPES, type OmdType, ResultCode } from './domain/codes';
import { ebdResponse, type ReportWindow } from './domain/details';
import { EbdRejected, quote, refuse } from './domain/ebd-rejected';
import { auxiliaryAudio, type Ebm, readEbm } from './domain/ebm';
import { alertOfEbm, areasInCounty } from './domain/ebm-alert';
import { dataEbdId, EBMID_PATTERN } from './domain/ids';
import type { EbdHeader } from './domain/package';
import { ebdIdOfFileName, openPackage, type ReceivedPackage, verifyPackage } from './domain/received';
import { sealPackage, type SealedPackage } from './domain/seal';
import { optionalText, optionalTime, requiredText } from './domain/xml-reader';
import { EbdLinksRepository } from './ebd-links.repository';
import { EbdMessagesRepository } from './ebd-messages.repository';
import { EbdReports } from './ebd-reports.service';
import { Signers } from './signers';

/** A package as it came: its bytes (or why they were not read) and the file name it was sent under. */
export type Upload = { fileName?: string } & ({ data: Buffer } | { refused: EbdRejected });

/** What is known of a package so far, to answer and log it however far it got. */
interface Inbound {
  bytes: number;
  fileEbdId?: string;
  header?: EbdHeader;
  /** The county platform it is addressed to (whose key signs the answer), once known. */
  link?: EbdLink;
}

// The unsigned answer to a package no county here can be named for: its SRC when the package named no DEST either.
const NO_PLATFORM = '0'.repeat(23);

/**
 * Packages from the upper platform (POST /api/v1/ebd/exchange): each is
 * opened, its county found (DEST, or the one county docked with SRC), its
 * signature verified over the EBDB's exact bytes, and acted on by type. Every
 * one, however bad, is answered with an EBDResponse signed by the county's
 * key, and logged (ebd_package, inbound); a refusal changes nothing else.
 */
@Injectable()
export class EbdReceiver {
  private readonly logger = new Logger('EbdReceiver');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: EbdLinksRepository,
    private readonly signers: Signers,
    private readonly messages: EbdMessagesRepository,
    private readonly reports: EbdReports,
    private readonly emergencies: EmergenciesService,
    private readonly media: MediaService,
    private readonly regions: RegionsRepository,
  ) {}

  async receive(read: () => Promise<Upload>): Promise<SealedPackage> {
    const inbound: Inbound = { bytes: 0 };
    let code: ResultCode = ResultCode.Success;
    let reason: string;
    try {
      reason = await this.accept(read, inbound);
    } catch (error) {
      if (error instanceof EbdRejected) {
        code = error.resultCode;
        reason = error.message;
      } else {
        this.logger.error(
          `package ${inbound.header?.ebdId ?? inbound.fileEbdId ?? '(unread)'} failed: ${(error as Error).stack ?? String(error)}`,
        );
        code = ResultCode.Other;
        reason = 'the county platform failed to handle it; send it again later';
      }
    }
    const answer = await this.answer(inbound, code, reason);
    await this.messages
      .logInbound({
        countyCode: inbound.link?.countyCode ?? null,
        ebdId: inbound.header?.ebdId ?? inbound.fileEbdId ?? '',
        type: inbound.header?.type ?? 'unknown',
        peerEbrid: this.senderOf(inbound) ?? null,
        relatedEbdId: inbound.header?.relatedEbdId ?? null,
        resultCode: code,
        resultDesc: reason,
        bytes: inbound.bytes,
      })
      .catch((error: Error) => this.logger.warn(`could not log inbound package: ${error.message}`));
    return answer;
  }

  private async accept(read: () => Promise<Upload>, inbound: Inbound): Promise<string> {
    const upload = await read();
    inbound.fileEbdId = ebdIdOfFileName(upload.fileName);
    if ('refused' in upload) throw upload.refused;
    inbound.bytes = upload.data.length;
    const received = await openPackage(upload.data, this.config.ebd.maxPackageBytes);
    inbound.header = received.header;
    const link = await this.identify(received.header, inbound);
    verifyPackage(received, link.upperPublicKey);
    return this.act(link, received);
  }

  /** The county a package is for: the platform its DEST names, else the one county docked with its SRC; SRC must be that county's upper platform. */
  private async identify(header: EbdHeader, inbound: Inbound): Promise<EbdLink> {
    const link = header.destEbrid
      ? await this.links.findByEbrid(header.destEbrid)
      : await this.onlyCountyOf(header.srcEbrid);
    if (!link)
      return refuse(
        ResultCode.Other,
        header.destEbrid
          ? `no county platform here has EBRID ${header.destEbrid} (DEST)`
          : `the package names no DEST and no single county here docks with ${header.srcEbrid}`,
      );
    inbound.link = link;
    if (link.upperEbrid !== header.srcEbrid)
      refuse(ResultCode.Other, `unknown sender ${header.srcEbrid}: not the upper platform this county docks with`);
    if (!link.enabled) refuse(ResultCode.Other, `the link of county ${link.countyCode} is disabled`);
    return link;
  }

  private async onlyCountyOf(upperEbrid: string): Promise<EbdLink | null> {
    const links = await this.links.listByUpper(upperEbrid);
    return links.length === 1 ? links[0] : null;
  }

  private async act(link: EbdLink, received: ReceivedPackage): Promise<string> {
    const { header, detail } = received;
    switch (header.type) {
      case 'ConnectionCheck':
        return 'heartbeat received';
      case 'EBM':
        return this.takeEbm(link, received);
      case 'EBMStateRequest':
        return this.answerStateRequest(link, header, detail);
      case 'OMDRequest':
        return this.answerOmd(link, header, detail);
      default:
        return refuse(ResultCode.Other, `${header.type} is not accepted by a county platform`);
    }
  }

  private async answerStateRequest(link: EbdLink, header: EbdHeader, detail: Element): Promise<string> {
    const ebmId = requiredText(detail, 'EBM/EBMID', 'EBMStateRequest');
    if (!EBMID_PATTERN.test(ebmId))
      refuse(ResultCode.ContentMissing, `EBMStateRequest/EBM/EBMID is not a message ID: ${quote(ebmId)}`);
    if (!(await this.messages.find(link.countyCode, ebmId)))
      refuse(ResultCode.ContentMissing, `this county has no message ${quote(ebmId)}`);
    this.queueAnswer(`the state of ${ebmId}`, () => this.reports.answerStateRequest(link, ebmId, header.ebdId));
    return `the state of ${ebmId} follows in an EBMStateResponse`;
  }

  private answerOmd(link: EbdLink, header: EbdHeader, detail: Element): string {
    const type = requiredText(detail, 'OMDType', 'OMDRequest');
    if (!(OMD_TYPES as readonly string[]).includes(type))
      refuse(ResultCode.ContentMissing, `OMDRequest/OMDType ${quote(type)} is no O&M data type`);
    const window = reportWindow(detail);
    this.queueAnswer(type, () =>
      this.reports.answerOmd(link, { type: type as OmdType, ...(window ? { window } : {}) }, header.ebdId),
    );
    return `${type} follows`;
  }

  /** An answer goes out later through the outbox: the request is taken whether or not queuing it works now. */
  private queueAnswer(what: string, queue: () => Promise<void>): void {
    void queue().catch((error: Error) => this.logger.warn(`could not queue the answer (${what}): ${error.message}`));
  }

  private async takeEbm(link: EbdLink, received: ReceivedPackage): Promise<string> {
    const ebm = readEbm(received.detail);
    if (ebm.msgType === MsgType.Cancel) return this.cancel(link, received, ebm);
    if (await this.messages.received(link.countyCode, ebm.ebmId))
      return `message ${ebm.ebmId} was received already; nothing changed`;
    return this.air(link, received, ebm);
  }

  /** MsgType 1 and the drills 3–5: an alert for the county's part of the areas, airing at once or waiting for an approver. */
  private async air(link: EbdLink, received: ReceivedPackage, ebm: Ebm): Promise<string> {
    const areas = areasInCounty(ebm.content?.areaCodes ?? [], link.countyCode);
    const regions = await this.regions.levels(areas);
    const regionCodes = areas.filter((code) => regions.get(code)?.countyCode === link.countyCode);
    const alert = alertOfEbm(ebm, regionCodes, new Date());
    const audio = auxiliaryAudio(ebm, received.resources);
    const claim = await this.messages.claim({
      countyCode: link.countyCode,
      ebmId: ebm.ebmId,
      msgType: ebm.msgType,
      ebdId: received.header.ebdId,
      reported: true,
    });
    if (!claim) return `message ${ebm.ebmId} was received already; nothing changed`;
    try {
      const drafter = serviceAccount(link);
      const mediaId =
        audio &&
        (await this.media.adoptAlertAudio(audio.data, {
          title: alert.title,
          regionCode: link.countyCode,
          createdById: link.accountId,
          source: 'ebd',
        }));
      const body = {
        title: alert.title,
        level: alert.level,
        category: alert.category,
        regionCodes: alert.regionCodes,
        ...(mediaId ? { mediaId } : { text: alert.spoken }),
        repeat: 3,
        startsAt: alert.startsAt.toISOString(),
        expiresAt: alert.expiresAt.toISOString(),
        drill: alert.drill,
      };
      const emergency = await this.emergencies.draft(drafter, body, {
        details: { ebmId: ebm.ebmId, upperEbrid: link.upperEbrid },
        ...(link.autoAir ? { approval: { ebmId: ebm.ebmId, by: 'upper platform', upperEbrid: link.upperEbrid } } : {}),
      });
      await this.messages.attach(claim.id, emergency.id);
      return link.autoAir
        ? `message ${ebm.ebmId} airs as alert ${emergency.id}`
        : `message ${ebm.ebmId} is alert ${emergency.id}, waiting for a county approver`;
    } catch (error) {
      await this.messages.release(claim.id);
      // What the alert rules refuse (a text too long to speak, say) is the message's content, not our failure.
      if (error instanceof HttpException && error.getStatus() < 500)
        refuse(ResultCode.ContentMissing, `the message cannot be an alert here: ${error.message}`);
      throw error;
    }
  }

  /** MsgType 2: the alert of the message it relates to (RelatedInfo/EBMID, else its own EBMID) is cancelled. */
  private async cancel(link: EbdLink, received: ReceivedPackage, ebm: Ebm): Promise<string> {
    const targetId = ebm.relatedEbmId ?? ebm.ebmId;
    const target = await this.messages.find(link.countyCode, targetId);
    const emergencyId =
      target?.emergencyId ??
      refuse(ResultCode.ContentMissing, `this county has no alert of message ${quote(targetId)}`);
    const alert = await this.emergencies.get(emergencyId);
    if (['ended', 'cancelled', 'superseded'].includes(alert.status))
      return `the alert of ${targetId} is ${alert.status} already; nothing changed`;
    // A cancel naming the message by its own EBMID has no ID of its own to record.
    if (ebm.relatedEbmId) {
      const claim = await this.messages.claim({
        countyCode: link.countyCode,
        ebmId: ebm.ebmId,
        msgType: ebm.msgType,
        ebdId: received.header.ebdId,
        reported: false,
        emergencyId,
      });
      if (!claim) return `message ${ebm.ebmId} was received already; nothing changed`;
    }
    await this.emergencies.cancel(serviceAccount(link), emergencyId, {
      reason: 'upper platform cancel',
      ebmId: ebm.ebmId,
    });
    return `the alert of ${targetId} is cancelled`;
  }

  /** The EBDResponse: signed by the county's key when the county is known, unsigned (and said so in the log) when none here can be named. */
  private async answer(inbound: Inbound, code: ResultCode, reason: string): Promise<SealedPackage> {
    const sender = this.senderOf(inbound);
    const link = inbound.link ?? (sender ? await this.onlyCountyOf(sender).catch(() => null) : null);
    inbound.link = link ?? undefined;
    const relatedEbdId = inbound.header?.ebdId ?? inbound.fileEbdId;
    const header = (srcEbrid: string, ebdId: string, srcUrl?: string): EbdHeader => ({
      ebdId,
      type: 'EBDResponse',
      srcEbrid,
      ...(srcUrl ? { srcUrl } : {}),
      ...(sender ? { destEbrid: sender } : {}),
      time: new Date(),
      ...(relatedEbdId ? { relatedEbdId } : {}),
    });
    const detail = ebdResponse(code, reason);
    if (link) {
      try {
        const ebdId = dataEbdId(link.ebrid, await this.links.takeEbdSequence(link.countyCode));
        const signer = await this.signers.forLink(link);
        return await sealPackage(header(link.ebrid, ebdId, link.receiveUrl), detail, {
          signer,
          layout: link.signatureLayout,
        });
      } catch (error) {
        this.logger.error(`could not sign the answer for county ${link.countyCode}: ${(error as Error).message}`);
      }
    }
    // No county to sign for: the answer is only as good as its word, and comes from the platform the package named.
    const srcEbrid = link?.ebrid ?? inbound.header?.destEbrid ?? NO_PLATFORM;
    return unsignedPackage(header(srcEbrid, dataEbdId(srcEbrid, BigInt(Date.now()))), detail);
  }

  private senderOf(inbound: Inbound): string | undefined {
    return inbound.header?.srcEbrid ?? (inbound.fileEbdId ? senderOfEbdId(inbound.fileEbdId) : undefined);
  }
}

/** The account alerts from above are drafted by: the county's, which no one signs in as. */
const serviceAccount = (link: EbdLink): UserPrincipal => ({
  type: 'user',
  id: link.accountId,
  username: `ebd-upper-${link.countyCode}`,
  role: 'operator',
  scopeCode: link.countyCode,
});

const isReportType = (type: string): type is ReportWindow['type'] => type === 'Full' || type === 'Incremental';

/** OMDRequest/Params: the report window, when it names one (both times; Full unless it says Incremental). */
function reportWindow(detail: Element): ReportWindow | undefined {
  const start = optionalTime(detail, 'Params/RptStartTime');
  const end = optionalTime(detail, 'Params/RptEndTime');
  const type = optionalText(detail, 'Params/RptType') ?? 'Full';
  if (!isReportType(type))
    return refuse(ResultCode.ContentMissing, `OMDRequest/Params/RptType is Full or Incremental, not ${quote(type)}`);
  if (!start && !end) return undefined;
  if (!start || !end)
    return refuse(ResultCode.ContentMissing, 'OMDRequest/Params names RptStartTime and RptEndTime together');
  if (end < start) refuse(ResultCode.ContentMissing, 'OMDRequest/Params/RptEndTime is before its RptStartTime');
  return { start, end, type };
}
