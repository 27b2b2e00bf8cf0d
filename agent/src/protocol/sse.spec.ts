import { readEventStream, SseParser } from './sse';

function parseAll(chunks: string[]) {
  const parser = new SseParser();
  return { parser, events: chunks.flatMap((chunk) => parser.feed(chunk)) };
}

describe('the SSE parser', () => {
  it('dispatches on a blank line, with type, data and id', () => {
    const { events, parser } = parseAll(['id: 7\nevent: playlist-changed\ndata: {"date":"2026-11-24"}\n\n']);
    expect(events).toEqual([{ type: 'playlist-changed', data: '{"date":"2026-11-24"}', lastEventId: '7' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('joins multi-line data with newlines and calls an untyped event "message"', () => {
    expect(parseAll(['data: one\ndata:two\ndata\n\n']).events).toEqual([
      { type: 'message', data: 'one\ntwo\n', lastEventId: '' },
    ]);
  });

  it('ignores comments, unknown fields and a trailing event with no blank line', () => {
    const { events } = parseAll([': keep-alive\nfoo: bar\ndata: x\n\n:\n\ndata: cut off\n']);
    expect(events.map((event) => event.data)).toEqual(['x']);
  });

  it('accepts CR, LF and CRLF, even a CRLF split between chunks', () => {
    const { events } = parseAll(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n', '\n']);
    expect(events.map((event) => event.data)).toEqual(['a', 'b', 'c']);
  });

  it('reassembles fields split anywhere', () => {
    const text = 'event: emergency\nid: 42\ndata: {"id":"e1"}\n\n';
    const { events } = parseAll(text.split(''));
    expect(events).toEqual([{ type: 'emergency', data: '{"id":"e1"}', lastEventId: '42' }]);
  });

  it('keeps the last id through events without one, and takes it from an event with no data', () => {
    const { events, parser } = parseAll(['id: 1\ndata: a\n\ndata: b\n\nid: 2\n\n']);
    expect(events.map((event) => event.lastEventId)).toEqual(['1', '1']);
    expect(parser.lastEventId).toBe('2');
  });

  it('takes only a numeric retry, and ignores an id with NUL', () => {
    const { parser } = parseAll(['retry: 5000\nretry: soon\nid: 3\n\nid: a\0b\n\n']);
    expect(parser.retryMs).toBe(5000);
    expect(parser.lastEventId).toBe('3');
  });

  it('forgets a half-received event on restart but keeps the id', () => {
    const parser = new SseParser();
    parser.feed('id: 9\ndata: x\n\ndata: half');
    parser.restart();
    expect(parser.feed('data: whole\n\n')).toEqual([{ type: 'message', data: 'whole', lastEventId: '9' }]);
  });
});

describe('reading an event stream', () => {
  it('decodes UTF-8 split across chunks and drops a BOM', async () => {
    const bytes = Buffer.from('\uFEFFdata: 大喇叭\n\n');
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 12), bytes.subarray(12)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        chunks.forEach((chunk) => controller.enqueue(chunk));
        controller.close();
      },
    });
    const data: string[] = [];
    let seen = 0;
    await readEventStream(
      body,
      new SseParser(),
      (event) => data.push(event.data),
      () => seen++,
    );
    expect(data).toEqual(['大喇叭']);
    expect(seen).toBe(3);
  });
});
