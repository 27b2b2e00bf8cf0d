/**
 * One reading of the server's clock: sent and answered at these local
 * instants, the server said `serverMs`, true to `precisionMs` (0 for a
 * heartbeat's serverTime in ms, 1000 for an HTTP Date header, which is whole seconds).
 */
export interface ClockReading {
  sentAt: number;
  answeredAt: number;
  serverMs: number;
  precisionMs: number;
}

/** Where server time minus local time lies, as far as one reading can tell. */
export function offsetBounds(reading: ClockReading): { low: number; high: number } {
  // The server read its clock somewhere between our send and its answer arriving.
  return {
    low: reading.serverMs - reading.answeredAt,
    high: reading.serverMs + reading.precisionMs - reading.sentAt,
  };
}

/**
 * The offset (server − local, ms) from recent readings: the middle of the
 * narrowest one, i.e. the heartbeat with the shortest round trip (half its
 * round trip is its error), unless only Date headers were seen.
 */
export function estimateOffset(readings: ClockReading[]): { offsetMs: number; errorMs: number } | undefined {
  let best: { low: number; high: number } | undefined;
  for (const reading of readings) {
    const bounds = offsetBounds(reading);
    if (!best || bounds.high - bounds.low < best.high - best.low) best = bounds;
  }
  if (!best) return undefined;
  return { offsetMs: Math.round((best.low + best.high) / 2), errorMs: Math.round((best.high - best.low) / 2) };
}

// Readings older than this describe a clock that may since have drifted or been set.
const KEPT_READINGS = 8;

/**
 * Keeps the device's clock honest: measures it against the server's and says
 * whether it is good enough to air a schedule by. The agent never sets the
 * clock itself (that is NTP's job, and two correctors fight); it refuses to
 * air scheduled items by a clock it knows is wrong.
 */
export class ClockCheck {
  private readings: ClockReading[] = [];
  // Set since the last jump and not measured since: nothing is known of the clock but that it just moved.
  private unproven = false;

  constructor(readonly maxOffsetMs: number) {}

  add(reading: ClockReading): void {
    this.readings.push(reading);
    this.unproven = false;
    if (this.readings.length > KEPT_READINGS) this.readings.shift();
  }

  /** From a response's Date header, if it has one. */
  addDateHeader(sentAt: number, answeredAt: number, date: string | null): void {
    const serverMs = date ? Date.parse(date) : NaN;
    if (!Number.isNaN(serverMs)) this.add({ sentAt, answeredAt, serverMs, precisionMs: 1000 });
  }

  /** The local clock jumped: what was measured before says nothing of it now. */
  forget(): void {
    this.readings = [];
    this.unproven = true;
  }

  get offsetMs(): number | undefined {
    return estimateOffset(this.readings)?.offsetMs;
  }

  /**
   * Why the clock may not be trusted to air by, or undefined when it may. A
   * clock never measured is trusted (offline from the start, it is all there
   * is); one that jumped is not, until it has been measured again.
   */
  fault(): string | undefined {
    const estimate = estimateOffset(this.readings);
    if (!estimate)
      return this.unproven ? 'the clock was just set and is not yet measured against the server' : undefined;
    // Only what is surely over the limit counts: a Date header's whole second must not raise a false alarm.
    const surely = Math.abs(estimate.offsetMs) - estimate.errorMs;
    if (surely <= this.maxOffsetMs) return undefined;
    return `the clock is off by ${estimate.offsetMs} ms (server − device), over the ${this.maxOffsetMs} ms limit: check NTP`;
  }
}

/**
 * Notices the wall clock being set (NTP stepping it, a person, a dead RTC
 * battery's boot at 1970): the wall clock and the monotonic clock should
 * advance together, so a change in their difference is a jump.
 */
export class JumpWatcher {
  private base: number;

  constructor(
    private readonly thresholdMs: number,
    private readonly onJump: (jumpMs: number) => void,
    private readonly wall: () => number = Date.now,
    private readonly monotonic: () => number = () => performance.now(),
  ) {
    this.base = wall() - monotonic();
  }

  /**
   * Whether the clock has jumped since the last check(), not yet reported: a
   * timer the jump made due can fire before the periodic check sees it.
   */
  pending(): boolean {
    return Math.abs(this.moved()) >= this.thresholdMs;
  }

  /** Reports a jump since the last check, if there was one. */
  check(): void {
    const jump = this.moved();
    this.base += jump;
    if (Math.abs(jump) >= this.thresholdMs) this.onJump(Math.round(jump));
  }

  private moved(): number {
    return this.wall() - this.monotonic() - this.base;
  }
}
