import { canonicalJson } from '@kupe/plugin-gitops-common';
import type {
  Application,
  ApplicationSource,
  GitRepository,
} from '@kupe/plugin-gitops-node';
import {
  type RenderedSource,
  renderManifests,
} from '../manifests/renderManifests';

/**
 * The repo-server's manifest generation with its cache: a source at a commit renders the
 * same every time, so each (repository, commit, path, helm options, namespace) renders once.
 */
export class CachedRenderer {
  readonly #cache = new Map<string, RenderedSource>();

  constructor(
    private readonly resolveRepository: (
      repoURL: string,
    ) => GitRepository | undefined,
  ) {}

  /** Forgets every rendering (a hard refresh). */
  clear(): void {
    this.#cache.clear();
  }

  async render(
    app: Application,
    sha: string,
    source: ApplicationSource,
  ): Promise<RenderedSource> {
    const repo = this.resolveRepository(source.repoURL);
    if (!repo) throw new Error(`repository not found: ${source.repoURL}`);
    const cacheKey = `${repo.path}\0${sha}\0${source.path}\0${canonicalJson(
      source.helm ?? {},
    )}\0${app.spec.destination.namespace}`;
    let rendered = this.#cache.get(cacheKey);
    if (!rendered) {
      rendered = await renderManifests(repo, sha, source.path ?? '.', {
        namespace: app.spec.destination.namespace,
        helmValueFiles: source.helm?.valueFiles,
        releaseName: source.helm?.releaseName ?? app.metadata.name,
      });
      this.#cache.set(cacheKey, rendered);
    }
    // Callers mutate what they apply, so each gets its own copy.
    return structuredClone(rendered);
  }
}

/** `.../revisions/{sha}/metadata` of a commit: author, date, message and tags. */
export async function commitMetadata(repo: GitRepository, revision: string) {
  const [commit] = await repo
    .log({ to: revision, maxCount: 1 })
    .catch(() => []);
  if (!commit) return undefined;
  const tags = await repo.tagsAt(commit.sha);
  return {
    author: `${commit.authorName} <${commit.authorEmail}>`,
    date: `${new Date(commit.date).toISOString().slice(0, 19)}Z`,
    message: commit.message,
    tags: tags.length ? tags : undefined,
  };
}
