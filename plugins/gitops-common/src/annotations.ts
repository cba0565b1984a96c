/**
 * Annotations and labels that tie catalog entities, tenants and Argo CD Applications together.
 *
 * The `argocd/*` annotations are the ones Roadie's and the community Argo CD plugins read, so an
 * adopter's existing catalog works unchanged.
 */

/**
 * Entity annotation naming the tenant a Group (and so its members) or an entity belongs to.
 *
 * @public
 */
export const TENANT_ANNOTATION = 'kupe.cloud/tenant';

/**
 * Exact Argo CD application name(s) of an entity; several are comma separated.
 *
 * @public
 */
export const ARGOCD_APP_NAME_ANNOTATION = 'argocd/app-name';
/**
 * Label selector choosing an entity's Argo CD applications.
 *
 * @public
 */
export const ARGOCD_APP_SELECTOR_ANNOTATION = 'argocd/app-selector';
/**
 * Argo CD instance (one of `gitops.instances[].name`) the entity's apps live on.
 *
 * @public
 */
export const ARGOCD_INSTANCE_NAME_ANNOTATION = 'argocd/instance-name';
/**
 * Argo CD project of the entity's apps (must be a project of the entity's tenant).
 *
 * @public
 */
export const ARGOCD_PROJECT_NAME_ANNOTATION = 'argocd/project-name';
/**
 * Namespace the entity's Application resources live in (apps in any namespace).
 *
 * @public
 */
export const ARGOCD_APP_NAMESPACE_ANNOTATION = 'argocd/app-namespace';

/**
 * Application label carrying the tenant.
 *
 * @public
 */
export const TENANT_LABEL = 'kupe.cloud/tenant';
/**
 * Application label carrying the environment (dev, staging, production, ...).
 *
 * @public
 */
export const ENVIRONMENT_LABEL = 'kupe.cloud/environment';
/**
 * Application label linking to the catalog entity, shared with the Kubernetes plugin.
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** All annotations that make an entity show GitOps state. */
export const GITOPS_ENTITY_ANNOTATIONS = [
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
] as const;

/**
 * Minimal entity shape the helpers here read.
 *
 * @public
 */
export interface AnnotatedEntity {
  /** The entity's metadata; only its annotations are read. */
  metadata: { annotations?: Record<string, string> };
}

/**
 * Whether an entity declares Argo CD applications (so the card and tab apply to it).
 *
 * @public
 */
export function isGitOpsAvailable(entity: AnnotatedEntity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return GITOPS_ENTITY_ANNOTATIONS.some(a => Boolean(annotations[a]?.trim()));
}
