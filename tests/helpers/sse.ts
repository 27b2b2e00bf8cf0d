export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/** A device's event stream, read over real HTTP; events are collected as they arrive. */
export class EventStream {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  retry?: number;
  /** The stream is over: the server closed it (or the test did). */
  ended = false;
  private constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {}

  static async open(url: string, token: string, lastEventId?: string): Promise<EventStream> {
    const controller = new AbortController();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const response = await fetch(url, { headers, signal: controller.signal });
    const stream = new EventStream(response, controller);
    if (response.ok) void stream.read();
    return stream;
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: Partial<ServerSentEvent> & { data?: string } = {};
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data !== undefined)
              this.events.push({ event: current.event ?? 'message', data: current.data, id: current.id });
            current = {};
          } else if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
          else {
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
            else if (field === 'event') current.event = value;
            else if (field === 'id') current.id = value;
            else if (field === 'retry') this.retry = Number(value);
          }
        }
      }
    } catch {
      // closed by the test
    } finally {
      this.ended = true;
    }
  }

  close(): void {
    this.controller.abort();
  }
}
