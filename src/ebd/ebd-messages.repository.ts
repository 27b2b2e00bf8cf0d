import { Injectable } from '@nestjs/common';
import type { EbdMessage } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { unlessDuplicate } from '../infra/database/unique-violation';

// A claim with no alert this long after it was made was left by a process that
// died making the alert: the next copy of the message takes it over.
const ABANDONED_CLAIM_MS = 60_000;

export interface InboundPackageLog {
  countyCode: string | null;
  ebdId: string;
  type: string;
  peerEbrid: string | null;
  relatedEbdId: string | null;
  resultCode: number;
  resultDesc: string;
  bytes: number;
}

/** The EBMs a county knows (ebd_message), and the log of every package it received (ebd_package, inbound). */
@Injectable()
export class EbdMessagesRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(countyCode: string, ebmId: string): Promise<EbdMessage | null> {
    return this.prisma.ebdMessage.findUnique({ where: { countyCode_ebmId: { countyCode, ebmId } } });
  }

  /** The message as the county has it, unless all there is of it is a claim someone abandoned. */
  async received(countyCode: string, ebmId: string): Promise<EbdMessage | null> {
    const message = await this.find(countyCode, ebmId);
    return message && !isAbandoned(message, new Date()) ? message : null;
  }

  /**
   * Records an EBM from above before anything is made of it: null when the
   * county has it already, a retry of the sender's or the same message on two
   * requests at once (the unique county + EBMID decides which one acts).
   * A claim abandoned by a process that died before it made the alert is
   * taken over, so a real warning is never swallowed by a crash.
   */
  async claim(message: {
    countyCode: string;
    ebmId: string;
    msgType: number;
    ebdId: string;
    reported: boolean;
    emergencyId?: string;
  }): Promise<EbdMessage | null> {
    const create = () => unlessDuplicate(this.prisma.ebdMessage.create({ data: { ...message, direction: 'inbound' } }));
    const claimed = await create();
    if (claimed) return claimed;
    const { count } = await this.prisma.ebdMessage.deleteMany({
      where: {
        countyCode: message.countyCode,
        ebmId: message.ebmId,
        direction: 'inbound',
        emergencyId: null,
        createdAt: { lt: new Date(Date.now() - ABANDONED_CLAIM_MS) },
      },
    });
    return count ? create() : null;
  }

  async attach(id: string, emergencyId: string): Promise<void> {
    await this.prisma.ebdMessage.update({ where: { id }, data: { emergencyId } });
  }

  /** Gives up a claim whose alert could not be made, so the sender's retry is taken afresh. */
  async release(id: string): Promise<void> {
    await this.prisma.ebdMessage.deleteMany({ where: { id } });
  }

  async logInbound(entry: InboundPackageLog): Promise<void> {
    await this.prisma.ebdPackage.create({
      data: { ...entry, direction: 'inbound', status: 'answered', resultDesc: entry.resultDesc.slice(0, 1000) },
    });
  }
}

const isAbandoned = (message: EbdMessage, now: Date) =>
  message.direction === 'inbound' &&
  message.emergencyId === null &&
  now.getTime() - message.createdAt.getTime() >= ABANDONED_CLAIM_MS;
