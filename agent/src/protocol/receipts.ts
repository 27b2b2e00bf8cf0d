import { describe, reason, type Http, type Log } from './http';
import type { Outcome } from './player';
import type { Scheduler } from './scheduler';

export interface Receipt {
  id: string;
  itemId: string;
  startedAt: string;
  endedAt: string;
  /** acknowledged: an emergency push was heard, before it plays. */
  outcome: Outcome | 'acknowledged';
}

/** Where receipts wait for the server: memory for the simulator, an fsynced file on the agent. */
export interface ReceiptStore {
  readonly size: number;
  add(receipt: Receipt): void;
  /** The oldest `count`, still kept. */
  peek(count: number): Receipt[];
  /** The server has the oldest `count`: forget them. */
  drop(count: number): void;
}

export class MemoryReceipts implements ReceiptStore {
  private pending: Receipt[] = [];

  get size(): number {
    return this.pending.length;
  }

  add(receipt: Receipt): void {
    this.pending.push(receipt);
  }

  peek(count: number): Receipt[] {
    return this.pending.slice(0, count);
  }

  drop(count: number): void {
    this.pending.splice(0, count);
  }
}

const MAX_BATCH = 500;

export interface OutboxLink {
  who: string;
  token: string;
  http: Http;
  report: Log;
  scheduler: Scheduler;
  retryLaterMs: number;
  /** Receipts per POST: the server takes up to 500 (the default). */
  batch?: number;
  /** In memory unless given. */
  store?: ReceiptStore;
  revoked(): void;
  drained(): void;
  /** A batch reached the server (or was refused for good: `answer` is then its status). */
  posted(count: number, answer: { accepted?: number; duplicates?: number } | number): void;
  /** The server answered 404: receipts are not deployed there yet. */
  notAvailable(): void;
}

/**
 * Receipts wait here until the server has acknowledged them. A batch is only
 * dropped from the store once answered, so a retry after a lost answer sends
 * the same ids again, and the server counts each once.
 */
export class ReceiptOutbox {
  private sending: Promise<void> | undefined;
  private readonly store: ReceiptStore;

  constructor(private readonly link: OutboxLink) {
    this.store = link.store ?? new MemoryReceipts();
  }

  get idle(): boolean {
    return this.store.size === 0 && !this.sending;
  }

  get size(): number {
    return this.store.size;
  }

  add(receipt: Receipt, signal: AbortSignal): void {
    this.store.add(receipt);
    this.flush(signal);
  }

  flush(signal: AbortSignal): void {
    if (this.sending || this.store.size === 0) return;
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
    const store = this.store;
    while (store.size > 0 && !signal.aborted) {
      const batch = store.peek(this.link.batch ?? MAX_BATCH);
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
        this.link.notAvailable();
        report.log(who, `receipts: not available yet (404); ${store.size} kept for later`);
        this.link.scheduler.after(this.link.retryLaterMs, () => this.flush(signal));
        return;
      }
      store.drop(batch.length);
      this.link.posted(batch.length, answer);
      if (typeof answer === 'number') continue;
      report.log(who, `receipts: posted ${batch.length}, accepted ${answer.accepted}, duplicates ${answer.duplicates}`);
    }
  }
}
