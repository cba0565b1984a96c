import { resolve } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import type { IndexedApplication } from '../../applicationIndex/IndexedApplication';
import type { InstanceFreshness } from '../../applicationIndex/InstanceIndex';
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
  readonly #listeners = new Set<(instance: string) => void>();
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
      freshness: (): InstanceFreshness =>
        this.freshnessOf[name] ?? { loaded: true, stale: false, ageMs: 0 },
    };
  }

  subscribe(listener: (instance: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the app's record with a new object (the index never mutates records). */
  set(app: IndexedApplication): void {
    this.#apps.get(app.instance)!.set(`${app.appNamespace}/${app.name}`, {
      ...app,
    });
    for (const l of this.#listeners) l(app.instance);
  }

  delete(app: IndexedApplication): void {
    this.#apps.get(app.instance)!.delete(`${app.appNamespace}/${app.name}`);
    for (const l of this.#listeners) l(app.instance);
  }
}

export const silentLogger = () => mockServices.logger.mock();
