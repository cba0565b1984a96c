import { ConflictError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import { matchesEntitySpec } from '../service/entityApplicationSpec';
import type { QuarantineStore, StoredQuarantine } from './QuarantineStore';
import { type ReleaseVersion, releaseHolds } from './releaseVersion';

/** Whether a quarantine covers an application: its entity's selection picks the app. */
export function covers(
  quarantine: StoredQuarantine,
  app: IndexedApplication,
): boolean {
  if (app.tenant !== quarantine.tenant) return false;
  const { selection } = quarantine;
  if (selection.instance && selection.instance !== app.instance) return false;
  return matchesEntitySpec(selection, app);
}

/** "2.0.0-broken of acme-api is quarantined (by user:default/alice, 2026-12-04): crashes on start". */
export function describeQuarantine(quarantine: StoredQuarantine): string {
  const entity = parseEntityRef(quarantine.entityRef).name;
  const when = new Date(quarantine.createdAt).toISOString().slice(0, 10);
  return `${quarantine.version} of ${entity} is quarantined (by ${quarantine.createdBy}, ${when}): ${quarantine.reason}`;
}

/**
 * The one check every path that deploys a version goes through (promotion preview and pull
 * request, Argo CD rollback, rollback by revert): the tenant's active quarantines that cover
 * the application, matched against what the path would deploy.
 */
export class ReleaseQuarantine {
  readonly #store: QuarantineStore;

  constructor(store: QuarantineStore) {
    this.#store = store;
  }

  /** The active quarantines covering the app. */
  async of(app: IndexedApplication): Promise<StoredQuarantine[]> {
    if (!app.tenant) return [];
    const active = await this.#store.listByTenant(app.tenant);
    return active.filter(q => covers(q, app));
  }

  /** The first active quarantine covering `app` whose version `release` holds. */
  async find(
    app: IndexedApplication,
    release: ReleaseVersion,
  ): Promise<StoredQuarantine | undefined> {
    return (await this.of(app)).find(q => releaseHolds(release, q.version));
  }

  /** Throws 409 with the quarantine's reason when `release` holds a quarantined version. */
  async refuse(
    app: IndexedApplication,
    release: ReleaseVersion,
    action: string,
  ): Promise<void> {
    const quarantine = await this.find(app, release);
    if (quarantine)
      throw new ConflictError(
        `${action} refused: ${describeQuarantine(quarantine)}`,
      );
  }
}
