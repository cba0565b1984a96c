import type {
  IndexableResultSet,
  QueryRequestOptions,
  QueryTranslator,
  SearchEngine,
  SearchQuery,
} from '@backstage/plugin-search-common';
import type { Writable } from 'node:stream';
import {
  EXACT_MATCH_FIELD,
  exactMatchKey,
  isVersionOrImage,
} from './exactMatchKeys';
import { markExactTerm } from './markExactTerm';

/**
 * The exact hits with the term marked where it stands whole in each one's title and text, as
 * the search page shows the match (the engines' own marks split a version into digits).
 */
function withExactMarks(
  found: IndexableResultSet,
  term: string,
): IndexableResultSet {
  return {
    ...found,
    results: found.results.map(result => ({
      ...result,
      highlight: markExactTerm(
        { title: result.document.title, text: result.document.text },
        term,
      ),
    })),
  };
}

/** The document type whose exact-match keys this engine consults. */
export const ARGOCD_APPLICATION_TYPE = 'argocd-application';

/**
 * Search that finds what runs: a one-word term naming a version, an image or a cluster answers
 * exactly the Argo CD Applications running it (or running on it), and only them. Both of
 * Backstage's engines take a version apart instead: Lunr splits `1.3.0` into digits and
 * fuzzy-matches them (edit distance 2, so `1.4.2` matches), PostgreSQL matches any prefix.
 *
 * Wraps whichever engine the search plugin uses and turns such a term into a filter on the
 * documents' exact-match keys, which both engines apply exactly (Lunr as a required term,
 * PostgreSQL as JSON containment). Every other query, and every query for other document types
 * only, goes to the engine unchanged. Permission filtering stays outside: the search plugin
 * wraps this engine in its authorizing engine as it would the original.
 */
export class ExactMatchSearchEngine implements SearchEngine {
  readonly #engine: SearchEngine;

  constructor(engine: SearchEngine) {
    this.#engine = engine;
  }

  setTranslator(translator: QueryTranslator): void {
    this.#engine.setTranslator(translator);
  }

  getIndexer(type: string): Promise<Writable> {
    return this.#engine.getIndexer(type);
  }

  async query(
    query: SearchQuery,
    options?: QueryRequestOptions,
  ): Promise<IndexableResultSet> {
    const term = query.term.trim();
    const appliesToApps =
      !query.types?.length || query.types.includes(ARGOCD_APPLICATION_TYPE);
    if (!appliesToApps || !term || /\s/.test(term)) {
      return this.#engine.query(query, options);
    }
    const exact: SearchQuery = {
      ...query,
      // The key filter decides the results: without the term, since the engines' own matching
      // of it can only drop exact hits (PostgreSQL's parser reads `ghcr.io/acme/web` in
      // `ghcr.io/acme/web:1.4.2` as other words).
      term: '',
      types: [ARGOCD_APPLICATION_TYPE],
      filters: { ...query.filters, [EXACT_MATCH_FIELD]: exactMatchKey(term) },
    };
    let found: IndexableResultSet;
    try {
      found = await this.#engine.query(exact, options);
    } catch (error) {
      // Before the first collation of the apps (Lunr refuses a type it has no index of),
      // the search stays what it was for the other types.
      if (error instanceof Error && error.name === 'MissingIndexError') {
        return this.#engine.query(query, options);
      }
      throw error;
    }
    if (found.results.length > 0) return withExactMarks(found, term);
    if (isVersionOrImage(term)) return found;
    // A page past the last exact hit is still an exact search, not a fuzzy one.
    if (query.pageCursor) {
      const first = await this.#engine.query(
        { ...exact, pageCursor: undefined, pageLimit: 1 },
        options,
      );
      if (first.results.length > 0) return found;
    }
    return this.#engine.query(query, options);
  }
}
