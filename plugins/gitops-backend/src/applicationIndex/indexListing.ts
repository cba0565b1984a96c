import type { Application } from '@kupe/plugin-gitops-node';
import type { IndexedApplication } from './IndexedApplication';
import { LIVENESS_FIELDS, livenessPrint } from './livenessCheck';
import { DEFAULT_APP_NAMESPACE, keyOf } from './instanceIndexTypes';

/**
 * What the index's listings ask Argo CD for (`fields=`): the List whitelist's paths
 * (argo-cd v3.5.1 `pkg/apiclient/application/forwarder_overwrite.go`) that records are built
 * from. Argo CD still builds, copies and sorts every app server-side; the projection only
 * shrinks what crosses the wire and what the backend parses (about 1.2 KB of a realistic
 * 22 KB app).
 *
 * Left out on purpose: `status.resources` and `status.operationState.operation.sync` (which
 * Argo CD answers with the sync result, one entry per resource) would double or triple the
 * payload for three small record fields. Not on the whitelist at all: `status.history`,
 * `status.sync.revisions`, `status.operationState.message`, owner references. The record
 * fields built from those are carried over from the app's previous record ({@link carryOver})
 * and arrive with the app's next watch event ({@link INDEX_WATCH_FIELDS}); after a start,
 * when there is no previous record, the watch is opened without a resourceVersion so that
 * Argo CD sends every app once as ADDED, with them (see `InstanceIndex`).
 */
export const INDEX_LIST_FIELDS: readonly string[] = [
  ...LIVENESS_FIELDS,
  // For the portal's auto-sync pause record (kupe.cloud/auto-sync-paused-*).
  'items.metadata.annotations',
  'items.status.summary',
];

/**
 * What the index's watch asks Argo CD for. The stream's `fields=` is not the List's
 * whitelist but argoproj/pkg's generic projection (`grpc/http/forwarders.go`): any path,
 * rooted at the message (`result.application…`), array elements projected one by one. It
 * carries everything a record and the liveness digest are built from, history included,
 * and drops the rest: the sync result's per-resource entries, managed fields, conditions,
 * each resource's version and sync status, `reconciledAt`. The forwarder also drops a
 * message whose projected bytes equal the last one sent for the app, so a reconcile that
 * changes only `reconciledAt` (every app, every 3 minutes) never reaches the portal.
 */
export const INDEX_WATCH_FIELDS: readonly string[] = [
  'type',
  'application.metadata.name',
  'application.metadata.namespace',
  'application.metadata.labels',
  'application.metadata.annotations',
  'application.metadata.ownerReferences',
  'application.spec.project',
  'application.spec.destination',
  'application.spec.source',
  'application.spec.sources',
  'application.spec.syncPolicy',
  'application.status.sync.status',
  'application.status.sync.revision',
  'application.status.sync.revisions',
  'application.status.health',
  'application.status.summary',
  'application.status.history.revision',
  'application.status.history.revisions',
  'application.status.history.deployedAt',
  'application.status.operationState.phase',
  'application.status.operationState.message',
  'application.status.operationState.startedAt',
  'application.status.operationState.finishedAt',
  'application.status.operationState.operation.sync.dryRun',
  'application.status.operationState.operation.sync.revision',
  'application.status.operationState.syncResult.revision',
  'application.status.operationState.syncResult.revisions',
  'application.status.resources.kind',
  'application.status.resources.name',
  'application.status.resources.health',
].map(field => `result.${field}`);

/**
 * What the second watch, the one that reads Argo CD's re-send of every app after a start,
 * asks for: the live watch's fields but the resources and the summary, about a third of a
 * realistic app's event (1.8 of 4.9 KB), for Argo CD to write and the backend to parse, 30,000
 * times. The summary (images) came with the listing ({@link withListed}); the resources
 * matter only to a Degraded app's list of Degraded resources, which, like every record field,
 * comes with the app's first event on the live watch: Argo CD's forwarder compares an app's
 * projected bytes only with what the same stream sent before, so each app's first reconcile
 * after a start (at most one reconcile period later) reaches it whole.
 */
export const INDEX_RESEND_FIELDS: readonly string[] = INDEX_WATCH_FIELDS.filter(
  field =>
    !field.startsWith('result.application.status.resources.') &&
    field !== 'result.application.status.summary',
);

/** A re-sent app's record, with what {@link INDEX_RESEND_FIELDS} leaves out from the listed one. */
export function withListed(
  record: IndexedApplication,
  listed: IndexedApplication,
): IndexedApplication {
  return { ...record, images: listed.images };
}

function sameOperation(a: IndexedApplication, b: IndexedApplication): boolean {
  return (
    a.operation?.phase === b.operation?.phase &&
    a.operation?.startedAt === b.operation?.startedAt &&
    a.operation?.finishedAt === b.operation?.finishedAt
  );
}

/**
 * Fills the record fields a `fields=` listing cannot carry from the app's previous record,
 * where the listing shows that what they depend on has not changed: what the last successful
 * sync deployed, of each source too (history moves only with an operation), the operation's message and result
 * revision (same operation), the multi-source revisions (same sync state), the Degraded
 * resources (still Degraded with the same message). A field the listing did carry wins.
 * With no previous record (or one still waiting for them), the record is `historyPending`.
 */
export function carryOver(
  record: IndexedApplication,
  previous: IndexedApplication | undefined,
): IndexedApplication {
  if (!previous) return { ...record, historyPending: true };
  const out = { ...record };
  const operationSame = sameOperation(record, previous);
  if (out.deployedRevision === undefined && operationSame)
    out.deployedRevision = previous.deployedRevision;
  if (out.deployedRevisions === undefined && operationSame)
    out.deployedRevisions = previous.deployedRevisions;
  if (out.lastSyncedAt === undefined && operationSame)
    out.lastSyncedAt = previous.lastSyncedAt;
  if (out.operationRevision === undefined && operationSame)
    out.operationRevision = previous.operationRevision;
  if (
    out.operation &&
    out.operation.message === undefined &&
    operationSame &&
    previous.operation?.message !== undefined
  )
    out.operation = { ...out.operation, message: previous.operation.message };
  if (
    out.revisions === undefined &&
    previous.revision === out.revision &&
    previous.syncStatus === out.syncStatus
  )
    out.revisions = previous.revisions;
  if (
    out.degradedResources?.length === 0 &&
    previous.healthStatus === 'Degraded' &&
    previous.healthMessage === out.healthMessage
  )
    out.degradedResources = previous.degradedResources;
  // Owner references are not on the listing's whitelist; they change with watch events only.
  if (out.parent === undefined) out.parent = previous.parent;
  if (previous.historyPending) out.historyPending = true;
  return out;
}

/** Same portal-visible record (fields are built in a fixed order, so JSON compares them). */
export function sameRecord(
  a: IndexedApplication,
  b: IndexedApplication,
): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Builds the index's maps from a listing as its apps arrive, one at a time, so neither the
 * listing's body nor its parsed objects are ever whole in memory beside the records: each
 * app is turned into its record and dropped. Only the first `limit` apps are kept; `listed`
 * counts them all.
 */
export class ListingBuilder {
  readonly apps = new Map<string, IndexedApplication>();
  /** Liveness digest of each app, by key. */
  readonly prints = new Map<string, number>();
  listed = 0;
  readonly #changed: IndexedApplication[] = [];
  readonly #current: ReadonlyMap<string, IndexedApplication>;
  readonly #limit: number;
  readonly #toRecord: (
    app: Application,
    previous: IndexedApplication | undefined,
  ) => IndexedApplication;

  constructor(
    current: ReadonlyMap<string, IndexedApplication>,
    limit: number,
    toRecord: (
      app: Application,
      previous: IndexedApplication | undefined,
    ) => IndexedApplication,
  ) {
    this.#current = current;
    this.#limit = limit;
    this.#toRecord = toRecord;
  }

  add(app: Application): void {
    this.listed += 1;
    if (this.listed > this.#limit || !app?.metadata?.name) return;
    const previous = this.#current.get(
      keyOf(app.metadata.namespace || DEFAULT_APP_NAMESPACE, app.metadata.name),
    );
    const built = carryOver(this.#toRecord(app, previous), previous);
    const same = previous !== undefined && sameRecord(previous, built);
    // An unchanged app keeps its record: the one just built dies young, instead of every
    // relist (every 10 minutes) holding a second copy of the index until the swap and
    // promoting it into the old generation.
    const record = same ? previous : built;
    // Keyed by the strings the record holds (its name, the previous record's when
    // unchanged), so the maps add no string per app.
    const key = keyOf(record.appNamespace, record.name);
    this.apps.set(key, record);
    this.prints.set(key, livenessPrint(app));
    if (!previous) this.#changed.push(record);
    else if (!same) this.#changed.push(previous, record);
  }

  /**
   * Records of apps added, changed (before and after) or gone since `current`, but for the
   * keys `told` (apps whose change listeners already heard of, from an event).
   */
  changed(told?: ReadonlySet<string>): IndexedApplication[] {
    const changed = told
      ? this.#changed.filter(
          record => !told.has(keyOf(record.appNamespace, record.name)),
        )
      : [...this.#changed];
    for (const [key, previous] of this.#current) {
      if (!this.apps.has(key) && !told?.has(key)) changed.push(previous);
    }
    return changed;
  }
}
