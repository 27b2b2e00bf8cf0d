import { type ServerSentEvent, EventStream } from './sse';

/**
 * A device's event stream as a loudspeaker keeps it: when the server ends it
 * (its process died), it connects again after the `retry:` the server gave,
 * saying the last event id it saw, as EventSource does. Every event of every
 * connection is kept, with the API process that served the connection (the
 * X-Served-By header HAProxy adds).
 */
export class ReconnectingDevice {
  /** The connections so far, oldest first, with their HAProxy server. */
  readonly connections: Array<{ stream: EventStream; servedBy: string }> = [];
  private closed = false;
  private running?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Connects, and resolves once the first stream is open (its reconnects go on behind). */
  async connect(): Promise<this> {
    const first = await this.open();
    this.running = this.keep(first);
    return this;
  }

  get current(): { stream: EventStream; servedBy: string } {
    return this.connections[this.connections.length - 1];
  }

  events(name: string, matching: (data: any) => boolean = () => true): ServerSentEvent[] {
    return this.connections
      .flatMap(({ stream }) => stream.events)
      .filter((event) => event.event === name && matching(JSON.parse(event.data)));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { stream } of this.connections) stream.close();
    await this.running;
  }

  private async open(): Promise<EventStream> {
    const lastId = this.connections
      .flatMap(({ stream }) => stream.events)
      .map((event) => event.id)
      .filter(Boolean)
      .pop();
    const stream = await EventStream.open(this.url, this.token, lastId);
    if (!stream.response.ok) throw new Error(`${this.name}: the event stream answered ${stream.response.status}`);
    this.connections.push({ stream, servedBy: stream.response.headers.get('x-served-by') ?? '' });
    return stream;
  }

  private async keep(stream: EventStream): Promise<void> {
    for (;;) {
      while (!stream.ended) await pause(50);
      if (this.closed) return;
      const retry = stream.retry ?? 5_000;
      for (;;) {
        await pause(retry);
        if (this.closed) return;
        try {
          stream = await this.open();
          break;
        } catch {
          // Nowhere to connect to yet (every process down, or the balancer not told): a device tries again.
        }
      }
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
