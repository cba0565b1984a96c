import { resolve } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import type { IndexedApplication } from '../../applicationIndex/IndexedApplication';
import type {
  IndexChange,
  InstanceFreshness,
} from '../../applicationIndex/InstanceIndex';
import type { ValidationIndex } from '../ValidationIndex';

// KUPE_TEST_POSTGRES_URL adds PostgreSQL to the engines every database test runs on.
if (process.env.KUPE_TEST_POSTGRES_URL) {
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES16_CONNECTION_STRING ??=
    process.env.KUPE_TEST_POSTGRES_URL;
}

export function createTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  if (process.env.KUPE_TEST_POSTGRES_URL) ids.push('POSTGRES_16');
  return TestDatabases.create({ ids });
}

export async function migrated(
  databases: TestDatabases,
  id: TestDatabaseId,
): Promise<Knex> {
  const knex = await databases.init(id);
  await knex.migrate.latest({
    directory: resolve(__dirname, '../../../migrations'),
  });
  return knex;
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public t = Date.parse('2026-11-26T12:00:00Z')) {}
  now = () => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
  iso(offsetMs = 0): string {
    return new Date(this.t + offsetMs).toISOString();
  }
}

/** An index record as the watch stream would leave it. */
export function indexed(
  overrides: Partial<IndexedApplication> = {},
): IndexedApplication {
  return {
    instance: 'main',
    name: 'acme-web-staging',
    appNamespace: 'argocd',
    project: 'tenant-acme',
    tenant: 'acme',
    environment: 'staging',
    labels: { 'backstage.io/kubernetes-id': 'acme-web' },
    destination: { cluster: 'acme-staging', namespace: 'acme-web' },
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    syncPolicy: 'auto',
    images: [],
    ...overrides,
  };
}

/** An index that the test changes record by record, like watch events would. */
export class ScriptedIndex implements ValidationIndex {
  readonly #apps = new Map<string, Map<string, IndexedApplication>>();
  readonly #listeners = new Set<
    (instance: string, change?: IndexChange) => void
  >();
  freshnessOf: Record<string, InstanceFreshness> = {};

  constructor(instances: string[] = ['main']) {
    for (const i of instances) this.#apps.set(i, new Map());
  }

  instances(): string[] {
    return [...this.#apps.keys()];
  }

  instance(name: string) {
    const apps = this.#apps.get(name)!;
    return {
      candidates: () => apps.values(),
      get: (appNamespace: string, appName: string) =>
        apps.get(`${appNamespace}/${appName}`),
      freshness: (): InstanceFreshness =>
        this.freshnessOf[name] ?? { loaded: true, stale: false, ageMs: 0 },
    };
  }

  subscribe(
    listener: (instance: string, change?: IndexChange) => void,
  ): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the app's record with a new object (the index never mutates records). */
  set(app: IndexedApplication): void {
    const apps = this.#apps.get(app.instance)!;
    const key = `${app.appNamespace}/${app.name}`;
    const previous = apps.get(key);
    const record = { ...app };
    apps.set(key, record);
    const change = { apps: previous ? [previous, record] : [record] };
    for (const l of this.#listeners) l(app.instance, change);
  }

  delete(app: IndexedApplication): void {
    const apps = this.#apps.get(app.instance)!;
    const key = `${app.appNamespace}/${app.name}`;
    const previous = apps.get(key);
    apps.delete(key);
    if (!previous) return;
    for (const l of this.#listeners) l(app.instance, { apps: [previous] });
  }

  /** Tells listeners that anything may have changed (a listing, freshness). */
  touchAll(instance = 'main'): void {
    for (const l of this.#listeners) l(instance);
  }
}

export const silentLogger = () => mockServices.logger.mock();
