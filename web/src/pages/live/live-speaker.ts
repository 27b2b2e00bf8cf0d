import { afterClose, type Refusal } from './live-logic';
import type { LiveSession } from './live-api';

/** What the speaker's panel shows; `liveSince` is this browser's clock when the server said the loudspeakers play. */
export type Speaking =
  | { phase: 'connecting'; session: LiveSession }
  | { phase: 'live'; session: LiveSession; liveSince: number }
  | { phase: 'reconnecting'; session: LiveSession; liveSince: number | null }
  | { phase: 'ending'; session: LiveSession; liveSince: number | null }
  | { phase: 'ended'; session: LiveSession; reason: string | null }
  | { phase: 'refused'; session: LiveSession; refusal: Refusal };

/** A line of the connection log: `attempt` counts reconnections, `graceSeconds` says how long they may take. */
export interface LogEntry {
  at: number;
  kind: 'connected' | 'reconnected' | 'dropped' | 'starting' | 'live' | 'ended';
  attempt?: number;
  graceSeconds?: number;
}

/** What the speaker hears from its socket. */
export interface SocketEvents {
  open(): void;
  message(data: unknown): void;
  close(code: number): void;
}

/** The part of a WebSocket the speaker uses (the browser's, or a test's fake). */
export interface AudioSocket {
  readonly isOpen: boolean;
  send(chunk: Blob): void;
  close(): void;
}

export interface SpeakerParts {
  openSocket(url: string, events: SocketEvents): AudioSocket;
  /** Starts recording the microphone, calling `onChunk` with each piece; a new recorder per connection. */
  record(onChunk: (chunk: Blob) => void): { stop(): void };
  now(): number;
  later(run: () => void, ms: number): () => void;
  /** The server's last word on a session whose socket closed without saying why. */
  reload(id: string): Promise<LiveSession>;
}

/**
 * One live session from this browser: the audio socket and its recorder, the
 * reconnections within the grace period, and what the server says. Each
 * connection gets a fresh MediaRecorder: a WebM stream is only readable from
 * its header, so chunks continuing an old recording would mean nothing to the
 * server's new reader.
 */
export class LiveSpeaker {
  private socket: AudioSocket | null = null;
  private recorder: { stop(): void } | null = null;
  private cancelRetry: (() => void) | null = null;
  private serverEnded = false;
  private reason: string | null = null;
  private droppedAt: number | null = null;
  private attempt = 0;
  private reconnections = 0;
  private liveSince: number | null = null;
  private connection = 0;
  private lastStatus: string | undefined;
  private state: Speaking;
  readonly log: LogEntry[] = [];

  constructor(
    private session: LiveSession,
    private readonly url: string,
    private readonly graceSeconds: number,
    private readonly parts: SpeakerParts,
    private readonly onChange: (state: Speaking, log: LogEntry[]) => void,
  ) {
    this.state = { phase: 'connecting', session };
    this.connect();
  }

  get current(): Speaking {
    return this.state;
  }

  /** The person pressed 结束喊话 (the page asks the server to end it): stop sending, wait for the server's word. */
  ending(): void {
    if (this.state.phase === 'ended' || this.state.phase === 'refused') return;
    this.stopRecording();
    this.set({ phase: 'ending', session: this.session, liveSince: this.liveSince });
  }

  /** The server could not be asked to end it: hanging up ends it too (as source-lost, after the grace period). */
  hangUp(): void {
    this.socket?.close();
  }

  /** Leaving the page: everything closes; the server ends the session once its grace period passes. */
  dispose(): void {
    this.connection += 1;
    this.cancelRetry?.();
    this.stopRecording();
    this.socket?.close();
    this.socket = null;
  }

  private connect(): void {
    // Events of a socket this speaker has moved on from (or been disposed of) are not its concern.
    const connection = ++this.connection;
    const current = () => connection === this.connection;
    const socket = this.parts.openSocket(this.url, {
      open: () => current() && this.opened(socket),
      message: (data) => current() && this.status(data),
      close: (code) => current() && this.closed(code),
    });
    this.socket = socket;
  }

  private opened(socket: AudioSocket): void {
    if (this.state.phase === 'ending') return;
    const wasDropped = this.droppedAt !== null;
    this.note(wasDropped ? { kind: 'reconnected', attempt: ++this.reconnections } : { kind: 'connected' });
    this.droppedAt = null;
    this.attempt = 0;
    this.recorder = this.parts.record((chunk) => {
      if (socket.isOpen) socket.send(chunk);
    });
    if (wasDropped)
      this.set(
        this.liveSince === null
          ? { phase: 'connecting', session: this.session }
          : { phase: 'live', session: this.session, liveSince: this.liveSince },
      );
  }

  private status(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: { type?: string; status?: string; reason?: string };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (message.type !== 'status') return;
    // The server says where the session stands on every connection; the log tells each change once.
    const repeated = message.status === this.lastStatus;
    this.lastStatus = message.status;
    if (message.status === 'starting') {
      if (!repeated) this.note({ kind: 'starting' });
    } else if (message.status === 'live') {
      if (!repeated) this.note({ kind: 'live' });
      this.liveSince ??= this.parts.now();
      if (this.state.phase === 'connecting')
        this.set({ phase: 'live', session: this.session, liveSince: this.liveSince });
    } else if (message.status === 'ended') {
      this.note({ kind: 'ended' });
      this.serverEnded = true;
      this.reason = message.reason ?? null;
      this.finish();
    }
  }

  private closed(code: number): void {
    this.stopRecording();
    this.socket = null;
    if (this.state.phase === 'ended' || this.state.phase === 'refused') return;
    const now = this.parts.now();
    const decision = afterClose(code, {
      serverEnded: this.serverEnded,
      droppedAt: this.droppedAt ?? now,
      now,
      graceMs: this.graceSeconds * 1000,
      attempt: this.attempt,
    });
    if (decision.action === 'refused') {
      this.set({ phase: 'refused', session: this.session, refusal: decision.refusal });
    } else if (decision.action === 'reconnect' && this.state.phase !== 'ending') {
      if (this.droppedAt === null) {
        this.droppedAt = now;
        this.note({ kind: 'dropped', graceSeconds: this.graceSeconds });
      }
      this.attempt += 1;
      this.set({ phase: 'reconnecting', session: this.session, liveSince: this.liveSince });
      this.cancelRetry = this.parts.later(() => {
        this.cancelRetry = null;
        this.connect();
      }, decision.delayMs);
    } else {
      // Given up after the grace period: the server ends it as source-lost (its own record says so once read).
      this.finish(decision.action === 'give-up' ? 'source-lost' : null);
    }
  }

  /** Over: with the reason the server sent, or else the one it recorded (asked for once). */
  private finish(assumed: string | null = null): void {
    this.stopRecording();
    if (this.state.phase === 'ended') return;
    this.reason ??= assumed;
    this.set({ phase: 'ended', session: this.session, reason: this.reason });
    void this.parts.reload(this.session.id).then(
      (session) => {
        this.session = session;
        this.set({ phase: 'ended', session, reason: session.endReason ?? this.reason });
      },
      () => undefined,
    );
  }

  private stopRecording(): void {
    this.recorder?.stop();
    this.recorder = null;
  }

  private note(entry: Omit<LogEntry, 'at'>): void {
    this.log.push({ ...entry, at: this.parts.now() });
    this.onChange(this.state, [...this.log]);
  }

  private set(state: Speaking): void {
    this.state = state;
    this.onChange(state, [...this.log]);
  }
}
