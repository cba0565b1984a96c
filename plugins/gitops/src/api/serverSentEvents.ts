/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field; `message` when the frame names none. */
  event: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

/**
 * Incremental parser of the `text/event-stream` format (WHATWG HTML, "server-sent events"):
 * text arrives in arbitrary chunks, so a line or a frame may be split anywhere, including
 * between the `\r` and `\n` of a line break.
 */
export class ServerSentEventParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private started = false;

  constructor(
    private readonly onEvent: (event: ServerSentEvent) => void,
    /** Called for every complete line, comments (heartbeats) included: proof of life. */
    private readonly onLine?: () => void,
  ) {}

  push(text: string): void {
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.charCodeAt(0) === 0xfeff)
        this.buffer = this.buffer.slice(1);
    }
    const lineBreak = /\r\n|\r|\n/g;
    let from = 0;
    for (
      let match = lineBreak.exec(this.buffer);
      match;
      match = lineBreak.exec(this.buffer)
    ) {
      // A trailing `\r` may be the first half of `\r\n`: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      this.line(this.buffer.slice(from, match.index));
      from = match.index + match[0].length;
    }
    this.buffer = this.buffer.slice(from);
  }

  /** The stream ended: a frame without its closing blank line is discarded, as the spec says. */
  end(): void {
    if (this.buffer.endsWith('\r')) this.line(this.buffer.slice(0, -1));
    this.buffer = '';
    this.event = '';
    this.data = [];
  }

  private line(line: string): void {
    this.onLine?.();
    if (line === '') {
      if (this.data.length > 0) {
        this.onEvent({
          event: this.event || 'message',
          data: this.data.join('\n'),
        });
      }
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    // `id` and `retry` are not used: the client reconnects with its own backoff.
  }
}

/**
 * Reads a `text/event-stream` body until it ends; resolves then, rejects when reading fails
 * (a network error or an abort).
 */
export async function readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
  onLine?: () => void,
): Promise<void> {
  const parser = new ServerSentEventParser(onEvent, onLine);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    reader.releaseLock();
  }
}
