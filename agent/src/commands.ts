import type { AudioEngine } from './audio';
import type { Horn } from './horn';
import type { Journal } from './journal';
import { type CommandEvent, describe, type Http } from './protocol';
import type { CommandOutcome } from './state';

export type Reply = { status: 'acknowledged' | 'done' | 'failed'; result?: string };

/** What a command asks, checked: the kinds the agent knows, or why it cannot be done. */
export type Order =
  | { kind: 'set-volume'; volume: number }
  | { kind: 'mute' | 'unmute' | 'restart' | 'refetch' | 'test-tone' }
  | { kind: 'refused'; result: string };

export function readOrder(command: Partial<CommandEvent>): Order {
  switch (command.kind) {
    case 'set-volume': {
      const { volume } = command;
      if (typeof volume !== 'number' || !Number.isInteger(volume) || volume < 0 || volume > 100)
        return { kind: 'refused', result: 'volume must be a whole number from 0 to 100' };
      return { kind: 'set-volume', volume };
    }
    case 'mute':
    case 'unmute':
    case 'restart':
    case 'refetch':
    case 'test-tone':
      return { kind: command.kind };
    default:
      return { kind: 'refused', result: 'unsupported' };
  }
}

/**
 * Commands handled, by id, kept on disk: the server resends a command until
 * it hears the outcome, and a device that handled it already (the answer
 * was lost, or it restarted since) reports the same outcome again rather
 * than doing it twice: a second restart, a second tone.
 */
export class CommandBook {
  private readonly running = new Set<string>();

  constructor(
    private readonly outcomes: Record<string, CommandOutcome>,
    private readonly save: (outcomes: Record<string, CommandOutcome>) => void,
  ) {}

  /** What to do with a command heard: carry it out, report what it came to before, or nothing (it is under way). */
  heard(id: string): { act: 'run' } | { act: 'report'; outcome: CommandOutcome } | { act: 'wait' } {
    const outcome = this.outcomes[id];
    if (outcome) return { act: 'report', outcome };
    if (this.running.has(id)) return { act: 'wait' };
    this.running.add(id);
    return { act: 'run' };
  }

  settled(id: string, outcome: CommandOutcome): void {
    this.running.delete(id);
    this.outcomes[id] = outcome;
    this.save(this.outcomes);
  }
}

export interface CommandsLink {
  book: CommandBook;
  http: Http;
  token(): string;
  signal: AbortSignal;
  journal: Journal;
  engine: AudioEngine;
  horn: Horn;
  saveSettings(): void;
  /** Pulls every served playlist again, ignoring ETags: the dates pulled. */
  refetch(): Promise<string[]>;
  restart(): Promise<void>;
}

/**
 * Commands from the event stream (docs/device-protocol.md): acknowledged at
 * once, carried out, then reported done or failed, each id once.
 */
export class Commands {
  constructor(private readonly link: CommandsLink) {}

  async heard(command: Partial<CommandEvent>): Promise<void> {
    if (typeof command.id !== 'string') return;
    const id = command.id;
    const heard = this.link.book.heard(id);
    this.link.journal.event('command', { id, kind: command.kind, act: heard.act });
    if (heard.act === 'wait') return;
    if (heard.act === 'report') return this.reply(id, heard.outcome);
    await this.reply(id, { status: 'acknowledged' });
    const outcome = await this.carryOut(readOrder(command));
    this.link.book.settled(id, { ...outcome, at: Date.now() });
    this.link.journal.event('command', { id, kind: command.kind, ...outcome });
    await this.reply(id, outcome);
    if (outcome.status === 'done' && command.kind === 'restart') await this.link.restart();
  }

  private async carryOut(order: ReturnType<typeof readOrder>): Promise<{ status: 'done' | 'failed'; result?: string }> {
    switch (order.kind) {
      case 'refused':
        return { status: 'failed', result: order.result };
      case 'set-volume':
        this.link.engine.volume = order.volume;
        this.link.saveSettings();
        return { status: 'done', result: `volume ${order.volume}` };
      case 'mute':
      case 'unmute':
        this.link.engine.muted = order.kind === 'mute';
        this.link.saveSettings();
        return { status: 'done' };
      case 'refetch':
        return { status: 'done', result: `pulled ${(await this.link.refetch()).join(', ')}` };
      case 'test-tone':
        if (this.link.horn.busy()) return { status: 'failed', result: 'an alert or live stream is on air' };
        await this.link.engine.playTone(5000);
        return { status: 'done', result: '1 kHz for 5 s' };
      case 'restart':
        return { status: 'done', result: 'restarting' };
    }
  }

  /** Reports a command's progress; 404 (not this device's) and 409 (settled or expired) end the matter. */
  private async reply(id: string, reply: Reply): Promise<void> {
    const json = { status: reply.status, ...(reply.result ? { result: reply.result.slice(0, 200) } : {}) };
    await this.link.http
      .call(
        'POST',
        `/api/v1/device/commands/${encodeURIComponent(id)}`,
        { who: 'command', token: this.link.token(), json },
        async (response) => {
          if (!response.ok) this.link.journal.event('command-reply', { id, httpStatus: response.status, ...json });
          await response.body?.cancel().catch(() => undefined);
        },
      )
      .catch((error: unknown) => !this.link.signal.aborted && this.link.journal.error('command', describe(error)));
  }
}
