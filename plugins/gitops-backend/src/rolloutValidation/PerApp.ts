import type { IndexedApplication } from '../applicationIndex/IndexedApplication';

/** Which app: the instance, app namespace and name its index records hold. */
export type AppRef = Pick<
  IndexedApplication,
  'instance' | 'appNamespace' | 'name'
>;

/**
 * A value per app, keyed by the strings its index records already hold (the index pools
 * them), nested instance → app namespace → name: following every app of a large index builds
 * no key string per app (an `<instance>/<namespace>/<name>` key and a rollout key per app
 * held about 380 bytes an app in strings).
 */
export class PerApp<V> {
  readonly #byInstance = new Map<string, Map<string, Map<string, V>>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(app: AppRef): V | undefined {
    return this.#byInstance
      .get(app.instance)
      ?.get(app.appNamespace)
      ?.get(app.name);
  }

  set(app: AppRef, value: V): void {
    let namespaces = this.#byInstance.get(app.instance);
    if (!namespaces) {
      namespaces = new Map();
      this.#byInstance.set(app.instance, namespaces);
    }
    let names = namespaces.get(app.appNamespace);
    if (!names) {
      names = new Map();
      namespaces.set(app.appNamespace, names);
    }
    if (!names.has(app.name)) this.#size += 1;
    names.set(app.name, value);
  }

  delete(app: AppRef): void {
    const namespaces = this.#byInstance.get(app.instance);
    const names = namespaces?.get(app.appNamespace);
    if (!names?.delete(app.name)) return;
    this.#size -= 1;
    if (names.size > 0) return;
    namespaces!.delete(app.appNamespace);
    if (namespaces!.size === 0) this.#byInstance.delete(app.instance);
  }

  /** The values of one instance's apps. */
  *valuesOf(instance: string): IterableIterator<V> {
    for (const names of this.#byInstance.get(instance)?.values() ?? [])
      yield* names.values();
  }

  /** Every value. */
  *values(): IterableIterator<V> {
    for (const instance of this.#byInstance.keys())
      yield* this.valuesOf(instance);
  }
}
