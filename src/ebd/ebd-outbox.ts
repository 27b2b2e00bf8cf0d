import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EbdLink, EbdPackage } from '../generated/prisma/client';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { PrismaService } from '../infra/database/prisma.service';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { ebdSendJobId, JobName, JobPayloads } from '../infra/queue/jobs';
import { countyIso } from '../kernel/county-time';
import { Notices } from '../notifications/notices';
import { EbdType, ResultCode } from './domain/codes';
import { EbdRejected } from './domain/ebd-rejected';
import { dataEbdId, heartbeatEbdId } from './domain/ids';
import { openPackage, verifyPackage } from './domain/received';
import { sealPackage } from './domain/seal';
import { requiredInteger, optionalText } from './domain/xml-reader';
import type { XmlContent } from './domain/xml-writer';
import { EbdLinksRepository } from './ebd-links.repository';
import { Signers } from './signers';
import { PeriodicTask } from '../infra/schedule/periodic-task';

// Due packages are looked for this often: a report queued while Redis was
// away, or one whose retry time came, goes out within this.
const SWEEP_MS = 2_000;
const SWEEP_BATCH = 100;
// Retries wait 5 s, 10 s, 20 s … up to 5 minutes, until EBD_GIVE_UP_HOURS.
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
// Heartbeats and the log of them are kept a day: a heartbeat is never retried, the next one replaces it.
const HEARTBEATS_KEPT_MS = 24 * 3600_000;
const ANSWER_MAX_BYTES = 4 * 1024 * 1024;

export interface OutgoingPackage {
  type: EbdType;
  detail: XmlContent;
  /** The package this one answers or follows (RelatedEBD). */
  relatedEbdId?: string;
  resources?: ReadonlyArray<{ name: string; data: Buffer }>;
}

/**
 * Packages going up, with Postgres as the truth: each is built and signed
 * once (its EBDID stays the same through retries), committed as a pending
 * row, and queued; a worker POSTs it and records the upper platform's
 * EBDResponse. A sweep in every API process queues the rows that are due, so
 * one whose job Redis lost, or whose process died, is sent all the same.
 * Retries are spaced in the row (nextAttemptAt), so they survive a restart.
 */
@Injectable()
export class EbdOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EbdOutbox');
  private readonly sweeps = new PeriodicTask('EBD outbox sweep', this.logger, () => this.sweep());

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly links: EbdLinksRepository,
    private readonly signers: Signers,
    private readonly queue: JobQueue,
    private readonly notices: Notices,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.sweeps.start(SWEEP_MS, { immediately: true });
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeps.stop();
  }

  /** Seals a package of the county's platform for its upper platform, commits it, and queues it. */
  async post(link: EbdLink, outgoing: OutgoingPackage): Promise<EbdPackage> {
    const heartbeat = outgoing.type === 'ConnectionCheck';
    const ebdId = heartbeat
      ? heartbeatEbdId(link.ebrid)
      : dataEbdId(link.ebrid, await this.links.takeEbdSequence(link.countyCode));
    const signer = await this.signers.forLink(link);
    const sealed = await sealPackage(
      {
        ebdId,
        type: outgoing.type,
        srcEbrid: link.ebrid,
        srcUrl: link.receiveUrl,
        destEbrid: link.upperEbrid,
        time: new Date(),
        ...(outgoing.relatedEbdId ? { relatedEbdId: outgoing.relatedEbdId } : {}),
      },
      outgoing.detail,
      { signer, layout: link.signatureLayout },
      outgoing.resources,
    );
    const row = await this.prisma.ebdPackage.create({
      data: {
        countyCode: link.countyCode,
        direction: 'outbound',
        ebdId,
        type: outgoing.type,
        peerEbrid: link.upperEbrid,
        relatedEbdId: outgoing.relatedEbdId ?? null,
        status: 'pending',
        tar: new Uint8Array(sealed.tar),
        bytes: sealed.tar.length,
        nextAttemptAt: new Date(),
      },
    });
    await this.enqueue(row).catch((error: Error) =>
      this.logger.warn(`package ${ebdId} is committed but not queued yet (${error.message}); the sweep will queue it`),
    );
    return row;
  }

  private enqueue(row: Pick<EbdPackage, 'id' | 'attempts'>): Promise<boolean> {
    return this.queue.ensure(JobName.SendEbdPackage, { packageId: row.id }, ebdSendJobId(row.id, row.attempts));
  }

  private async sweep(): Promise<void> {
    const due = await this.prisma.ebdPackage.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: new Date() } },
      orderBy: { nextAttemptAt: 'asc' },
      take: SWEEP_BATCH,
      select: { id: true, attempts: true },
    });
    for (const row of due) await this.enqueue(row);
    await this.prisma.ebdPackage.deleteMany({
      where: {
        type: 'ConnectionCheck',
        status: { not: 'pending' },
        createdAt: { lt: new Date(Date.now() - HEARTBEATS_KEPT_MS) },
      },
    });
  }

  @JobHandler(JobName.SendEbdPackage)
  async send({ packageId }: JobPayloads[JobName.SendEbdPackage]) {
    const row = await this.prisma.ebdPackage.findUnique({ where: { id: packageId } });
    if (!row || row.status !== 'pending' || !row.tar || !row.countyCode) return { skipped: 'not pending' };
    const link = await this.links.find(row.countyCode);
    if (!link)
      return this.finish(row, { status: 'failed', lastError: 'the county has no upper platform link any more' });
    const now = new Date();
    try {
      const answer = await this.postTar(link, row);
      await this.links.recordLinkCheck(link.countyCode, now, null);
      // The upper platform took it (1), or refused it for a reason sending it again will not mend (2–5).
      return this.finish(row, {
        status: answer.resultCode === ResultCode.Success ? 'sent' : 'failed',
        resultCode: answer.resultCode,
        resultDesc: answer.resultDesc,
        sentAt: now,
        tar: null,
        attempts: row.attempts + 1,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.links.recordLinkCheck(link.countyCode, now, reason);
      // An outage is a second failure in a row (the link as read still holds the last one's error): one blip
      // is not worth a message. One notice per outage: it is keyed by when the link was last up.
      if (link.linkError !== null)
        await this.notices.raise({
          kind: 'ebd_link_down',
          regionCode: link.countyCode,
          dedupKey: `ebd-link-down:${link.countyCode}:${link.linkUpAt?.toISOString() ?? 'never'}`,
          title: '应急广播上级平台连接中断',
          body: `上级平台 ${link.upperEbrid} 没有应答（${reason}）${link.linkUpAt ? `，上次连通于 ${countyIso(link.linkUpAt).slice(0, 19).replace('T', ' ')}` : '，从未连通'}。`,
          link: '/ebd',
          details: { upperEbrid: link.upperEbrid, error: reason },
        });
      const tooOld = now.getTime() - row.createdAt.getTime() > this.config.ebd.giveUpHours * 3600_000;
      if (row.type === 'ConnectionCheck' || tooOld)
        return this.finish(row, { status: 'failed', lastError: reason, attempts: row.attempts + 1, tar: null });
      const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** row.attempts);
      return this.finish(row, {
        lastError: reason,
        attempts: row.attempts + 1,
        nextAttemptAt: new Date(now.getTime() + wait),
      });
    }
  }

  private async finish(
    row: EbdPackage,
    change: Partial<
      Pick<
        EbdPackage,
        'status' | 'resultCode' | 'resultDesc' | 'sentAt' | 'tar' | 'attempts' | 'nextAttemptAt' | 'lastError'
      >
    >,
  ) {
    await this.prisma.ebdPackage.updateMany({ where: { id: row.id, status: 'pending' }, data: change });
    return {
      ebdId: row.ebdId,
      type: row.type,
      ...('status' in change ? { status: change.status } : { retryAt: change.nextAttemptAt }),
    };
  }

  /** POSTs the tar as the field does (multipart/form-data, one part `file`) and reads the EBDResponse the upper platform answers with. */
  private async postTar(link: EbdLink, row: EbdPackage): Promise<{ resultCode: ResultCode; resultDesc?: string }> {
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(row.tar!)], { type: 'application/octet-stream' }),
      `EBDT_${row.ebdId}.tar`,
    );
    const response = await fetch(link.upperUrl, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(this.config.ebd.sendTimeoutSeconds * 1000),
    });
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new Error(`the upper platform answered HTTP ${response.status}`);
    if (body.length > ANSWER_MAX_BYTES)
      throw new Error(`the upper platform's answer is larger than ${ANSWER_MAX_BYTES} bytes`);
    try {
      const answer = await openPackage(body, ANSWER_MAX_BYTES);
      if (answer.header.type !== 'EBDResponse')
        throw new Error(`the upper platform answered with ${answer.header.type}, not EBDResponse`);
      // An answer signed by someone else is no answer; the field sends some unsigned, which are taken as they are.
      if (answer.signature) verifyPackage(answer, link.upperPublicKey);
      const resultCode = requiredInteger(answer.detail, 'ResultCode', { min: 0, max: 5 });
      return {
        resultCode: (resultCode === 0 ? ResultCode.Success : resultCode) as ResultCode,
        resultDesc: optionalText(answer.detail, 'ResultDesc'),
      };
    } catch (error) {
      if (error instanceof EbdRejected)
        throw new Error(`the upper platform's answer is unusable: ${error.message}`, { cause: error });
      throw error;
    }
  }
}
