import { gunzipSync, gzipSync } from 'node:zlib';

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, text: string) {
  header.write(text, offset, Math.min(length, Buffer.byteLength(text)), 'utf8');
}

function octal(header: Buffer, offset: number, length: number, n: number) {
  // NUL-terminated, zero-padded octal, as POSIX ustar writes numbers.
  field(header, offset, length, `${n.toString(8).padStart(length - 1, '0')}\0`);
}

function headerOf(path: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`path too long: ${path}`);
  const header = Buffer.alloc(BLOCK);
  field(header, 0, 100, path);
  octal(header, 100, 8, 0o644);
  octal(header, 108, 8, 0);
  octal(header, 116, 8, 0);
  octal(header, 124, 12, size);
  octal(header, 136, 12, mtime);
  header.fill(' ', 148, 156); // the checksum counts its own field as spaces
  field(header, 156, 1, '0');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/**
 * A gzipped POSIX ustar archive of regular files, as `helm package` writes a chart (every
 * path under the chart's directory). Deterministic for the same files and `mtime`, so a
 * chart's digest in `index.yaml` does not change between sandbox starts.
 */
export function packTarGz(
  files: Record<string, string | Buffer>,
  mtime: Date,
): Buffer {
  const seconds = Math.floor(mtime.getTime() / 1000);
  const parts: Buffer[] = [];
  for (const path of Object.keys(files).sort()) {
    const content = Buffer.from(files[path]);
    parts.push(headerOf(path, content.length, seconds), content);
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  // mtime 0 and no file name in the gzip header keep the bytes reproducible.
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function cString(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/**
 * The regular files of a gzipped tar archive by path (ustar, with its `prefix` field), as
 * Argo CD's repo-server reads a chart it pulled. Directories and other entry types are skipped.
 */
export function unpackTarGz(archive: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(archive);
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every(b => b === 0)) break;
    const name = cString(header, 0, 100);
    const prefix = cString(header, 345, 155);
    const size = parseInt(cString(header, 124, 12).trim() || '0', 8);
    const type = cString(header, 156, 1) || '0';
    offset += BLOCK;
    if (type === '0')
      files.set(
        prefix ? `${prefix}/${name}` : name,
        Buffer.from(tar.subarray(offset, offset + size)),
      );
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
