import type { IndexableDocument } from '@backstage/plugin-search-common';

/**
 * One Argo CD Application as a search document (type `argocd-application`). The flat string
 * fields let a search UI filter by tenant, environment, cluster or status; `''` stands for an
 * unknown value so every document has the same fields.
 *
 * @public
 */
export interface ArgoCdApplicationDocument extends IndexableDocument {
  /** Argo CD instance (`gitops.instances[].name`). */
  instance: string;
  /** Namespace of the Application resource. */
  appNamespace: string;
  project: string;
  tenant: string;
  environment: string;
  /** Destination cluster name, or its server URL when the app targets a server. */
  cluster: string;
  /** Destination namespace. */
  namespace: string;
  repoURL: string;
  syncStatus: string;
  healthStatus: string;
  /** Ref of the catalog entity the app belongs to, when one was found. */
  entityRef: string;
  /**
   * What the app runs and where, as keys the search engines match exactly (images, tags, chart
   * versions, cluster): see `exactMatch/exactMatchKeys.ts`.
   */
  exactMatchKeys: string[];
  /** The quarantined versions the app runs (comma-separated; `''` when none). */
  quarantinedVersions: string;
}

/**
 * An application that runs a quarantined version, as the gitops backend reports it
 * (`GET /api/gitops/quarantines/running`).
 *
 * @public
 */
export interface RunningQuarantine {
  instance: string;
  appNamespace: string;
  name: string;
  version: string;
  reason: string;
  entityRef: string;
}
