import { readNdjsonLines } from './ndjsonLines';

async function linesOf(chunks: Array<string | Buffer>) {
  async function* source() {
    yield* chunks;
  }
  const lines = [];
  for await (const line of readNdjsonLines(source())) lines.push(line);
  return lines;
}

describe('readNdjsonLines', () => {
  it('joins lines split across chunks and splits chunks holding many lines', async () => {
    await expect(
      linesOf(['{"a":', '1}\n{"b":2}\n{"c"', ':3}\n']),
    ).resolves.toEqual([
      { text: '{"a":1}', terminated: true },
      { text: '{"b":2}', terminated: true },
      { text: '{"c":3}', terminated: true },
    ]);
  });

  it('keeps a character split between two chunks intact', async () => {
    const bytes = Buffer.from('{"n":"ü"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    await expect(
      linesOf([bytes.subarray(0, cut), bytes.subarray(cut)]),
    ).resolves.toEqual([{ text: '{"n":"ü"}', terminated: true }]);
  });

  it('skips blank lines and marks a last line without newline', async () => {
    await expect(linesOf(['\n{"a":1}\r\n\n', '{"b":'])).resolves.toEqual([
      { text: '{"a":1}', terminated: true },
      { text: '{"b":', terminated: false },
    ]);
  });
});
