import type { Application } from '@kupe/plugin-gitops-node';

/**
 * The document field holding an app's exact-match keys: one per image reference (and its
 * shorter spellings), image tag, chart version, destination cluster name and server URL.
 */
export const EXACT_MATCH_FIELD = 'exactMatchKeys';

// An image or chart version as people type it: 1.3.0, v1.3.0, 1.3.0-rc.1, 2.1.
const VERSION = /^v?\d+(\.\d+)+([-+][0-9a-z.+-]*)?$/i;
// A reference with a tag or a registry path (web:1.4.2, ghcr.io/acme/web), not a URL.
const IMAGE =
  /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*(:[\w][\w.-]*)?(@sha256:[0-9a-f]+)?$/i;

/**
 * The key both search engines match exactly: the value, without case and a version's leading
 * `v`, hex-encoded and ended by a digit. Lunr's indexer splits text at every character that is
 * not a letter or a digit (so `1.3.0` became `1`, `3`, `0`) and stems words (so `webs` would find
 * `web`); a hex token ending in a digit passes its tokenizer, trimmer and stemmer unchanged, and
 * PostgreSQL matches it by JSON containment of the document.
 */
export function exactMatchKey(value: string): string {
  let normalized = value.trim().toLowerCase();
  if (VERSION.test(normalized)) normalized = normalized.replace(/^v/, '');
  return `${Buffer.from(normalized, 'utf8').toString('hex')}0`;
}

/** The spellings of an image reference someone searching for it types. */
function imageSpellings(image: string): string[] {
  const [reference] = image.split('@');
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  const tagged = colon > slash;
  const repository = tagged ? reference.slice(0, colon) : reference;
  const tag = tagged ? reference.slice(colon + 1) : '';
  return [
    image,
    reference,
    // a bare name (web, nginx) is a word of many documents, not an image reference
    repository.includes('/') ? repository : '',
    // web:1.4.2
    tagged ? reference.slice(slash + 1) : '',
    tag,
  ].filter(Boolean);
}

/**
 * Everything an app runs or runs on, as exact-match keys: its images (`ghcr.io/acme/web:1.4.2`,
 * `ghcr.io/acme/web`, `web:1.4.2`, `1.4.2`), the chart version of each Helm-repository
 * source, and its destination cluster's name and server.
 */
export function exactMatchKeysOf(app: Application): string[] {
  const values: string[] = [];
  for (const image of app.status?.summary?.images ?? []) {
    values.push(...imageSpellings(image));
  }
  const sources =
    app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  for (const source of sources) {
    // A chart's targetRevision is the chart version (a Git source's is a branch or commit).
    if (source.chart && source.targetRevision) {
      values.push(
        source.targetRevision,
        `${source.chart}:${source.targetRevision}`,
      );
    }
  }
  const destination = app.spec?.destination;
  if (destination?.name) values.push(destination.name);
  if (destination?.server) values.push(destination.server);
  return [...new Set(values.map(exactMatchKey))];
}

/**
 * Whether a search term names a version or an image. Such a term finds exactly the apps that
 * run it, and nothing when none does; any other single word (a cluster name) finds the apps
 * that run on it when some do, and is otherwise an ordinary search.
 */
export function isVersionOrImage(term: string): boolean {
  const value = term.trim();
  if (VERSION.test(value)) return true;
  return IMAGE.test(value) && /[:/]/.test(value);
}
