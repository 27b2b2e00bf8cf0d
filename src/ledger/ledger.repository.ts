import { Injectable } from '@nestjs/common';
import type { LedgerEntry, LedgerKind, Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { placedWithin } from '../regions/regions.repository';
import type { Payloads } from './domain/entries';
import { ChainedEntry, entryHash, GENESIS_HASH } from './domain/hash-chain';

interface DraftFields {
  /** Null: the service recorded it on its own (reconciliation after the slot). */
  actorId: string | null;
  regionCode: string;
  occurredAt: Date;
  subject?: string;
  corrects?: bigint;
  /** An append with a key already recorded records nothing and answers the entry recorded then. */
  dedupeKey?: string;
}

/** What a feature asks the ledger to record: a kind and its payload (checked against the kind's schema on append); seq, links and hashes are the ledger's. */
export type LedgerDraft = { [K in LedgerKind]: DraftFields & { kind: K; payload: Payloads[K] } }[LedgerKind];

export interface Placed {
  countyCode: string;
  townshipCode: string | null;
}

export interface LedgerFilter {
  scopeCode: string | null;
  /** Only entries of the scope region itself, not of the regions below it. */
  exactRegion?: boolean;
  from?: Date;
  to?: Date;
  kinds?: LedgerKind[];
  subject?: string;
  afterSeq?: bigint;
  /** Up to and including this seq. */
  throughSeq?: bigint;
}

// Every append takes this transaction-scoped lock: one writer at a time
// extends the chain, so concurrent appends never fork it.
const CHAIN_LOCK = 'ledger:chain';

/** The ledger's only access to Prisma: appends under the chain lock, reads in seq order. */
@Injectable()
export class LedgerRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Appends drafts in order inside the caller's transaction; answers the
   * entries, in draft order. The hashes are worked out in memory and the
   * rows written in one statement, so the chain lock is held for three
   * round trips however many entries there are.
   */
  async append(tx: Prisma.TransactionClient, drafts: Array<LedgerDraft & Placed>): Promise<LedgerEntry[]> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${CHAIN_LOCK}))`;
    const head = await tx.ledgerEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
    const keys = drafts.map((draft) => draft.dedupeKey).filter((key): key is string => key !== undefined);
    const recorded = new Map(
      (keys.length ? await tx.ledgerEntry.findMany({ where: { dedupeKey: { in: keys } } }) : []).map((entry) => [
        entry.dedupeKey!,
        entry,
      ]),
    );
    let seq = head?.seq ?? 0n;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const recordedAt = new Date();
    const rows: Prisma.LedgerEntryCreateManyInput[] = [];
    const order: Array<bigint | LedgerEntry> = [];
    // Keys written earlier in this same append: the later draft gets that entry.
    const inThisAppend = new Map<string, bigint>();
    for (const draft of drafts) {
      const earlier = draft.dedupeKey
        ? (recorded.get(draft.dedupeKey) ?? inThisAppend.get(draft.dedupeKey))
        : undefined;
      if (earlier !== undefined) {
        order.push(earlier);
        continue;
      }
      seq += 1n;
      const fields: ChainedEntry = {
        seq: seq.toString(),
        prevHash,
        kind: draft.kind,
        actorId: draft.actorId,
        regionCode: draft.regionCode,
        countyCode: draft.countyCode,
        townshipCode: draft.townshipCode,
        // Stored as timestamptz(3): what is hashed is what comes back.
        occurredAt: new Date(Math.floor(draft.occurredAt.getTime())).toISOString(),
        recordedAt: recordedAt.toISOString(),
        subject: draft.subject ?? null,
        corrects: draft.corrects?.toString() ?? null,
        payload: draft.payload,
        dedupeKey: draft.dedupeKey ?? null,
      };
      const hash = entryHash(fields);
      rows.push({
        ...fields,
        kind: draft.kind,
        seq,
        hash,
        occurredAt: new Date(fields.occurredAt),
        recordedAt,
        corrects: draft.corrects ?? null,
        payload: draft.payload,
      });
      order.push(seq);
      prevHash = hash;
      if (draft.dedupeKey) inThisAppend.set(draft.dedupeKey, seq);
    }
    const created = new Map(
      (rows.length ? await tx.ledgerEntry.createManyAndReturn({ data: rows }) : []).map((entry) => [entry.seq, entry]),
    );
    return order.map((item) => (typeof item === 'bigint' ? created.get(item)! : item));
  }

  byDedupeKey(dedupeKey: string): Promise<LedgerEntry | null> {
    return this.prisma.ledgerEntry.findUnique({ where: { dedupeKey } });
  }

  find(seq: bigint): Promise<LedgerEntry | null> {
    return this.prisma.ledgerEntry.findUnique({ where: { seq } });
  }

  page(filter: LedgerFilter, limit: number) {
    return this.prisma.ledgerEntry.findMany({ where: where(filter), orderBy: { seq: 'asc' }, take: limit });
  }

  /** Every entry matching, in seq order, a batch at a time (reports read whole periods). */
  async *scan(filter: LedgerFilter, batch = 2_000): AsyncGenerator<LedgerEntry[]> {
    let afterSeq = filter.afterSeq;
    for (;;) {
      const rows = await this.page({ ...filter, afterSeq }, batch);
      if (!rows.length) return;
      yield rows;
      afterSeq = rows[rows.length - 1].seq;
    }
  }

  /** The corrections of these entries. */
  correctionsFor(seqs: bigint[]): Promise<LedgerEntry[]> {
    return seqs.length
      ? this.prisma.ledgerEntry.findMany({ where: { corrects: { in: seqs } }, orderBy: { seq: 'asc' } })
      : Promise.resolve([]);
  }

  /** The seqs of the corrections of these entries, by the entry they correct. */
  async correctionsOf(seqs: bigint[]): Promise<Map<string, string[]>> {
    const rows = await this.prisma.ledgerEntry.findMany({
      where: { corrects: { in: seqs } },
      select: { seq: true, corrects: true },
      orderBy: { seq: 'asc' },
    });
    const bySeq = new Map<string, string[]>();
    for (const row of rows)
      bySeq.set(row.corrects!.toString(), [...(bySeq.get(row.corrects!.toString()) ?? []), row.seq.toString()]);
    return bySeq;
  }

  /** The last entry recorded before an instant. */
  headBefore(instant: Date): Promise<{ seq: bigint; hash: string } | null> {
    return this.prisma.ledgerEntry.findFirst({
      where: { recordedAt: { lt: instant } },
      orderBy: { seq: 'desc' },
      select: { seq: true, hash: true },
    });
  }

  actors(ids: string[]) {
    return this.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true, role: true } });
  }
}

function where(filter: LedgerFilter): Prisma.LedgerEntryWhereInput {
  const scope = filter.scopeCode;
  return {
    ...(scope ? (filter.exactRegion ? { regionCode: scope } : placedWithin(scope)) : {}),
    ...(filter.from || filter.to
      ? { occurredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
    ...(filter.kinds ? { kind: { in: filter.kinds } } : {}),
    ...(filter.subject ? { subject: filter.subject } : {}),
    ...(filter.afterSeq !== undefined || filter.throughSeq !== undefined
      ? { seq: { gt: filter.afterSeq, lte: filter.throughSeq } }
      : {}),
  };
}
