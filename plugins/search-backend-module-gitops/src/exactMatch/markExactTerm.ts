import type { ResultHighlight } from '@backstage/plugin-search-common';
import { randomUUID } from 'node:crypto';

const escapeRegExp = (value: string) =>
  value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The term marked wherever it stands whole in a field, the way the exact search matched it:
 * `1.3.0` in `web:1.3.0` but not in `11.3.0`, `1.3.0-rc.1` or the address `127.0.0.1`, without
 * case, and a version also with a leading `v`. The engines' own highlighting marks the parts
 * their tokenizers made (Lunr marks each digit of a version, and every `1` in an address).
 */
export function markExactTerm(
  fields: Record<string, string | undefined>,
  term: string,
): ResultHighlight | undefined {
  const value = term.trim();
  const bare = value.replace(/^v(?=\d)/i, '');
  const version = /^\d/.test(bare) ? `v?${escapeRegExp(bare)}` : undefined;
  // Whole: not inside a longer word, version or address (a `.`, `-` or `+` continues one).
  const pattern = new RegExp(
    `(?<![\\w.+-])(${version ?? escapeRegExp(value)})(?![\\w+-]|\\.\\w)`,
    'gi',
  );
  const id = randomUUID();
  const preTag = `<${id}>`;
  const postTag = `</${id}>`;
  const marked: Record<string, string> = {};
  for (const [field, text] of Object.entries(fields)) {
    if (!text) continue;
    const replaced = text.replace(pattern, `${preTag}$1${postTag}`);
    if (replaced !== text) marked[field] = replaced;
  }
  return Object.keys(marked).length > 0
    ? { preTag, postTag, fields: marked }
    : undefined;
}
