import type { Application, ApplicationList } from '../argocd/types';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * How long the reader works through arrived chunks before it lets the event loop run. Chunks
 * that arrived together (a socket read takes up to 32 of 64 KiB at once) are handed over
 * without a turn of the event loop in between, so without a pause a listing of thousands
 * of apps would hold every request of the process for a tenth of a second or more.
 */
export const LIST_SLICE_MS = 5;

const yieldToEventLoop = () =>
  new Promise<void>(resolve => setImmediate(resolve));

/**
 * 31 bits of an item's bytes as listed (FNV-1a over the bytes, then Murmur3's finalizer):
 * what a listing's `skip` receives. The same bytes always give the same digest; not a
 * cryptographic one.
 *
 * @public
 */
export function listedItemDigest(pieces: readonly Uint8Array[]): number {
  let h = 0x811c9dc5;
  let length = 0;
  for (const piece of pieces) {
    for (let i = 0; i < piece.length; i++)
      h = Math.imul(h ^ piece[i], 0x01000193);
    length += piece.length;
  }
  h ^= length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >> 1;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Reads an Argo CD application list body (`{"metadata":{…},"items":[{…},…]}`) as it arrives
 * and hands each item to `onItem` as soon as its last byte is in, parsed on its own: the body
 * is never held whole, as text or as objects, which for thousands of large apps is hundreds of
 * megabytes. Every byte the scanner looks at is ASCII, so UTF-8 sequences split across chunks
 * pass through untouched. An item whose digest (`listedItemDigest` of its bytes) `skip`
 * answers true for is neither decoded nor parsed. Returns
 * the list without its items; throws `SyntaxError` for a body that is not such a list.
 * Between chunks it lets the event loop run every {@link LIST_SLICE_MS} of work.
 */
export async function readApplicationList(
  chunks: AsyncIterable<Buffer | string>,
  onItem: (app: Application) => void,
  skip?: (digest: number) => boolean,
): Promise<ApplicationList> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  // At depth 1: reading a key, waiting for its value, or inside the value of `key`.
  let phase: 'key' | 'value' | 'inValue' = 'key';
  let key = '';
  let keyBytes: number[] | undefined;
  let inItems = false;
  let pieces: Buffer[] = [];
  let pieceStart = -1;
  let capturing: 'item' | 'metadata' | undefined;
  let metadataText = '';
  let seenRoot = false;
  let sliceStart = performance.now();

  const finishPiece = (chunk: Buffer, end: number) => {
    pieces.push(chunk.subarray(pieceStart, end));
    pieceStart = -1;
  };
  const takeText = () => {
    const text =
      pieces.length === 1
        ? pieces[0].toString('utf8')
        : Buffer.concat(pieces).toString('utf8');
    pieces = [];
    return text;
  };

  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (capturing) pieceStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          inString = false;
          if (keyBytes) {
            key = Buffer.from(keyBytes).toString('utf8');
            keyBytes = undefined;
          }
          continue;
        }
        keyBytes?.push(byte);
        continue;
      }
      if (isSpace(byte)) continue;
      if (depth === 0) {
        if (byte !== OPEN_OBJECT || seenRoot)
          throw new SyntaxError('an application list must be one JSON object');
        seenRoot = true;
        depth = 1;
        continue;
      }
      if (depth === 1 && phase === 'key') {
        if (byte === QUOTE) {
          inString = true;
          keyBytes = [];
        } else if (byte === COLON) phase = 'value';
        else if (byte === CLOSE_OBJECT) depth = 0;
        else if (byte !== COMMA)
          throw new SyntaxError('unexpected byte in an application list');
        continue;
      }
      if (depth === 1 && phase === 'value') {
        phase = 'inValue';
        if (key === 'items' && byte === OPEN_ARRAY) {
          inItems = true;
          depth = 2;
          continue;
        }
        if (key === 'metadata') {
          capturing = 'metadata';
          pieceStart = i;
        }
      }
      if (depth === 1 && (byte === COMMA || byte === CLOSE_OBJECT)) {
        // The end of a value at the top level.
        if (capturing === 'metadata') {
          finishPiece(chunk, i);
          metadataText = takeText();
          capturing = undefined;
        }
        phase = 'key';
        if (byte === CLOSE_OBJECT) depth = 0;
        continue;
      }
      if (inItems && depth === 2) {
        if (byte === CLOSE_ARRAY) {
          inItems = false;
          depth = 1;
          continue;
        }
        if (byte === COMMA) continue;
        if (byte !== OPEN_OBJECT)
          throw new SyntaxError('an application list item must be an object');
        capturing = 'item';
        pieceStart = i;
        depth = 3;
        continue;
      }
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        depth--;
        if (inItems && depth === 2) {
          finishPiece(chunk, i + 1);
          // A skipped item is never decoded: no text of it is made at all.
          if (skip?.(listedItemDigest(pieces))) pieces = [];
          else onItem(JSON.parse(takeText()) as Application);
          capturing = undefined;
        }
      }
    }
    if (capturing && pieceStart >= 0) pieces.push(chunk.subarray(pieceStart));
    if (performance.now() - sliceStart >= LIST_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  if (!seenRoot || depth !== 0 || inString)
    throw new SyntaxError('the application list ended early');
  const metadata = metadataText.trim()
    ? (JSON.parse(metadataText) as ApplicationList['metadata'])
    : {};
  return { metadata: metadata ?? {}, items: [] };
}
