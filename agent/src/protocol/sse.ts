export interface SseEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/**
 * The event-stream parser of the HTML standard (§9.2.6): fields, comments,
 * multi-line data, dispatch on a blank line, and CR, LF or CRLF line ends,
 * even when a CRLF is split between two chunks.
 */
export class SseParser {
  lastEventId = '';
  /** The server's `retry:`, when it sent one. */
  retryMs: number | undefined;
  private pending = '';
  private data: string[] = [];
  private type = '';
  private idBuffer = '';

  /** A new connection: an event the old one cut off is never dispatched, but the id and retry carry over. */
  restart(): void {
    this.pending = '';
    this.data = [];
    this.type = '';
    this.idBuffer = this.lastEventId;
  }

  feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    const buffer = this.pending + text;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const char = buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (char === '\r' && i === buffer.length - 1) break;
      const event = this.line(buffer.slice(start, i));
      if (event) events.push(event);
      if (char === '\r' && buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.pending = buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    // The id sticks even to a blank event: it is what a reconnect resumes from.
    this.lastEventId = this.idBuffer;
    const data = this.data;
    const type = this.type || 'message';
    this.data = [];
    this.type = '';
    if (data.length === 0) return undefined;
    return { type, data: data.join('\n'), lastEventId: this.lastEventId };
  }
}

/**
 * Feeds a response body to the parser until the server closes it or the
 * signal aborts the fetch. `onChunk` sees every chunk, comments included,
 * which is how a caller knows the connection is alive.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  parser: SseParser,
  onEvent: (event: SseEvent) => void,
  onChunk: () => void,
): Promise<void> {
  // TextDecoder drops the optional leading BOM and keeps characters split across chunks whole.
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk();
      for (const event of parser.feed(decoder.decode(value, { stream: true }))) onEvent(event);
    }
  } finally {
    reader.releaseLock();
  }
}
