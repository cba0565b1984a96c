import { createHash } from 'node:crypto';
import type { PromotionPreview } from '@kupe/plugin-gitops-common';

/** Most previews kept (each a few kilobytes: the version files and their diff). */
export const PREVIEW_CACHE_ENTRIES = 500;

/**
 * Promotion previews by everything a preview is computed from: the repository, the branch's
 * head commit, and both applications as Argo CD and the index have them (refs, environments,
 * sources, deployed revisions, whether they ever ran, the next one's sync policy). Git
 * content at a commit never changes and the layout readers only read it, so an equal key is
 * an equal preview: a view that finds the branch unchanged gets it without a working tree or
 * a git command. Nothing of the caller is in a preview; which next application the caller
 * may see is (its ref is in the key), and the caller's permission checks run before every
 * lookup. Keys hold the repository, so a preview is only ever served for the same
 * applications of the same repository. Least recently used first out; copies in and out,
 * so no caller changes a kept preview.
 */
export class PreviewCache {
  readonly #entries = new Map<string, PromotionPreview>();
  readonly #maxEntries: number;

  constructor(maxEntries = PREVIEW_CACHE_ENTRIES) {
    this.#maxEntries = maxEntries;
  }

  /** The key of a preview computed from `inputs` (any JSON, in a stable order). */
  static keyOf(inputs: unknown): string {
    return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
  }

  get(key: string): PromotionPreview | undefined {
    const preview = this.#entries.get(key);
    if (!preview) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, preview);
    return structuredClone(preview);
  }

  set(key: string, preview: PromotionPreview): void {
    this.#entries.delete(key);
    this.#entries.set(key, structuredClone(preview));
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
