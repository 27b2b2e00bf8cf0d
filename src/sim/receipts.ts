import { describe, reason, type Http } from './http';
import type { Outcome } from './player';
import type { Report } from './report';
import type { Scheduler } from './scheduler';

export interface Receipt {
  id: string;
  itemId: string;
  startedAt: string;
  endedAt: string;
  /** acknowledged: an emergency push was heard, before it plays. */
  outcome: Outcome | 'acknowledged';
}

export interface OutboxLink {
  who: string;
  token: string;
  http: Http;
  report: Report;
  scheduler: Scheduler;
  retryLaterMs: number;
  revoked(): void;
  drained(): void;
}

const BATCH = 100;

/**
 * Receipts wait here until the server has acknowledged them. A batch is only
 * dropped from the outbox once answered, so a retry after a lost answer sends
 * the same ids again, and the server counts each once.
 */
export class ReceiptOutbox {
  private pending: Receipt[] = [];
  private sending: Promise<void> | undefined;

  constructor(private readonly link: OutboxLink) {}

  get idle(): boolean {
    return this.pending.length === 0 && !this.sending;
  }

  get size(): number {
    return this.pending.length;
  }

  add(receipt: Receipt, signal: AbortSignal): void {
    this.pending.push(receipt);
    this.flush(signal);
  }

  flush(signal: AbortSignal): void {
    if (this.sending || this.pending.length === 0) return;
    this.sending = this.send(signal)
      .catch((error: unknown) => {
        if (!signal.aborted) this.link.report.error(this.link.who, `receipts: ${describe(error)}`);
      })
      .finally(() => {
        this.sending = undefined;
        if (this.idle) this.link.drained();
      });
  }

  /** Last chance at the end of the run: whatever is in flight settles, then one more try until `signal`. */
  async drain(signal: AbortSignal): Promise<void> {
    await this.sending;
    this.flush(signal);
    await this.sending;
  }

  private async send(signal: AbortSignal): Promise<void> {
    const { who, token, http, report } = this.link;
    const stats = report.stats.receipts;
    while (this.pending.length > 0 && !signal.aborted) {
      const batch = this.pending.slice(0, BATCH);
      const answer = await http.call(
        'POST',
        '/api/v1/device/receipts',
        { who, token, signal, json: { receipts: batch } },
        async (response) => {
          if (response.ok) return (await response.json()) as { accepted?: number; duplicates?: number };
          // A 4xx will not change on a retry: these receipts can never be taken.
          if (response.status !== 401 && response.status !== 404)
            report.error(who, `receipts: ${batch.length} refused, ${await reason(response)}`);
          else await response.body?.cancel();
          return response.status;
        },
      );
      if (answer === 401) return this.link.revoked();
      if (answer === 404) {
        report.stats.notAvailable.receipts++;
        report.log(who, `receipts: not available yet (404); ${this.pending.length} kept for later`);
        this.link.scheduler.after(this.link.retryLaterMs, () => this.flush(signal));
        return;
      }
      this.pending.splice(0, batch.length);
      if (typeof answer === 'number') continue;
      stats.posted += batch.length;
      stats.accepted += answer.accepted ?? 0;
      stats.duplicates += answer.duplicates ?? 0;
      report.log(who, `receipts: posted ${batch.length}, accepted ${answer.accepted}, duplicates ${answer.duplicates}`);
    }
  }
}
