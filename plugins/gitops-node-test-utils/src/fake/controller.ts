import type {
  Application,
  ApplicationSource,
  ApplicationTree,
  ChartDetails,
  ManagedResourcesResponse,
  ResourceNode,
  RevisionMetadata,
} from '@kupe/plugin-gitops-node';
import type { ArgoCdFake } from './ArgoCdFake';
import type { LiveManifest } from './rolloutActions';

/**
 * Identifies one Application in the fake's store.
 *
 * @public
 */
export interface AppKey {
  name: string;
  namespace: string;
}

/**
 * The application-controller and repo-server half of Argo CD, behind the fake's API server
 * half. The fake validates requests, enforces RBAC and records the requested `operation`;
 * the controller carries operations out, reconciles, and answers what only it can know
 * (resource tree, live vs desired state, commit metadata). Mutations go through
 * `fake.updateApplication`, so watchers see them as MODIFIED events.
 *
 * @public
 */
export interface ArgoCdFakeController {
  /** Called once by the fake's constructor. */
  attach(fake: ArgoCdFake): void;
  /** A sync or rollback set `app.operation`; run it. */
  operationRequested(app: AppKey): void;
  /** `DELETE .../operation` set the phase to Terminating; stop the operation. */
  terminateRequested(app: AppKey): void;
  /** `GET ...?refresh=`: resolves once the app has been reconciled. */
  refresh(app: AppKey, hard: boolean): Promise<void>;
  /** An app was created, or its spec replaced by an upsert. */
  applicationSpecChanged(app: AppKey): void;
  /**
   * `DELETE` marked the app deleting; remove it with `fake.removeApplication` once its
   * resources are gone (`cascade`) or at once.
   */
  applicationDeleted(app: AppKey, cascade: boolean): void;
  /**
   * What the repo-server resolves a sync revision (branch, tag, HEAD, SHA; a chart version or
   * semver range for a Helm chart) to, for `spec.source` or the multi-source app's source at
   * `sourceIndex`. Throws an `ArgoCdApiError` when it cannot.
   */
  resolveRevision(
    app: Application,
    revision: string,
    sourceIndex?: number,
  ): Promise<string>;
  /**
   * `Chart.yaml` details of a chart version in a Helm repository; undefined when the
   * repository has no such chart version.
   */
  chartDetails(
    source: ApplicationSource,
    version: string,
  ): Promise<ChartDetails | undefined>;
  resourceTree(app: Application): ApplicationTree;
  managedResources(app: Application): ManagedResourcesResponse;
  /**
   * The live object of a resource of the app's tree, as the API server reads it from the
   * cluster (`GET .../resource`, resource actions); undefined when the cluster has none.
   */
  liveObject?(app: Application, node: ResourceNode): LiveManifest | undefined;
  /** A resource action's result, merge-patched onto the live object (spec and status). */
  patchLiveObject?(
    app: Application,
    node: ResourceNode,
    patched: LiveManifest,
  ): void;
  /** Metadata of a commit SHA (full or short); undefined when the repository lacks it. */
  revisionMetadata(
    app: Application,
    revision: string,
  ): Promise<RevisionMetadata | undefined>;
  /** Stops timers; the fake calls it from `close()`. */
  stop(): void;
}
