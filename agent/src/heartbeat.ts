import type { ClockCheck } from './clock-check';
import type { AgentConfig } from './config';
import type { Journal } from './journal';
import { type Cancel, describe, reason, type Scheduler } from './protocol';
import type { DiskQueue } from './queue';

const HEARTBEAT_TIMEOUT_MS = 10_000;

export type HeartbeatBody = Record<string, unknown>;

export interface HeartbeatLink {
  config: AgentConfig;
  journal: Journal;
  scheduler: Scheduler;
  signal: AbortSignal;
  queue: DiskQueue<HeartbeatBody>;
  token(): string;
  check: ClockCheck;
  body(): Promise<HeartbeatBody>;
  reachable(online: boolean, why?: string): void;
  clockChecked(): void;
  revoked(): void;
}

/**
 * Heartbeats every DALABA_HEARTBEAT_SECONDS: the device's state for the
 * server, and the server's clock for the device (its serverTime, measured
 * over the round trip). One that cannot be sent is queued on disk and sent
 * when the server is back.
 */
export class Heartbeats {
  private next: Cancel = () => undefined;
  private beating = false;

  constructor(private readonly link: HeartbeatLink) {}

  /** One attempt, not retried: a heartbeat that cannot be sent is queued on disk and the next one is due anyway. */
  async beat(): Promise<void> {
    this.next();
    this.beating = true;
    const body = await this.link.body();
    try {
      const { held: _held, ...said } = body;
      this.link.journal.event('heartbeat', said);
      const answered = await this.postHeartbeat(body);
      if (answered) await this.flushHeartbeats();
      else if (!this.link.signal.aborted) {
        this.link.queue.add(body);
        this.link.journal.event('queued', { heartbeats: this.link.queue.size });
      }
    } finally {
      this.beating = false;
      this.schedule(this.link.config.heartbeatMs);
    }
  }

  private async postHeartbeat(body: HeartbeatBody): Promise<boolean> {
    const sentAt = Date.now();
    const started = performance.now();
    try {
      const response = await fetch(`${this.link.config.server}/api/v1/device/heartbeat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.link.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([this.link.signal, AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS)]),
      });
      // The round trip on the monotonic clock: a jump during the call must not look like network delay.
      const answeredAt = sentAt + (performance.now() - started);
      if (response.status === 401) {
        await response.body?.cancel();
        this.link.revoked();
        return true;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        this.link.reachable(false, `heartbeat: HTTP ${response.status}`);
        return false;
      }
      this.link.reachable(true);
      if (!response.ok) {
        this.link.journal.error('heartbeat', await reason(response));
        return true;
      }
      const { serverTime } = (await response.json()) as { serverTime?: string };
      const serverMs = Date.parse(serverTime ?? '');
      if (!Number.isNaN(serverMs)) this.link.check.add({ sentAt, answeredAt, serverMs, precisionMs: 1 });
      else this.link.check.addDateHeader(sentAt, answeredAt, response.headers.get('date'));
      this.link.clockChecked();
      return true;
    } catch (error) {
      if (!this.link.signal.aborted) this.link.reachable(false, `heartbeat: ${describe(error)}`);
      return false;
    }
  }

  /** Back online: what was queued goes, oldest first (the server marks each as a sign of life; the last one is the state now). */
  private async flushHeartbeats(): Promise<void> {
    while (this.link.queue.size > 0) {
      const [queued] = this.link.queue.peek(1);
      if (!(await this.postHeartbeat(queued))) return;
      this.link.queue.drop(1);
      if (this.link.queue.size === 0) this.link.journal.event('flushed', { heartbeats: 'all' });
    }
  }

  schedule(inMs: number): void {
    if (this.link.signal.aborted || this.beating) return;
    this.next();
    this.next = this.link.scheduler.after(inMs, () => void this.beat());
  }
}
