import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ImageChange, ImageVersion } from '@kupe/plugin-gitops-common';

/**
 * Where an environment's Application reads its manifests from Git (its `spec.source`), as a
 * promotion layout reader sees it.
 *
 * @public
 */
export interface PromotionLayoutSource {
  /** The GitOps repository. */
  repoURL: string;
  /** The source directory, repository-relative (`''` for the root). */
  path?: string;
  /** The branch (or tag) the Application tracks. */
  targetRevision?: string;
  /** `helm.valueFiles`, relative to `path`. */
  valueFiles?: string[];
}

/**
 * Read access to one tree of the GitOps repository: what an environment runs (its deployed
 * revision) or the branch head a promotion changes. Paths are repository-relative.
 *
 * @public
 */
export interface PromotionLayoutTree {
  /** A file's content, undefined when it does not exist. */
  read(file: string): Promise<string | undefined>;
  /** Files under `dir`, recursively. */
  list(dir: string): Promise<string[]>;
}

/**
 * The version an environment's files name, as a reader found it.
 *
 * @public
 */
export interface PromotionLayoutVersion {
  /** The images and tags the environment runs (name as the files spell it). */
  images: ImageVersion[];
  /** The repository files that hold the tags: a promotion into this environment edits them. */
  versionFiles: string[];
}

/**
 * Reads and writes the version in one layout of an environment's files (Kupe knows
 * kustomize `images`, Helm `image.tag` and plain manifests' container images). Readers a
 * module adds are asked, in the order they were added, before the built-in ones: the first
 * that recognises an environment's files reads its running version and writes a promoted one.
 *
 * @public
 */
export interface PromotionLayoutReader {
  /** Names the layout in previews and logs, for example `version-file`. */
  id: string;
  /** Whether the environment's files are in this layout. */
  recognizes(
    source: PromotionLayoutSource,
    tree: PromotionLayoutTree,
  ): Promise<boolean>;
  /** The version the environment's files name. */
  readVersion(
    source: PromotionLayoutSource,
    tree: PromotionLayoutTree,
  ): Promise<PromotionLayoutVersion>;
  /**
   * One version file of the next environment with the promoted tags: the new content and
   * the tags it changed (`from` is the file's old tag). Pure: it gets the file, writes nothing.
   */
  writeVersion(
    file: { path: string; content: string },
    images: ImageVersion[],
  ): { content: string; changes: ImageChange[] };
}

/**
 * Adds promotion layout readers to the gitops backend plugin, for a platform that keeps an
 * environment's version somewhere Kupe does not look (a `version.txt`, a jsonnet file).
 *
 * @public
 */
export interface GitOpsPromotionLayoutExtensionPoint {
  /** Adds a reader, asked before the built-in ones and the readers added after it. */
  addLayoutReader(reader: PromotionLayoutReader): void;
}

/**
 * The promotion layout readers of the gitops backend plugin (promotion previews, promotions
 * and reverts), for modules of the gitops plugin.
 *
 * @public
 */
export const gitOpsPromotionLayoutExtensionPoint =
  createExtensionPoint<GitOpsPromotionLayoutExtensionPoint>({
    id: 'gitops.promotion-layout',
  });
