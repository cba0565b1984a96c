import { StringDecoder } from 'node:string_decoder';

/** One line of a newline-delimited JSON body. */
export interface NdjsonLine {
  text: string;
  /** False only for a last line the server did not end with `\n`. */
  terminated: boolean;
}

/**
 * Splits a chunked body into lines as the chunks arrive: a chunk may end mid-line or even
 * mid-character (the decoder keeps partial UTF-8 sequences), and may hold many lines.
 * Blank lines are skipped.
 */
export async function* readNdjsonLines(
  chunks: AsyncIterable<Buffer | string>,
): AsyncGenerator<NdjsonLine> {
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  for await (const chunk of chunks) {
    buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const text = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (text) yield { text, terminated: true };
      newline = buffered.indexOf('\n');
    }
  }
  const rest = (buffered + decoder.end()).trim();
  if (rest) yield { text: rest, terminated: false };
}
