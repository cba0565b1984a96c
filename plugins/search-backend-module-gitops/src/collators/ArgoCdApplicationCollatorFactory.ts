import { Readable } from 'node:stream';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  gitOpsApplicationReadPermission,
  type TenantNaming,
} from '@kupe/plugin-gitops-common';
import {
  OwningEntityIndex,
  type Application,
  type ArgoCdService,
} from '@kupe/plugin-gitops-node';
import type {
  ArgoCdApplicationDocument,
  RunningQuarantine,
} from './ArgoCdApplicationDocument';
import { toArgoCdApplicationDocument } from './toArgoCdApplicationDocument';

/** Argo CD's control-plane namespace, where apps without `metadata.namespace` live. */
const CONTROL_PLANE_NAMESPACE = 'argocd';
const appKey = (instance: string, appNamespace: string, name: string) =>
  `${instance}/${appNamespace}/${name}`;

/**
 * The `fields=` projection of the list call: only what a document is made of, so one
 * instance's answer stays small (no resources, history or operation state).
 *
 * @public
 */
export const APPLICATION_LIST_FIELDS = [
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.labels',
  'items.spec.project',
  'items.spec.destination',
  'items.spec.source',
  'items.spec.sources',
  'items.status.sync.status',
  // A single-source chart's synced version; `sync.revisions` is not on Argo CD's fields list.
  'items.status.sync.revision',
  'items.status.health',
  'items.status.summary',
];

/**
 * What an `ArgoCdApplicationCollatorFactory` is built from: the Argo CD service, the catalog, service credentials, a logger and the tenant naming patterns.
 *
 * @public
 */
export interface ArgoCdApplicationCollatorFactoryOptions {
  argoCd: ArgoCdService;
  catalog: Pick<CatalogService, 'queryEntities'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  logger: LoggerService;
  tenantNaming: TenantNaming;
  /** Catalog page size while reading GitOps-annotated entities. */
  catalogPageSize?: number;
  /**
   * The applications running an actively quarantined version (from the gitops backend): their
   * documents say so. Without it, or when it fails, documents carry no quarantine.
   */
  runningQuarantines?: () => Promise<RunningQuarantine[]>;
  /**
   * Changes each document after it is built (the module's document transformer extension
   * point); the document's `location` and `authorization` stay the collator's.
   */
  transformDocument?: (
    document: ArgoCdApplicationDocument,
    context: { app: Application; instance: string },
  ) => ArgoCdApplicationDocument;
}

/**
 * Collates every Argo CD Application of every instance into `argocd-application` documents.
 * Each document carries the app's permission resource ref, so the search backend shows it
 * only to callers allowed `gitops.application.read` on that app (the tenant rule).
 *
 * @public
 */
export class ArgoCdApplicationCollatorFactory
  implements DocumentCollatorFactory
{
  readonly type = 'argocd-application';
  readonly visibilityPermission = gitOpsApplicationReadPermission;

  readonly #options: ArgoCdApplicationCollatorFactoryOptions;

  static fromConfig(
    _config: Config,
    options: ArgoCdApplicationCollatorFactoryOptions,
  ): ArgoCdApplicationCollatorFactory {
    return new ArgoCdApplicationCollatorFactory(options);
  }

  private constructor(options: ArgoCdApplicationCollatorFactoryOptions) {
    this.#options = options;
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.#execute());
  }

  async *#execute(): AsyncGenerator<ArgoCdApplicationDocument> {
    const { argoCd, catalog, auth, logger, tenantNaming } = this.#options;
    const instances = argoCd.listInstances();
    const owners = await OwningEntityIndex.load({
      catalog,
      credentials: await auth.getOwnServiceCredentials(),
      defaultInstance: instances[0]?.name,
      logger,
      pageSize: this.#options.catalogPageSize,
    });

    const quarantined = await this.#quarantinedApps();
    for (const instance of instances) {
      let apps: Application[];
      try {
        const list = await argoCd
          .forInstance(instance.name)
          .listApplications({ fields: APPLICATION_LIST_FIELDS });
        apps = list.items ?? [];
      } catch (error) {
        // One unreachable instance must not empty the index of all the others.
        logger.warn(
          `Skipping Argo CD instance ${instance.name} in search collation: ${error}`,
        );
        continue;
      }
      logger.debug(
        `Collating ${apps.length} applications of Argo CD instance ${instance.name}`,
      );
      // Popping releases each app as soon as its document is handed on.
      apps.reverse();
      for (let app = apps.pop(); app; app = apps.pop()) {
        if (!app.metadata?.name) continue;
        const document = toArgoCdApplicationDocument({
          app,
          instance,
          naming: tenantNaming,
          owner: owners.find(instance.name, {
            name: app.metadata.name,
            labels: app.metadata.labels ?? {},
          }),
          defaultAppNamespace: CONTROL_PLANE_NAMESPACE,
          quarantines: quarantined.get(
            appKey(
              instance.name,
              app.metadata.namespace || CONTROL_PLANE_NAMESPACE,
              app.metadata.name,
            ),
          ),
        });
        const transform = this.#options.transformDocument;
        yield transform
          ? {
              ...transform(document, { app, instance: instance.name }),
              location: document.location,
              authorization: document.authorization,
            }
          : document;
      }
    }
  }

  /** The quarantined versions each app runs, by app; empty when they cannot be read. */
  async #quarantinedApps(): Promise<Map<string, RunningQuarantine[]>> {
    const byApp = new Map<string, RunningQuarantine[]>();
    if (!this.#options.runningQuarantines) return byApp;
    try {
      for (const q of await this.#options.runningQuarantines()) {
        const key = appKey(q.instance, q.appNamespace, q.name);
        byApp.set(key, [...(byApp.get(key) ?? []), q]);
      }
    } catch (error) {
      // The documents stay useful without it; the next collation marks them.
      this.#options.logger.warn(
        `Quarantined releases not read for search collation: ${error}`,
      );
    }
    return byApp;
  }
}
