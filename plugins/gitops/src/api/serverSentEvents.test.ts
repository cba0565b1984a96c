import {
  ServerSentEvent,
  ServerSentEventParser,
  readServerSentEvents,
} from './serverSentEvents';

function parse(chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser(e => events.push(e));
  chunks.forEach(chunk => parser.push(chunk));
  parser.end();
  return events;
}

describe('ServerSentEventParser', () => {
  it('dispatches named events, joins multi-line data and skips comments', () => {
    expect(
      parse([
        ': heartbeat\n\n',
        'event: applications\ndata: {"a":\ndata: 1}\n\n',
        'data:no space\n\n',
        'event: lonely\n\n',
      ]),
    ).toEqual([
      { event: 'applications', data: '{"a":\n1}' },
      { event: 'message', data: 'no space' },
    ]);
  });

  it('reassembles frames and line breaks split anywhere across chunks', () => {
    const text =
      '\ufeffevent: applications\r\ndata: {"x": 1}\r\n\r\n: hb\r\rdata: b\n\n';
    const whole = parse([text]);
    expect(whole).toEqual([
      { event: 'applications', data: '{"x": 1}' },
      { event: 'message', data: 'b' },
    ]);
    for (let i = 1; i < text.length; i++) {
      expect(parse([text.slice(0, i), text.slice(i)])).toEqual(whole);
    }
    expect(parse(text.split(''))).toEqual(whole);
  });

  it('drops a frame the stream cut off before its blank line', () => {
    expect(parse(['event: applications\ndata: {}\n'])).toEqual([]);
  });
});

describe('readServerSentEvents', () => {
  it('decodes a byte stream whose multi-byte characters straddle chunks', async () => {
    const bytes = new TextEncoder().encode('data: grüß\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    await readServerSentEvents(body, e => events.push(e));
    expect(events).toEqual([{ event: 'message', data: 'grüß' }]);
  });
});
