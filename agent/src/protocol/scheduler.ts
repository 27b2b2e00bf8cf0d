import type { Clock } from './clock';

interface Entry {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

export type Cancel = () => void;

// setTimeout cannot wait longer than 2^31-1 ms; a far entry is simply re-checked.
const LONGEST_WAIT_MS = 3600_000;

/**
 * Every timer of every simulated device lives in one heap behind one real
 * timer, so thousands of devices cost one setTimeout, and stop() leaves
 * nothing behind that would keep the process alive. Times are read on the
 * simulated clock: the real delay is always `at - clock.now()`.
 */
export class Scheduler {
  private readonly heap: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private seq = 0;
  private stopped = false;

  constructor(readonly clock: Clock) {}

  at(at: number, run: () => void): Cancel {
    if (this.stopped) return () => undefined;
    const entry: Entry = { at, seq: this.seq++, run, cancelled: false };
    this.push(entry);
    this.arm();
    return () => {
      entry.cancelled = true;
    };
  }

  after(ms: number, run: () => void): Cancel {
    return this.at(this.clock.now() + ms, run);
  }

  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        cancel();
        reject(signal.reason as Error);
      };
      const cancel = this.after(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The clock was set (a jump): what was armed for a delay on the old time is armed again on the new. */
  rearm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    if (!this.stopped) this.arm();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.length = 0;
  }

  private arm(): void {
    // Cancelled entries (every call's timeout, mostly) are dropped here rather than woken up for.
    while (this.heap[0]?.cancelled) this.pop();
    const next = this.heap[0];
    if (!next || next.at >= this.armedFor) return;
    clearTimeout(this.timer);
    this.armedFor = next.at;
    const wait = Math.min(Math.max(next.at - this.clock.now(), 0), LONGEST_WAIT_MS);
    this.timer = setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    while (!this.stopped && this.heap.length > 0 && this.heap[0].at <= this.clock.now()) {
      const entry = this.pop();
      if (!entry.cancelled) entry.run();
    }
    if (!this.stopped) this.arm();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left], heap[least])) least = left;
      if (right < heap.length && before(heap[right], heap[least])) least = right;
      if (least === i) return top;
      [heap[i], heap[least]] = [heap[least], heap[i]];
      i = least;
    }
  }
}

/** Equal times run in the order they were scheduled. */
function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
