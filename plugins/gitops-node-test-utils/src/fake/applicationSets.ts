import { randomUUID } from 'node:crypto';
import type {
  ApplicationSet,
  ApplicationSetList,
} from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode, jsonResponse } from './errors';
import { LabelSelector } from './labelSelector';
import { CONTROL_PLANE_NAMESPACE, appRbacObject } from './rbac';

/** `v1alpha1.ApplicationSet.RBACName`: the *template's* project, then the set's name. */
export function appSetRbacObject(set: ApplicationSet): string {
  return appRbacObject(
    set.spec.template.spec.project || 'default',
    set.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
    set.metadata.name ?? '',
  );
}

/**
 * What the ApplicationSet routes need from the fake about the caller.
 *
 * @public
 */
export interface AppSetAccess {
  /** May the caller `get` this RBAC object (`applicationsets, get, <project>/<set>`)? */
  canGet(object: string): boolean;
  /** `EnforceErr`: throws the 403 naming the refused object, subject and issue time. */
  enforceGet(object: string): void;
  /** Does the server serve ApplicationSets in this namespace? */
  isNamespaceEnabled(namespace: string): boolean;
}

/**
 * The ApplicationSets an {@link ArgoCdFake} serves, and the two read routes of Argo CD v3.5.1's
 * `server/applicationset` (`List`, `Get`). Sets are replaced, never mutated in place.
 *
 * @public
 */
export class FakeApplicationSets {
  readonly #sets = new Map<string, ApplicationSet>();
  readonly #now: () => string;
  #resourceVersion = 5000;

  constructor(now: () => string) {
    this.#now = now;
  }

  /** Adds or replaces a set (its uid and creation time survive a replace). */
  put(set: ApplicationSet): ApplicationSet {
    const namespace = set.metadata.namespace || CONTROL_PLANE_NAMESPACE;
    const name = set.metadata.name;
    if (!name) throw new Error('ApplicationSet needs metadata.name');
    const previous = this.#sets.get(`${namespace}/${name}`);
    this.#resourceVersion += 1;
    const stored: ApplicationSet = {
      ...set,
      metadata: {
        uid: previous?.metadata.uid ?? randomUUID(),
        creationTimestamp: previous?.metadata.creationTimestamp ?? this.#now(),
        generation: 1,
        ...set.metadata,
        namespace,
        resourceVersion: String(this.#resourceVersion),
      },
    };
    this.#sets.set(`${namespace}/${name}`, stored);
    return stored;
  }

  /** The set `namespace/name`, if stored. */
  get(
    name: string,
    namespace = CONTROL_PLANE_NAMESPACE,
  ): ApplicationSet | undefined {
    return this.#sets.get(`${namespace}/${name}`);
  }

  /** Every set, sorted by name (treat them as read-only). */
  list(): ApplicationSet[] {
    return [...this.#sets.values()].sort((a, b) =>
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  }

  /** Changes a set's status through a copy. */
  updateStatus(
    set: ApplicationSet,
    status: NonNullable<ApplicationSet['status']>,
  ): ApplicationSet | undefined {
    const current = this.get(set.metadata.name ?? '', set.metadata.namespace);
    if (!current) return undefined;
    if (JSON.stringify(current.status) === JSON.stringify(status))
      return current;
    return this.put({ ...structuredClone(current), status });
  }

  /** Deletes a set (its generated apps are the controller's business). */
  remove(name: string, namespace = CONTROL_PLANE_NAMESPACE): void {
    this.#sets.delete(`${namespace}/${name}`);
  }

  /**
   * `ApplicationSetService.List`: the sets of served namespaces that match `selector` and that
   * the caller may `get`, then narrowed to `projects` (the template's project), by name.
   */
  listRoute(url: URL, access: AppSetAccess): Response {
    const q = url.searchParams;
    const selectorText = q.get('selector');
    const selector = selectorText
      ? LabelSelector.parse(selectorText)
      : undefined;
    const namespace = q.get('appsetNamespace') || undefined;
    const projects = new Set(q.getAll('projects').filter(Boolean));
    const items = this.list().filter(
      set =>
        access.isNamespaceEnabled(
          set.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
        ) &&
        (!namespace || set.metadata.namespace === namespace) &&
        (!selector || selector.matches(set.metadata.labels)) &&
        access.canGet(appSetRbacObject(set)) &&
        (projects.size === 0 || projects.has(set.spec.template.spec.project)),
    );
    const list: ApplicationSetList = {
      metadata: { resourceVersion: String(this.#resourceVersion) },
      items,
    };
    return jsonResponse(list);
  }

  /**
   * `ApplicationSetService.Get` (`getAppSetEnforceRBAC`): unlike an app, a missing set is a
   * 404 naming it and one the caller may not read a 403 naming the RBAC object.
   */
  getRoute(name: string, url: URL, access: AppSetAccess): Response {
    const namespace =
      url.searchParams.get('appsetNamespace') || CONTROL_PLANE_NAMESPACE;
    if (!access.isNamespaceEnabled(namespace)) {
      // A plain Go error (`NamespaceNotPermittedError`): gRPC Unknown, HTTP 500.
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        `namespace '${namespace}' is not permitted`,
      );
    }
    const set = this.get(name, namespace);
    if (!set) {
      throw new ArgoCdApiError(
        GrpcCode.NotFound,
        `error getting ApplicationSet: applicationset.argoproj.io "${name}" not found`,
      );
    }
    access.enforceGet(appSetRbacObject(set));
    return jsonResponse(set);
  }
}
