/**
 * Coalesces concurrent calls into batched ones (DataLoader-like): items
 * asked for while a batch is being gathered go out together as one call of
 * `run`, and each caller gets its own item's result. A batch is gathered
 * until the event loop's check phase (setImmediate), so every request read
 * in one turn of the loop joins it: a microtask would close it after the
 * first socket's callback. While `concurrency` batches are running, new
 * items wait and go out together when one ends, so under load batches grow
 * instead of calls queueing one by one; when idle, an item waits at most one
 * turn of the loop.
 *
 * Items of the same key in one batch are sent once (the latest kept) and
 * share its result. A failed batch (`run` throws, rejects, or answers the
 * wrong number of results) fails its own callers with that error, and only
 * them; the next batch is unaffected.
 */
export class Batcher<I, O> {
  private readonly waiting = new Map<string, Waiting<I, O>>();
  private running = 0;
  private scheduled = false;

  constructor(
    /** Results in the order of the items given. */
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly keyOf: (item: I) => string,
    private readonly options: { maxItems: number; concurrency: number },
  ) {}

  load(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const key = this.keyOf(item);
      const same = this.waiting.get(key);
      if (same) {
        same.item = item;
        same.callers.push({ resolve, reject });
      } else this.waiting.set(key, { item, callers: [{ resolve, reject }] });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.concurrency || !this.waiting.size) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.size && this.running < this.options.concurrency) {
      const batch: Array<Waiting<I, O>> = [];
      for (const [key, entry] of this.waiting) {
        if (batch.length === this.options.maxItems) break;
        this.waiting.delete(key);
        batch.push(entry);
      }
      this.running++;
      void this.send(batch).finally(() => {
        this.running--;
        this.schedule();
      });
    }
  }

  private async send(batch: Array<Waiting<I, O>>): Promise<void> {
    try {
      const results = await this.run(batch.map((entry) => entry.item));
      if (results.length !== batch.length)
        throw new Error(`a batch of ${batch.length} was answered with ${results.length} results`);
      batch.forEach((entry, i) => entry.callers.forEach((caller) => caller.resolve(results[i])));
    } catch (error) {
      for (const entry of batch) for (const caller of entry.callers) caller.reject(error);
    }
  }
}

interface Waiting<I, O> {
  item: I;
  callers: Array<Settle<O>>;
}

interface Settle<O> {
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}
