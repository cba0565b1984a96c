import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { Application } from '../argocd/types';

/**
 * The fields of an `argocd-application` search document that a transformer sees and
 * returns. `location` and `authorization` are not among them: the collator keeps its own, so
 * a transformer can neither move a document nor change who may find it (the tenant rule).
 *
 * @public
 */
export interface ArgoCdApplicationDocumentFields {
  title: string;
  text: string;
  instance: string;
  appNamespace: string;
  project: string;
  tenant: string;
  environment: string;
  cluster: string;
  namespace: string;
  repoURL: string;
  syncStatus: string;
  healthStatus: string;
  entityRef: string;
  /** Extra flat fields a transformer adds (for example a cost centre to filter by). */
  [field: string]: unknown;
}

/**
 * Changes one document after the collator built it, for example to add words to `text` or
 * a field from a label.
 *
 * @public
 */
export type ArgoCdApplicationDocumentTransformer = (
  document: ArgoCdApplicationDocumentFields,
  context: { app: Application; instance: string },
) => ArgoCdApplicationDocumentFields;

/**
 * Customises the `argocd-application` search documents, like the catalog collator's entity
 * transformer.
 *
 * @public
 */
export interface GitOpsSearchDocumentTransformerExtensionPoint {
  /** Installs the transformer; one module may set it. */
  setDocumentTransformer(
    transformer: ArgoCdApplicationDocumentTransformer,
  ): void;
}

/**
 * The document transformer of the Kupe GitOps search collator, for modules of the search
 * plugin.
 *
 * @public
 */
export const gitOpsSearchDocumentTransformerExtensionPoint =
  createExtensionPoint<GitOpsSearchDocumentTransformerExtensionPoint>({
    id: 'search.gitops.document-transformer',
  });
