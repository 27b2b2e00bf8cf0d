import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import type { LedgerEntry, Prisma } from '../generated/prisma/client';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { Transactions } from '../infra/database/transactions';
import { countyIso } from '../kernel/county-time';
import { correctedPayload } from './domain/corrections';
import { checkedPayload, type CorrectionPayload, type LedgerKind } from './domain/entries';
import { ChainBreak, ChainedEntry, checkLink, Json } from './domain/hash-chain';
import { countyDayRange } from './domain/periods';
import { CORRECTABLE, CorrectionBody, LedgerQuery } from './ledger.dto';
import { type LedgerEntryOf, type TypedLedgerEntry, typedEntry } from './ledger-entry';
import { LedgerDraft, LedgerFilter, LedgerRepository } from './ledger.repository';

function uncorrectable(kind: string, measured: boolean): string {
  if (measured || kind === 'broadcast_aired')
    return 'what the loudspeakers reported is not corrected by hand: late receipts correct it on their own';
  if (kind === 'correction') return 'a correction is not corrected; correct the original entry again';
  return `a ${kind} entry cannot be corrected: record a new award or redemption instead`;
}

/**
 * The civic-practice ledger (台账): features append to it inside their own
 * transactions; operators page it, verify the chain and correct entries with
 * new ones.
 */
type Verification =
  | { ok: true; count: number; head: { seq: string; hash: string } | null }
  | { ok: false; count: number; firstBadSeq: string; reason: string };

@Injectable()
export class LedgerService {
  private verifying?: Promise<Verification>;

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly transactions: Transactions,
    private readonly access: AccessRegistry,
  ) {}

  /**
   * Appends inside the caller's transaction, so the entry commits or not with
   * the change it records. Each payload must fit its kind's schema; it is
   * stored (and hashed) as given.
   */
  async append(tx: Prisma.TransactionClient, drafts: LedgerDraft[]): Promise<LedgerEntry[]> {
    const placed = await Promise.all(
      drafts.map(async (draft) => {
        checkedPayload(draft.kind, draft.payload);
        const region = await this.access.region(draft.regionCode);
        if (!region) throw new Error(`ledger entry for unknown region ${draft.regionCode}`);
        return { ...draft, countyCode: region.countyCode, townshipCode: region.townshipCode };
      }),
    );
    return this.ledger.append(tx, placed);
  }

  /** Appends in a transaction of its own: for entries that record no other change. */
  appendAlone(drafts: LedgerDraft[]): Promise<LedgerEntry[]> {
    return this.transactions.run((tx) => this.append(tx, drafts));
  }

  /** The entry of this kind an idempotent append recorded under this key, if any, as its corrections have it. */
  async recordedAsCorrected<K extends LedgerKind>(kind: K, dedupeKey: string): Promise<LedgerEntryOf<K> | null> {
    const entry = await this.ledger.byDedupeKey(dedupeKey);
    if (!entry) return null;
    if (entry.kind !== kind) throw new Error(`the entry recorded under ${dedupeKey} is a ${entry.kind}, not a ${kind}`);
    const [corrected] = await this.corrected([entry]);
    return typedEntry({ ...corrected, kind });
  }

  /**
   * Entries of a region's subtree (or exactly of one region) and a period, as
   * their corrections have them, whenever those were made.
   */
  async read(filter: LedgerFilter): Promise<TypedLedgerEntry[]> {
    const rows: TypedLedgerEntry[] = [];
    for await (const batch of this.ledger.scan(filter))
      rows.push(...(await this.corrected(batch)).map((row) => typedEntry(row)));
    return rows;
  }

  /** The rows with their corrections' changes laid over their payloads (checked against their kinds' schemas once read as typed entries). */
  private async corrected(rows: LedgerEntry[]): Promise<LedgerEntry[]> {
    const corrections = new Map<string, Array<{ seq: bigint; payload: CorrectionPayload }>>();
    for (const correction of await this.ledger.correctionsFor(rows.map((row) => row.seq))) {
      const key = correction.corrects!.toString();
      corrections.set(key, [
        ...(corrections.get(key) ?? []),
        { seq: correction.seq, payload: checkedPayload('correction', correction.payload) },
      ]);
    }
    return rows.map((row) => {
      const made = corrections.get(row.seq.toString()) ?? [];
      return made.length ? { ...row, payload: correctedPayload(checkedPayload(row.kind, row.payload), made) } : row;
    });
  }

  async list(actor: UserPrincipal, query: Parsed<typeof LedgerQuery>) {
    const range = countyDayRange(query.from, query.to);
    const filter: LedgerFilter = {
      scopeCode: query.region ?? actor.scopeCode,
      ...range,
      ...(query.kind ? { kinds: query.kind } : {}),
      ...(query.after ? { afterSeq: BigInt(query.after) } : {}),
    };
    const rows = await this.ledger.page(filter, query.limit);
    return {
      items: await this.views(rows),
      nextCursor: rows.length === query.limit ? rows[rows.length - 1].seq.toString() : null,
    };
  }

  async get(actor: UserPrincipal, seq: string) {
    const row = await this.requireInScope(actor, seq);
    const [view] = await this.views([row]);
    return view;
  }

  /**
   * Recomputes the whole chain from the first entry: ok with the count and
   * the head, or the first entry where it breaks and why.
   */
  verify(): Promise<Verification> {
    // A walk of the whole chain is heavy: callers asking meanwhile share the one under way.
    this.verifying ??= this.walkChain().finally(() => (this.verifying = undefined));
    return this.verifying;
  }

  /** The chain recomputed from the first entry up to and including seq. */
  verifyThrough(seq: bigint): Promise<Verification> {
    return this.walkChain(seq);
  }

  private async walkChain(throughSeq?: bigint): Promise<Verification> {
    let previous: { seq: string; hash: string } | null = null;
    let count = 0;
    for await (const rows of this.ledger.scan({ scopeCode: null, throughSeq })) {
      for (const row of rows) {
        const broken: ChainBreak | null = checkLink(previous, chained(row), row.hash);
        if (broken) return { ok: false, count, firstBadSeq: broken.seq, reason: broken.reason };
        previous = { seq: row.seq.toString(), hash: row.hash };
        count++;
      }
    }
    return { ok: true, count, head: previous };
  }

  /** A correction: a new entry naming the one it corrects, with the fields it changes and why. */
  async correct(actor: UserPrincipal, seq: string, body: Parsed<typeof CorrectionBody>) {
    const original = await this.requireInScope(actor, seq);
    const schema = CORRECTABLE[original.kind];
    const measured = original.kind === 'lecture_session' && (original.payload as { mode?: string }).mode === 'on_air';
    if (!schema || measured) throw new ConflictException(uncorrectable(original.kind, measured));
    const checked = schema.safeParse(body.changes);
    if (!checked.success) {
      const details = checked.error.issues.map((issue) => ({
        path: ['body', 'changes', ...issue.path.map(String)].join('.'),
        message: issue.message,
      }));
      throw badRequest(
        `A ${original.kind} entry may be corrected in ${Object.keys(schema.shape).join(', ')}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
        details,
      );
    }
    const [entry] = await this.appendAlone([this.correctionOf(original, actor.id, body.reason, checked.data)]);
    const [view] = await this.views([entry]);
    return view;
  }

  /** The correction entry of an entry: the service's own (late receipts) or a person's. */
  correctionOf(
    original: Pick<LedgerEntry, 'seq' | 'kind' | 'regionCode' | 'subject'>,
    actorId: string | null,
    reason: string,
    changes: Record<string, unknown>,
    dedupeKey?: string,
  ): LedgerDraft {
    const payload = checkedPayload('correction', { correctedKind: original.kind, reason, changes });
    return {
      kind: 'correction',
      actorId,
      regionCode: original.regionCode,
      occurredAt: new Date(),
      subject: original.subject ?? undefined,
      corrects: original.seq,
      payload,
      dedupeKey,
    };
  }

  private async requireInScope(actor: UserPrincipal, seq: string): Promise<LedgerEntry> {
    const row = await this.ledger.find(BigInt(seq));
    if (!row) throw new NotFoundException(`ledger entry ${seq} not found`);
    if (!(await this.access.reaches(actor.scopeCode, row.regionCode)))
      throw new ForbiddenException(`ledger entry ${seq} is outside your scope (${actor.scopeCode})`);
    return row;
  }

  private async views(rows: LedgerEntry[]) {
    const corrections = await this.ledger.correctionsOf(rows.map((row) => row.seq));
    const actors = new Map(
      (
        await this.ledger.actors([...new Set(rows.map((row) => row.actorId).filter((id): id is string => id !== null))])
      ).map((user) => [user.id, user]),
    );
    return rows.map((row) => ({
      seq: row.seq.toString(),
      kind: row.kind,
      occurredAt: countyIso(row.occurredAt),
      recordedAt: countyIso(row.recordedAt),
      actor: row.actorId ? (actors.get(row.actorId) ?? { id: row.actorId, username: null, role: null }) : null,
      regionCode: row.regionCode,
      countyCode: row.countyCode,
      subject: row.subject,
      corrects: row.corrects?.toString() ?? null,
      correctedBy: corrections.get(row.seq.toString()) ?? [],
      payload: row.payload,
      prevHash: row.prevHash,
      hash: row.hash,
    }));
  }
}

/** A stored row as the chain hashes it. */
function chained(row: LedgerEntry): ChainedEntry {
  return {
    seq: row.seq.toString(),
    prevHash: row.prevHash,
    kind: row.kind,
    actorId: row.actorId,
    regionCode: row.regionCode,
    countyCode: row.countyCode,
    townshipCode: row.townshipCode,
    occurredAt: row.occurredAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    subject: row.subject,
    corrects: row.corrects?.toString() ?? null,
    payload: row.payload as Json,
    dedupeKey: row.dedupeKey,
  };
}
