import type { Application } from '@kupe/plugin-gitops-node';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { VisibleApplication } from './ApplicationAccess';

export interface SharedApplicationReadsOptions {
  /**
   * How long a read serves the requests that follow it (default 2 s: a page opening); 0 reads
   * Argo CD for every request.
   */
  ttlMs?: number;
  /** Upper bound of kept reads (default 1,000). */
  maxEntries?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 2_000;
const DEFAULT_MAX_ENTRIES = 1_000;

/** An app's read from Argo CD, and the index's records of the app it agrees with. */
interface Entry {
  /**
   * The record when it was asked, and the one it gave the index (its own news, not a change
   * since).
   */
  records: Set<IndexedApplication>;
  /** The client (and so the token) it was read with. */
  client: VisibleApplication['client'];
  expiresAt: number;
  value: Promise<{ application: Application; record: IndexedApplication }>;
}

const keyOf = (
  app: Pick<IndexedApplication, 'instance' | 'appNamespace' | 'name'>,
) => `${app.instance}\u0000${app.appNamespace}\u0000${app.name}`;

/**
 * Reads of one application from Argo CD that the requests of a page opening share. The GitOps
 * tab asks at once for each app's detail and its promotion preview; both read the app, and a
 * preview also the next environment's app, which that app's detail reads too: a tab of three
 * environments read the apps 8 times, now 3.
 *
 * A read serves the requests that come within `ttlMs` of it, concurrent ones included, only
 * while the index holds the same record of the app (the index replaces a record on every
 * change it hears of, so a page reloading on a change reads Argo CD again; the record the read
 * itself gave the index counts as the same) and for the same client. A write through the
 * portal drops the app's read ({@link forget}); a change nobody here made shows at the latest
 * `ttlMs` later. Failures are not kept. Only the Application is shared: what depends on other
 * objects or on the hour (sync windows) is read for each request. Callers pass the gate first
 * (a read takes a {@link VisibleApplication}); what they get is shared, so they must not change
 * it. Writes and the checks before them read Argo CD themselves.
 */
export class SharedApplicationReads {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** By app, in the order they were read, so the oldest go first. */
  readonly #entries = new Map<string, Entry>();
  #sweep: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SharedApplicationReadsOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The Application as Argo CD has it, through the app's scope, and the index's record of it
   * once the index has taken it in (it may tell the index something its stream has not yet).
   */
  application(
    visible: VisibleApplication,
  ): Promise<{ application: Application; record: IndexedApplication }> {
    const read = async (records?: Set<IndexedApplication>) => {
      const application = await visible.client.getApplication(
        visible.app.name,
        visible.scope,
      );
      const record = visible.index.upsert(application) ?? visible.app;
      records?.add(record);
      return { application, record };
    };
    if (this.#ttlMs <= 0) return read();
    const key = keyOf(visible.app);
    const now = this.#now();
    const kept = this.#entries.get(key);
    if (
      kept &&
      kept.expiresAt > now &&
      kept.records.has(visible.app) &&
      kept.client === visible.client
    )
      return kept.value;
    const records = new Set([visible.app]);
    const entry: Entry = {
      records,
      client: visible.client,
      expiresAt: now + this.#ttlMs,
      value: read(records),
    };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    this.#evict(now);
    this.#scheduleSweep();
    return entry.value;
  }

  /** Drops the app's read: a write through the portal may have changed it. */
  forget(
    app: Pick<IndexedApplication, 'instance' | 'appNamespace' | 'name'>,
  ): void {
    this.#entries.delete(keyOf(app));
  }

  /** Drops the reads as they expire, so that an idle backend keeps none of them. */
  #scheduleSweep(): void {
    if (this.#sweep) return;
    const oldest = this.#entries.values().next().value;
    if (!oldest) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      this.#evict(this.#now());
      this.#scheduleSweep();
    }, Math.max(0, oldest.expiresAt - this.#now()));
    this.#sweep.unref?.();
  }

  /** The expired reads and those over the bound, oldest first (all share one lifetime). */
  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && entry.expiresAt > now)
        break;
      this.#entries.delete(key);
    }
  }
}
