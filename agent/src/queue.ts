import { existsSync, readFileSync } from 'node:fs';
import { appendDurable, writeAtomic } from './files';
import type { Receipt, ReceiptStore } from './protocol';

/**
 * A queue of JSON values on disk: one per line, appended and fsynced as they
 * come, rewritten atomically when the head is taken. A line cut short by a
 * power failure is the last one, and is dropped on reading: it was never
 * acknowledged to anyone, so nothing is lost that was promised.
 */
export class DiskQueue<T> {
  private items: T[];
  // A write failed (the card is full): memory holds the truth until a whole rewrite succeeds.
  private behind = false;

  constructor(
    private readonly file: string,
    /** Past this many, the oldest go: a queue must not fill the card in a week offline. */
    private readonly limit = Infinity,
    /** A write failed; the queue goes on in memory (the agent reports a full card rather than stop airing). */
    private readonly writeFailed: (error: unknown) => void = (error) => {
      throw error;
    },
  ) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    this.items = parseLines<T>(text);
    // A torn last line is cut off now, or the next append would be glued to it and lost with it.
    if (text.length > 0 && !text.endsWith('\n')) this.rewrite();
  }

  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    if (this.behind || this.items.length === this.limit) return this.rewrite();
    try {
      appendDurable(this.file, JSON.stringify(item));
    } catch (error) {
      this.behind = true;
      this.writeFailed(error);
    }
  }

  peek(count: number): T[] {
    return this.items.slice(0, count);
  }

  drop(count: number): void {
    if (count <= 0) return;
    this.items.splice(0, count);
    this.rewrite();
  }

  private rewrite(): void {
    try {
      writeAtomic(this.file, this.items.map((item) => `${JSON.stringify(item)}\n`).join(''), 0o600);
      this.behind = false;
    } catch (error) {
      this.behind = true;
      this.writeFailed(error);
    }
  }
}

export function parseLines<T>(text: string): T[] {
  const items: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      items.push(JSON.parse(line) as T);
    } catch {
      // the line a power cut interrupted
    }
  }
  return items;
}

/** Receipts wait on disk for the server: a device that reboots offline still reports what it aired. */
export class DiskReceipts extends DiskQueue<Receipt> implements ReceiptStore {}
