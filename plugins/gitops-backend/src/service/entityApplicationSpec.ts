import type { Entity } from '@backstage/catalog-model';
import {
  ARGOCD_APP_NAMESPACE_ANNOTATION,
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  ARGOCD_INSTANCE_NAME_ANNOTATION,
  ARGOCD_PROJECT_NAME_ANNOTATION,
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import {
  type LabelSelectorRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '@kupe/plugin-gitops-node';
import { InputError } from '@backstage/errors';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';

/** Which applications an entity's `argocd/*` annotations select. */
export interface EntityApplicationSpec {
  names: string[];
  selector?: LabelSelectorRequirement[];
  instance?: string;
  project?: string;
  appNamespace?: string;
}

// An entity listing hundreds of apps by name is a mistake, not a use case.
const MAX_APP_NAMES = 100;

/**
 * Specs already read, by entity object: a card view reads its entity's spec three times (the
 * route, the stream, the load), and the entity cache hands out the same object for seconds.
 * Entities are never changed in place, so an object's spec stays its spec; a malformed one is
 * not kept and throws its 400 on every read.
 */
const specs = new WeakMap<Entity, EntityApplicationSpec>();

/**
 * Reads and validates the annotations; a malformed one is a 400, never a partial match. The
 * answer is shared by every read of the same entity object: not to be changed.
 */
export function readEntityApplicationSpec(
  entity: Entity,
): EntityApplicationSpec {
  let spec = specs.get(entity);
  if (!spec) {
    spec = parseEntityApplicationSpec(entity);
    specs.set(entity, spec);
  }
  return spec;
}

function parseEntityApplicationSpec(entity: Entity): EntityApplicationSpec {
  const annotations = entity.metadata.annotations ?? {};
  const get = (key: string) => annotations[key]?.trim() || undefined;

  const names = (get(ARGOCD_APP_NAME_ANNOTATION) ?? '')
    .split(',')
    .map(n => n.trim())
    .filter(Boolean)
    .map(n =>
      requireDns1123Subdomain(`${ARGOCD_APP_NAME_ANNOTATION} entry`, n),
    );
  if (names.length > MAX_APP_NAMES) {
    throw new InputError(
      `${ARGOCD_APP_NAME_ANNOTATION} lists more than ${MAX_APP_NAMES} applications`,
    );
  }
  const selectorText = get(ARGOCD_APP_SELECTOR_ANNOTATION);
  const selector =
    selectorText === undefined ? undefined : parseLabelSelector(selectorText);
  if (selector && selector.length === 0) {
    // An empty selector matches every app; as an annotation it can only be a mistake.
    throw new InputError(`${ARGOCD_APP_SELECTOR_ANNOTATION} must not be empty`);
  }
  const instance = get(ARGOCD_INSTANCE_NAME_ANNOTATION);
  const project = get(ARGOCD_PROJECT_NAME_ANNOTATION);
  const appNamespace = get(ARGOCD_APP_NAMESPACE_ANNOTATION);
  return {
    names,
    selector,
    instance:
      instance === undefined
        ? undefined
        : requireDns1123Label(ARGOCD_INSTANCE_NAME_ANNOTATION, instance),
    project:
      project === undefined
        ? undefined
        : requireDns1123Subdomain(ARGOCD_PROJECT_NAME_ANNOTATION, project),
    appNamespace:
      appNamespace === undefined
        ? undefined
        : requireDns1123Label(ARGOCD_APP_NAMESPACE_ANNOTATION, appNamespace),
  };
}

/** Whether an indexed app is one of the entity's. */
export function matchesEntitySpec(
  spec: EntityApplicationSpec,
  app: IndexedApplication,
): boolean {
  if (spec.project && app.project !== spec.project) return false;
  if (spec.appNamespace && app.appNamespace !== spec.appNamespace) return false;
  if (spec.names.includes(app.name)) return true;
  return (
    spec.selector !== undefined &&
    matchesLabelSelector(spec.selector, app.labels)
  );
}
