import type { ArgoCdStreamError } from '@kupe/plugin-gitops-node';

const encoder = new TextEncoder();

/**
 * argoproj/pkg `NewStreamForwarder` framing: newline-delimited JSON by default, SSE only
 * when the client asks for exactly `text/event-stream` (then with its odd `" \n\n\n"` tail).
 */
export class StreamFraming {
  readonly contentType: string;
  readonly #sse: boolean;

  constructor(accept: string | null) {
    this.#sse = accept?.trim().toLowerCase() === 'text/event-stream';
    this.contentType = this.#sse ? 'text/event-stream' : 'application/json';
  }

  result(message: unknown): Uint8Array {
    return this.#frame(JSON.stringify({ result: message }));
  }

  /** A message already marshalled as `{"result": …}` (projected by `fields=`). */
  resultJson(json: string): Uint8Array {
    return this.#frame(json);
  }

  /** SSE's keepalive comment line (argoproj/pkg `writeKeepalive`); none for NDJSON. */
  keepalive(): Uint8Array | undefined {
    return this.#sse ? encoder.encode(':\n') : undefined;
  }

  error(error: ArgoCdStreamError): Uint8Array {
    return this.#frame(JSON.stringify({ error }));
  }

  #frame(json: string): Uint8Array {
    return encoder.encode(this.#sse ? `data: ${json} \n\n\n` : `${json}\n`);
  }
}
