import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  ARGOCD_INSTANCE_NAME_ANNOTATION,
  KUBERNETES_ID_LABEL,
} from '@kupe/plugin-gitops-common';
import {
  matchesLabelSelector,
  parseLabelSelector,
  type LabelSelectorRequirement,
} from '../labels/labelSelector';

/**
 * The catalog entity that owns an application (search links, notifications).
 *
 * @public
 */
export interface OwningEntity {
  ref: string;
  /** Path of the entity's GitOps tab in the portal. */
  location: string;
}

interface SelectorEntry {
  instance: string;
  requirements: LabelSelectorRequirement[];
  entity: OwningEntity;
}

// Only what the lookup needs: entities can be large, and the index lives for a whole collation.
const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

/**
 * Which catalog entity owns an Argo CD Application, read once per collation. An entity names
 * its apps by `argocd/app-name` (exact names) or `argocd/app-selector` on the instance of its
 * `argocd/instance-name` (default: the first instance); an app names its entity by the
 * `backstage.io/kubernetes-id` label, matched against the entity annotation of that name.
 * Exact names win over the label, the label over selectors.
 *
 * @public
 */
export class OwningEntityIndex {
  readonly #byAppName = new Map<string, OwningEntity>();
  readonly #byKubernetesId = new Map<string, OwningEntity>();
  readonly #selectors: SelectorEntry[] = [];

  /** Reads every GitOps-annotated entity, page by page, with the given (service) credentials. */
  static async load(options: {
    catalog: Pick<CatalogService, 'queryEntities'>;
    credentials: BackstageCredentials;
    defaultInstance: string | undefined;
    logger: LoggerService;
    pageSize?: number;
  }): Promise<OwningEntityIndex> {
    const index = new OwningEntityIndex(options.defaultInstance);
    const limit = options.pageSize ?? 500;
    let cursor: string | undefined;
    do {
      const response = await options.catalog.queryEntities(
        cursor
          ? { cursor, limit, fields: ENTITY_FIELDS }
          : {
              filter: [
                ARGOCD_APP_NAME_ANNOTATION,
                ARGOCD_APP_SELECTOR_ANNOTATION,
                KUBERNETES_ID_LABEL,
              ].map(a => ({
                [`metadata.annotations.${a}`]: CATALOG_FILTER_EXISTS,
              })),
              fields: ENTITY_FIELDS,
              limit,
              totalItems: 'exclude',
            },
        { credentials: options.credentials },
      );
      for (const entity of response.items) index.#add(entity, options.logger);
      cursor = response.pageInfo.nextCursor;
    } while (cursor);
    return index;
  }

  private constructor(private readonly defaultInstance: string | undefined) {}

  /** The owning entity of an app, or undefined when no entity claims it. */
  find(
    instance: string,
    app: { name: string; labels: Readonly<Record<string, string>> },
  ): OwningEntity | undefined {
    const byName = this.#byAppName.get(`${instance}/${app.name}`);
    if (byName) return byName;
    const kubernetesId = app.labels[KUBERNETES_ID_LABEL];
    const byLabel = kubernetesId
      ? this.#byKubernetesId.get(kubernetesId)
      : undefined;
    if (byLabel) return byLabel;
    return this.#selectors.find(
      s =>
        s.instance === instance &&
        matchesLabelSelector(s.requirements, app.labels),
    )?.entity;
  }

  get size(): number {
    return (
      this.#byAppName.size + this.#byKubernetesId.size + this.#selectors.length
    );
  }

  #add(entity: Entity, logger: LoggerService): void {
    const annotations = entity.metadata.annotations ?? {};
    const owner = toOwningEntity(entity);
    const instance =
      annotations[ARGOCD_INSTANCE_NAME_ANNOTATION]?.trim() ||
      this.defaultInstance;

    const kubernetesId = annotations[KUBERNETES_ID_LABEL]?.trim();
    // First come wins so a later duplicate cannot silently re-point existing links.
    if (kubernetesId && !this.#byKubernetesId.has(kubernetesId)) {
      this.#byKubernetesId.set(kubernetesId, owner);
    }
    if (!instance) return;

    for (const name of (annotations[ARGOCD_APP_NAME_ANNOTATION] ?? '').split(
      ',',
    )) {
      const key = `${instance}/${name.trim()}`;
      if (name.trim() && !this.#byAppName.has(key))
        this.#byAppName.set(key, owner);
    }

    const selector = annotations[ARGOCD_APP_SELECTOR_ANNOTATION]?.trim();
    if (selector) {
      try {
        const requirements = parseLabelSelector(selector);
        // An empty selector would claim every app of the instance.
        if (requirements.length > 0) {
          this.#selectors.push({ instance, requirements, entity: owner });
        }
      } catch (error) {
        logger.warn(
          `Ignoring invalid ${ARGOCD_APP_SELECTOR_ANNOTATION} of ${owner.ref}: ${error}`,
        );
      }
    }
  }
}

function toOwningEntity(entity: Entity): OwningEntity {
  const namespace = entity.metadata.namespace || 'default';
  const path = [namespace, entity.kind, entity.metadata.name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');
  return {
    ref: stringifyEntityRef(entity),
    location: `/catalog/${path}/gitops`,
  };
}
