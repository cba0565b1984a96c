import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Application, ArgoCdClient } from '@kupe/plugin-gitops-node';
import type { TenantNaming } from '@kupe/plugin-gitops-common';
import type { LabelSelectorRequirement } from '@kupe/plugin-gitops-node';
import { ApplicationLookup } from './ApplicationLookup';
import { StringPool } from './stringPool';
import { BackgroundPacer, createStartupPacer } from './BackgroundPacer';
import { ReadAhead } from './ReadAhead';
import {
  LIVENESS_FIELDS,
  LivenessComparison,
  livenessPrint,
} from './livenessCheck';
import {
  type EnvironmentOf,
  type IndexedApplication,
  defaultEnvironmentOf,
  toIndexedApplication,
} from './IndexedApplication';
import {
  INDEX_LIST_FIELDS,
  INDEX_RESEND_FIELDS,
  INDEX_WATCH_FIELDS,
  ListingBuilder,
  sameRecord,
  withListed,
} from './indexListing';
import { DEFAULT_BACKEND_OPTIONS } from '../config/BackendOptions';
import {
  DEFAULT_APP_NAMESPACE,
  type IndexChange,
  type InstanceFreshness,
  type InstanceIndexOptions,
  keyOf,
} from './instanceIndexTypes';

export type {
  IndexChange,
  InstanceFreshness,
  InstanceIndexOptions,
  LivenessOptions,
} from './instanceIndexTypes';

// How long a start waits for Argo CD's next re-sent app before it stops waiting for the rest
// (their records stay `historyPending` until their next event).
const FIRST_EVENTS_STALL_MS = 5_000;
// While Argo CD re-sends every app after a start, listeners hear of them in batches this long.
const RESEND_BATCH_MS = 250;
/**
 * How many re-sent apps are read ahead of the paced slices that apply them: about a slice's
 * worth twice over (a realistic app's re-sent event is ~1.8 KB, ~65 µs to apply).
 */
const RESEND_READ_AHEAD = 64;
// Beyond this many changed apps a change is reported as "anything": cheaper for listeners
// than matching each one.
const MAX_REPORTED_CHANGES = 500;
// The longest the watch's events are applied, or a listing's lookup built, without letting
// requests in: a stream that is behind (Argo CD's re-send after a start, a burst after a mass
// sync) holds hundreds of events in its buffer, which would otherwise be applied in one run
// (20 to 50 ms measured during the re-send of 3 x 10,000 realistic apps; every request
// waiting meanwhile, once per step).
const SLICE_MS = 5;

/** Lets the event loop serve what waits (I/O, timers) before going on. */
export const yieldToEventLoop = () =>
  new Promise<void>(resolve => setImmediate(resolve));

class ResyncSignal extends Error {}

/**
 * The applications of one Argo CD instance, kept current by ONE watch stream: a full list on
 * start and after every reconnect (so deletions missed while down disappear), then live
 * events. Reconnects back off exponentially; a periodic resync restarts the cycle to repair
 * anything a stream may have missed. Requests read from memory and never wait on Argo CD
 * once the first listing is in.
 *
 * A connected stream is not proof of live data: Argo CD drops events for a stream whose
 * buffer is full, and a half-open connection stays silent. So every `checkIntervalMs` a
 * projection of every app is compared with what the index holds; a confirmed difference, or
 * a check that fails, restarts the cycle. Data not confirmed current for `staleAfterMs` is
 * reported stale. Events that change nothing the portal shows (Argo CD rewrites
 * `reconciledAt` on every reconcile) are absorbed without telling anyone.
 */
export class InstanceIndex {
  readonly instance: string;
  readonly #client: ArgoCdClient;
  readonly #naming: TenantNaming;
  readonly #environmentOf: EnvironmentOf;
  readonly #options: InstanceIndexOptions['options'];
  readonly #logger: LoggerService;
  readonly #onChange: (instance: string, change?: IndexChange) => void;
  readonly #now: () => number;
  readonly #checkIntervalMs: number;
  readonly #confirmMs: number;
  readonly #listTimeoutMs: number;

  #apps = new Map<string, IndexedApplication>();
  /** Secondary maps over `#apps`, updated with it on every change and swapped with it on resync. */
  #lookup = new ApplicationLookup();
  /** Liveness digest of each app as Argo CD last told it, by key. */
  #prints = new Map<string, number>();
  /**
   * The records' repeated strings while a listing builds them: a new one with every listing,
   * dropped once it is in, so its map (about 40 bytes per string, several strings an app) is
   * not held between listings, nor through Argo CD's re-send of every app after a start
   * (which held it for 8 MB of the heap at 3 x 10,000 apps). A record an event rebuilds keeps
   * the strings of the record it replaces, and shares them with its new fields.
   */
  #strings: StringPool | undefined;
  /**
   * The keys events touched since the last liveness check began: its race rule, and the next
   * check's test of what this one found matching. None from a listing until the first check
   * after it, so between checks there is an entry per app that changed, not per app.
   */
  #touchedSinceCheck: Set<string> | undefined;
  /** The keys events touched since a relist beside the live watch began (see `#listAll`). */
  #touchedSinceListing: Set<string> | undefined;
  /**
   * The items the last liveness check found matching (by the digest of their listed text),
   * and the keys events touched since it began; dropped with every listing, which replaces
   * the records.
   */
  #matched:
    | { byDigest: ReadonlyMap<number, string>; touched: ReadonlySet<string> }
    | undefined;
  #loaded = false;
  #connected = false;
  /** When the data was last confirmed current: a listing or a matching liveness check. */
  #verifiedAt: number | undefined;
  #staleTimer: ReturnType<typeof setTimeout> | undefined;
  #lastError: string | undefined;
  /** Liveness checks that found the index behind Argo CD, or failed, and restarted the cycle. */
  #recoveries = 0;
  #stopped = true;
  #abort: AbortController | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Wakes each pending `#sleep` early. */
  #sleepers = new Set<() => void>();
  #readyWaiters: Array<() => void> = [];
  /**
   * After a start: the listed apps Argo CD has not re-sent yet (their records are
   * `historyPending`), which a second watch, opened without a resourceVersion, reads at the
   * pacer's pace while it is set.
   */
  #awaitingResend: Set<string> | undefined;
  /** How many apps the re-send had to bring, and since when. */
  #resendAwaited: { count: number; since: number } | undefined;
  /** The second watch reading the re-send, while it is open. */
  #resendStream: AbortController | undefined;
  readonly #pacer: BackgroundPacer;
  /** Changes not told yet, while a re-send is awaited. */
  #batch: IndexedApplication[] = [];
  #batchTimer: ReturnType<typeof setTimeout> | undefined;
  #truncationLogged = false;
  /** The run loop of the current (or last) start; settles when it has ended. */
  #running: Promise<void> = Promise.resolve();
  /** Identity of the current start; a loop of an earlier one ends at its next turn. */
  #run: object = {};

  constructor(options: InstanceIndexOptions) {
    this.#client = options.client;
    this.instance = options.client.instance.name;
    this.#naming = options.naming;
    this.#environmentOf =
      options.environmentOf ?? defaultEnvironmentOf(options.naming);
    this.#options = options.options;
    this.#logger = options.logger.child({ instance: this.instance });
    this.#onChange = options.onChange;
    this.#now = options.now ?? Date.now;
    this.#checkIntervalMs =
      options.liveness?.checkIntervalMs ??
      DEFAULT_BACKEND_OPTIONS.livenessCheckIntervalMs;
    this.#confirmMs =
      options.liveness?.confirmMs ?? DEFAULT_BACKEND_OPTIONS.livenessConfirmMs;
    this.#listTimeoutMs =
      options.options.listTimeoutMs ?? DEFAULT_BACKEND_OPTIONS.listTimeoutMs;
    this.#pacer = options.pacer ?? createStartupPacer();
  }

  /** How many times a liveness check found the index behind Argo CD, or failed, and restarted. */
  get recoveries(): number {
    return this.#recoveries;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const run = {};
    this.#run = run;
    // A restart right after a stop waits for the old cycle to end: two would share the maps.
    this.#running = this.#running.then(() =>
      this.#loop(run).catch(error =>
        this.#logger.error(`Argo CD index stopped: ${String(error)}`),
      ),
    );
  }

  /**
   * Stops the stream, any listing in flight and every timer; resolves once the cycle has
   * ended, which it does as soon as the request in flight is cut (nothing of an aborted
   * listing is applied).
   */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#abort?.abort();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    // A backoff in progress ends now, so the loop sees the stop instead of waiting forever.
    for (const wake of [...this.#sleepers]) wake();
    if (this.#staleTimer) clearTimeout(this.#staleTimer);
    this.#staleTimer = undefined;
    this.#batchTimer = undefined;
    this.#batch = [];
    this.#resolveReady();
    return this.#running;
  }

  /**
   * Waits for the first listing, at most `timeoutMs`; every concurrent caller shares the one
   * listing in flight instead of asking Argo CD itself. Resolves to whether data is loaded.
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    // After a failed first attempt, answer at once: waiting on a down instance would make
    // every request as slow as the timeout.
    if (this.#loaded || this.#stopped || this.#lastError !== undefined) {
      return Promise.resolve(this.#loaded);
    }
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve(this.#loaded);
      }, timeoutMs);
      this.#timers.add(timer);
      this.#readyWaiters.push(() => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        resolve(this.#loaded);
      });
    });
  }

  /** A copy of every record; O(index size), so not for per-request paths. */
  list(): IndexedApplication[] {
    return [...this.#apps.values()];
  }

  get size(): number {
    return this.#apps.size;
  }

  get(appNamespace: string, name: string): IndexedApplication | undefined {
    return this.#apps.get(keyOf(appNamespace, name));
  }

  /** The apps of that name in any app namespace, by lookup. */
  findByName(name: string): IndexedApplication[] {
    const home = this.#apps.get(keyOf(DEFAULT_APP_NAMESPACE, name));
    const elsewhere = [...this.#lookup.byNameElsewhere(name)];
    return home ? [home, ...elsewhere] : elsewhere;
  }

  /**
   * A superset of the apps that can match `selector` (and `project`, when given), from the
   * most selective indexed `=` / `in` requirement or the project; every app when neither
   * narrows it down. Callers must still check each candidate. The result may be a live
   * view of the index: iterate it synchronously, without awaiting in between.
   */
  candidates(
    selector: readonly LabelSelectorRequirement[] | undefined,
    project?: string,
  ): Iterable<IndexedApplication> {
    return this.#lookup.candidates(selector, project) ?? this.#apps.values();
  }

  freshness(): InstanceFreshness {
    const now = this.#now();
    const sinceVerified =
      this.#verifiedAt === undefined ? 0 : Math.max(0, now - this.#verifiedAt);
    const liveWindowMs = this.#checkIntervalMs + this.#confirmMs;
    const live = this.#connected && sinceVerified <= liveWindowMs;
    const ageMs = live ? 0 : sinceVerified;
    // Down: stale `staleAfterMs` after the last confirmation. Up: a check is due every
    // interval, so only one that is overdue by `staleAfterMs` (a hanging check) counts.
    const stale =
      !this.#loaded ||
      sinceVerified >=
        this.#options.staleAfterMs + (this.#connected ? liveWindowMs : 0);
    return {
      loaded: this.#loaded,
      stale,
      ageMs,
      error: this.#connected ? undefined : this.#lastError,
    };
  }

  /** Records an Application just read or changed through the API, ahead of the stream. */
  upsert(app: Application): IndexedApplication | undefined {
    if (!app.metadata?.name) return undefined;
    return this.#apply('MODIFIED', app, 'api') ?? undefined;
  }

  /** Sets a record in the primary map and the lookup, replacing any previous one. */
  #put(key: string, record: IndexedApplication): void {
    const previous = this.#apps.get(key);
    if (previous) this.#lookup.remove(previous);
    this.#apps.set(key, record);
    this.#lookup.add(record);
  }

  #toRecord(
    app: Application,
    previous = this.#apps.get(
      keyOf(
        app.metadata.namespace || DEFAULT_APP_NAMESPACE,
        app.metadata.name ?? '',
      ),
    ),
  ): IndexedApplication {
    return (this.#strings ?? StringPool.forOneRecord()).internValues(
      toIndexedApplication(
        this.instance,
        app,
        this.#naming,
        DEFAULT_APP_NAMESPACE,
        previous,
        new Date(this.#now()),
        this.#environmentOf,
      ),
      previous,
    );
  }

  async #loop(run: object): Promise<void> {
    const ended = () => this.#stopped || this.#run !== run;
    let backoff = this.#options.initialBackoffMs;
    while (!ended()) {
      const abort = new AbortController();
      this.#abort = abort;
      try {
        const resourceVersion = await this.#listAll(abort.signal);
        backoff = this.#options.initialBackoffMs;
        this.#markConnected();
        const checks = this.#verifyLoop(abort);
        // What a listing cannot carry (history, sync result revisions, owner references)
        // comes from Argo CD's re-send of every app as ADDED, which only a watch without a
        // resourceVersion gets (`Server.Watch`). It is read on a second stream, paced, so
        // that the live one subscribes at once and requests never queue behind the re-send.
        // Without a resourceVersion to watch from, the one stream gets the re-send itself.
        if (this.#awaitingResend && resourceVersion !== undefined)
          void this.#readResend(abort.signal);
        let sliceStart = performance.now();
        for await (const event of this.#client.watchApplications({
          resourceVersion,
          fields: [...INDEX_WATCH_FIELDS],
          signal: abort.signal,
        })) {
          this.#applyEvent(event.type, event.application);
          if (performance.now() - sliceStart >= SLICE_MS) {
            await yieldToEventLoop();
            // Stopped or resynced meanwhile: nothing more of this stream is applied.
            if (abort.signal.aborted) break;
            sliceStart = performance.now();
          }
        }
        void checks;
        if (!abort.signal.aborted)
          throw new Error('watch stream closed by the server');
        // A failed liveness check ended the stream: a failure like any other.
        const reason: unknown = abort.signal.reason;
        if (!ended() && !(reason instanceof ResyncSignal)) throw reason;
      } catch (error) {
        // Stops this cycle's liveness checks before the backoff.
        if (!abort.signal.aborted) abort.abort(error);
        if (ended()) break;
        if (abort.signal.reason instanceof ResyncSignal) continue;
        this.#markDown(error);
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#options.maxBackoffMs);
      } finally {
        // Ends this cycle's liveness checks whatever ended the stream.
        if (!abort.signal.aborted) abort.abort(new ResyncSignal());
      }
    }
  }

  /**
   * The liveness checks and relists of one cycle, until it ends. A relist every
   * `resyncIntervalMs` runs beside the live watch, which goes on: a new watch would lose the
   * events between the listing and its start (Argo CD's watch from a resourceVersion sends
   * only what happens after it subscribed), and Argo CD's stream forwarder, which has sent
   * nothing on a new stream, would send every app again with its next reconcile. A confirmed
   * difference restarts the cycle (`ResyncSignal`): the watch may have stalled. A failed
   * check or relist ends the cycle as a failure, so the index reconnects and turns stale if
   * Argo CD stays unreachable.
   */
  async #verifyLoop(abort: AbortController): Promise<void> {
    let listedAt = performance.now();
    while (!abort.signal.aborted) {
      const relistIn =
        listedAt + this.#options.resyncIntervalMs - performance.now();
      const relist = relistIn <= this.#checkIntervalMs;
      await this.#sleep(
        relist ? Math.max(0, relistIn) : this.#checkIntervalMs,
        abort.signal,
      );
      if (abort.signal.aborted) return;
      try {
        if (relist) {
          await this.#listAll(abort.signal, { besideWatch: true });
          listedAt = performance.now();
          continue;
        }
        let differing = await this.#differences(abort.signal);
        if (differing.length > 0) {
          await this.#sleep(this.#confirmMs, abort.signal);
          if (abort.signal.aborted) return;
          differing = await this.#differences(abort.signal);
        }
        if (abort.signal.aborted) return;
        if (differing.length > 0) {
          this.#recoveries += 1;
          this.#logger.warn(
            `Argo CD watch missed changes of ${differing.length} application(s) (e.g. ${differing[0]}), listing again`,
          );
          abort.abort(new ResyncSignal());
          return;
        }
        this.#markVerified();
      } catch (error) {
        if (abort.signal.aborted) return;
        this.#recoveries += 1;
        abort.abort(error);
        return;
      }
    }
  }

  /**
   * Keys whose liveness digest differs between Argo CD's listing and the index, leaving out
   * apps an event touched while the listing was on its way (the event may be the newer).
   */
  async #differences(signal: AbortSignal): Promise<string[]> {
    const touched = new Set<string>();
    this.#touchedSinceCheck = touched;
    // Compared as the apps arrive: the listing is never held whole. An app listed as the
    // last check matched it, and not moved by an event since that check began, is not
    // parsed again.
    const previous = this.#matched;
    // Kept again only once this check is through: one that fails leaves nothing half-known.
    this.#matched = undefined;
    const comparison = new LivenessComparison(
      this.#prints,
      this.#apps.size >= this.#options.maxApplicationsPerInstance,
      previous && {
        byDigest: previous.byDigest,
        unchanged: key => !previous.touched.has(key) && !touched.has(key),
      },
      key => {
        const record = this.#apps.get(key);
        return record ? keyOf(record.appNamespace, record.name) : key;
      },
    );
    const list = await this.#client.listApplications({
      fields: [...LIVENESS_FIELDS],
      signal,
      timeoutMs: this.#listTimeoutMs,
      onItem: app => comparison.add(app),
      skipItem: digest => comparison.skip(digest),
    });
    // A client that does not hand items over one by one returns them all at once.
    for (const app of list.items ?? []) comparison.add(app);
    this.#matched = { byDigest: comparison.matched, touched };
    return comparison.differing(key => touched.has(key));
  }

  /**
   * Lists every app under the listing's own timeout, building the records as the apps arrive
   * (one parsed app at a time, whatever their size), and swaps the index to it. Listings ask
   * for `INDEX_LIST_FIELDS` only (about a twentieth of a realistic app) and carry the rest
   * over from the records they replace. The first one has no records to carry over from:
   * the index serves its records at once, flagged `historyPending`, and Argo CD's re-send of
   * every app on a watch without a resourceVersion brings the rest (history, sync result
   * revisions, owner references; see `#readResend`). Nothing of a listing is
   * applied once its cycle was aborted (stop, resync): a stop ends the cycle as soon as the
   * request is cut.
   *
   * `besideWatch`: the cycle's watch goes on applying events while the listing is on its
   * way, and an app an event moved meanwhile keeps what the event made of it (present or
   * gone): the event may be newer than the listing's snapshot, and listeners already heard
   * of it.
   */
  async #listAll(
    signal: AbortSignal,
    options: { besideWatch?: boolean } = {},
  ): Promise<string | undefined> {
    const limit = this.#options.maxApplicationsPerInstance;
    const touched = options.besideWatch ? new Set<string>() : undefined;
    this.#touchedSinceListing = touched;
    try {
      this.#strings = new StringPool();
      const listing = new ListingBuilder(this.#apps, limit, (app, previous) =>
        this.#toRecord(app, previous),
      );
      const list = await this.#client.listApplications({
        fields: [...INDEX_LIST_FIELDS],
        signal,
        timeoutMs: this.#listTimeoutMs,
        onItem: app => listing.add(app),
      });
      signal.throwIfAborted();
      // A client that does not hand items over one by one returns them all at once.
      for (const app of list.items ?? []) listing.add(app);
      if (listing.listed > limit && !this.#truncationLogged) {
        this.#truncationLogged = true;
        this.#logger.warn(
          `Instance has ${listing.listed} applications, indexing only the first ${limit} (gitops.backend.index.maxApplicationsPerInstance)`,
        );
      }
      // Rebuilt from the surviving records, so apps gone from the listing leave every map;
      // requests go on meanwhile (the index keeps serving the records it has until the swap).
      const lookup = await ApplicationLookup.build(listing.apps.values(), {
        sliceMs: SLICE_MS,
        signal,
      });
      if (touched) {
        for (const key of touched) {
          const live = this.#apps.get(key);
          const listed = listing.apps.get(key);
          if (live === listed) continue;
          if (listed) lookup.remove(listed);
          const print = this.#prints.get(key);
          if (live) {
            listing.apps.set(key, live);
            lookup.add(live);
          } else listing.apps.delete(key);
          if (live && print !== undefined) listing.prints.set(key, print);
          else listing.prints.delete(key);
        }
      }
      const first = !this.#loaded;
      const changed = listing.changed(touched);
      this.#apps = listing.apps;
      this.#lookup = lookup;
      this.#prints = listing.prints;
      this.#touchedSinceCheck = undefined;
      this.#matched = undefined;
      this.#markVerified();
      if (first) {
        // Served from now on: records Argo CD has not re-sent yet say their history is pending.
        this.#loaded = true;
        this.#resolveReady();
        this.#onChange(this.instance);
      } else if (changed.length > MAX_REPORTED_CHANGES)
        this.#onChange(this.instance);
      else if (changed.length > 0)
        this.#onChange(this.instance, { apps: changed });
      if (first || this.#awaitingResend) {
        const pending = [...listing.apps]
          .filter(([, record]) => record.historyPending)
          .map(([key]) => key);
        this.#flushBatch();
        this.#awaitResend(pending);
      }
      return list.metadata?.resourceVersion;
    } finally {
      // Whatever ended it (a failed listing too): no later event is counted against a
      // listing that is over, nor interns its strings into the listing's pool.
      if (this.#touchedSinceListing === touched)
        this.#touchedSinceListing = undefined;
      this.#strings = undefined;
    }
  }

  /**
   * Waits for Argo CD's re-send (on a watch without a resourceVersion) of each of `keys`, the
   * listed apps whose records lack what only the watch carries. Ends once each was
   * re-sent, or once none was for `FIRST_EVENTS_STALL_MS`: a record still flagged
   * `historyPending` then waits for its app's next event (a reconcile, at most Argo CD's
   * reconcile period). Meanwhile the re-sent records reach listeners in batches.
   */
  #awaitResend(keys: Iterable<string>): void {
    const awaiting = new Set(keys);
    this.#awaitingResend = awaiting.size > 0 ? awaiting : undefined;
    if (!this.#awaitingResend) return;
    this.#resendAwaited = { count: awaiting.size, since: performance.now() };
    let seen = awaiting.size;
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      this.#timers.delete(timer);
      if (this.#awaitingResend !== awaiting) return;
      if (awaiting.size < seen) {
        seen = awaiting.size;
        timer = setTimeout(check, FIRST_EVENTS_STALL_MS);
        this.#timers.add(timer);
        return;
      }
      this.#logger.warn(
        `Argo CD's watch re-sent none of the ${
          awaiting.size
        } listed application(s) still awaited (e.g. ${
          awaiting.values().next().value
        }) for ${FIRST_EVENTS_STALL_MS} ms; their deployed revision shows as loading until their next event`,
      );
      this.#endResend();
    };
    timer = setTimeout(check, FIRST_EVENTS_STALL_MS);
    this.#timers.add(timer);
  }

  /**
   * Reads Argo CD's re-send after a start on a watch of its own, a pacer's slice at a time,
   * until every awaited app came (or the wait stalled, or the cycle ended), then closes it.
   * A re-sent app is applied only while its record still waits for its history: the live
   * stream's events are newer than the re-send's snapshot (taken after the listing), so an
   * app that had one, or that is gone, is left as the live stream made it. A failure ends
   * only the re-send: the apps still waiting get their history with their next event.
   */
  async #readResend(cycle: AbortSignal): Promise<void> {
    const awaiting = this.#awaitingResend;
    if (!awaiting) return;
    const resend = new AbortController();
    // Ended by the cycle, and by the re-send's end whichever stream brought its last app.
    this.#resendStream = resend;
    const end = () => resend.abort();
    cycle.addEventListener('abort', end, { once: true });
    const waiting = () =>
      this.#awaitingResend === awaiting && !resend.signal.aborted;
    // Opened at the pacer's first turn (the live watch, opened meanwhile, subscribes first),
    // and read ahead of the slices, so a slice applies what already came instead of waiting
    // for Argo CD's next bytes.
    await this.#pacer.turn(resend.signal);
    if (!waiting()) {
      cycle.removeEventListener('abort', end);
      return;
    }
    const events = new ReadAhead(
      this.#client.watchApplications({
        fields: [...INDEX_RESEND_FIELDS],
        signal: resend.signal,
      }),
      RESEND_READ_AHEAD,
    );
    try {
      // The first slice is the turn that opened the stream's.
      for (let turnTaken = true; waiting(); turnTaken = false) {
        // Waiting for Argo CD's bytes is neither a turn nor the slice's time.
        if (!(await events.ready())) return;
        if (!turnTaken) await this.#pacer.turn(resend.signal);
        const sliceEnd = performance.now() + this.#pacer.sliceMs;
        for (
          let event = events.take();
          event && waiting();
          event = performance.now() < sliceEnd ? events.take() : undefined
        )
          this.#applyResent(event.type, event.application);
      }
    } catch (error) {
      if (!resend.signal.aborted) {
        this.#logger.warn(
          `Argo CD's re-send of the applications' history failed; the ${
            awaiting.size
          } still awaited get it with their next event: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
        if (this.#awaitingResend === awaiting) this.#endResend();
      }
    } finally {
      cycle.removeEventListener('abort', end);
      resend.abort();
      // Closes the stream; a read in flight ends with the abort.
      events.close();
    }
  }

  #applyResent(type: string, app: Application): void {
    const awaiting = this.#awaitingResend;
    if (!awaiting || !app?.metadata?.name) return;
    const key = keyOf(
      app.metadata.namespace || DEFAULT_APP_NAMESPACE,
      app.metadata.name,
    );
    if (this.#apps.get(key)?.historyPending) this.#apply(type, app, 'resend');
    awaiting.delete(key);
    if (awaiting.size === 0) this.#resendComplete();
  }

  #resendComplete(): void {
    const awaited = this.#resendAwaited;
    if (awaited)
      this.#logger.info(
        `Argo CD re-sent the history of the ${
          awaited.count
        } listed application(s) in ${Math.round(
          performance.now() - awaited.since,
        )} ms`,
      );
    this.#endResend();
  }

  #endResend(): void {
    this.#awaitingResend = undefined;
    this.#resendStream?.abort();
    this.#resendStream = undefined;
    this.#flushBatch();
  }

  /** A watch event: applied, and counted towards the re-send while one is awaited. */
  #applyEvent(type: string, app: Application): void {
    this.#apply(type, app);
    const awaiting = this.#awaitingResend;
    if (!awaiting || !app?.metadata?.name) return;
    awaiting.delete(
      keyOf(app.metadata.namespace || DEFAULT_APP_NAMESPACE, app.metadata.name),
    );
    if (awaiting.size === 0) this.#resendComplete();
  }

  /**
   * Tells listeners of a change: at once, or, while a re-send is awaited (thousands of
   * events in a few seconds), with the others of the next `RESEND_BATCH_MS`, or as soon as
   * they name `MAX_REPORTED_CHANGES` apps: a larger batch would reach listeners as a change
   * of anything, so each would drop or recompute all it holds of the instance (the cached
   * views, every open page's answer, rollout validation's pass over every app) four times a
   * second through the whole re-send, where a named one costs what it names.
   */
  #tell(change: IndexChange): void {
    if (!this.#awaitingResend) {
      this.#onChange(this.instance, change);
      return;
    }
    if (this.#batch.length + change.apps.length > MAX_REPORTED_CHANGES)
      this.#flushBatch();
    this.#batch.push(...change.apps);
    if (this.#batchTimer) return;
    this.#batchTimer = setTimeout(() => this.#flushBatch(), RESEND_BATCH_MS);
    this.#timers.add(this.#batchTimer);
  }

  #flushBatch(): void {
    if (this.#batchTimer) {
      clearTimeout(this.#batchTimer);
      this.#timers.delete(this.#batchTimer);
      this.#batchTimer = undefined;
    }
    const apps = this.#batch;
    this.#batch = [];
    if (apps.length > MAX_REPORTED_CHANGES) this.#onChange(this.instance);
    else if (apps.length > 0) this.#onChange(this.instance, { apps });
  }

  /**
   * Applies a watch event (or an app read through the API, or re-sent after a start) and
   * tells listeners only when the portal-visible record changed: the record of the app holds
   * nothing of `reconciledAt` and the like, so reconcile churn compares equal and costs one
   * comparison. Until the index is loaded, nobody is told: loading tells everyone once.
   */
  #apply(
    type: string,
    app: Application,
    from: 'watch' | 'api' | 'resend' = 'watch',
  ): IndexedApplication | undefined {
    if (!app?.metadata?.name) return undefined;
    const namespace = app.metadata.namespace || DEFAULT_APP_NAMESPACE;
    const key = keyOf(namespace, app.metadata.name);
    this.#touchedSinceCheck?.add(key);
    this.#touchedSinceListing?.add(key);
    const previous = this.#apps.get(key);
    const tell = (change: IndexChange) => {
      if (this.#loaded) this.#tell(change);
    };
    if (type === 'DELETED') {
      this.#prints.delete(key);
      if (!previous) return undefined;
      this.#apps.delete(key);
      this.#lookup.remove(previous);
      tell({ apps: [previous] });
      return undefined;
    }
    if (
      !previous &&
      this.#apps.size >= this.#options.maxApplicationsPerInstance
    )
      return undefined;
    // An app read through the API may carry only part of what the stream sends; the check
    // compares against the stream's view, so only events and listings set the digest.
    if (from !== 'api') this.#prints.set(key, livenessPrint(app));
    let record = this.#toRecord(app);
    if (from === 'resend' && previous) record = withListed(record, previous);
    // A listed record still waiting for its history changes with any event (that it no longer
    // waits, at least): the comparison, a serialisation of both, is spared for the 10,000s of
    // them Argo CD re-sends after a start.
    if (previous && !previous.historyPending && sameRecord(previous, record))
      return previous;
    this.#put(key, record);
    tell(previous ? { apps: [previous, record] } : { apps: [record] });
    return record;
  }

  #markConnected(): void {
    const wasDown = !this.#connected;
    this.#connected = true;
    this.#lastError = undefined;
    if (wasDown) this.#onChange(this.instance);
  }

  /** The data is current now; listeners hear when that has been untrue for `staleAfterMs`. */
  #markVerified(): void {
    this.#verifiedAt = this.#now();
    if (this.#staleTimer) clearTimeout(this.#staleTimer);
    this.#staleTimer = setTimeout(() => {
      this.#staleTimer = undefined;
      this.#onChange(this.instance);
    }, this.#options.staleAfterMs);
    this.#staleTimer.unref?.();
  }

  #markDown(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.#connected || this.#lastError !== message) {
      // Only the message: errors of the client never carry credentials, full objects might.
      this.#logger.warn(`Argo CD watch failed, reconnecting: ${message}`);
    }
    this.#lastError = message;
    if (this.#connected) {
      this.#connected = false;
      // ageMs starts to count; the stale timer of #markVerified tells when it turns stale.
      this.#onChange(this.instance);
    }
    if (!this.#loaded) this.#resolveReady();
  }

  #resolveReady(): void {
    const waiters = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves after `ms`, on `signal`'s abort, or on `stop()`, whichever comes first. */
  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const state: { timer?: ReturnType<typeof setTimeout> } = {};
      const wake = () => {
        clearTimeout(state.timer);
        if (state.timer) this.#timers.delete(state.timer);
        this.#sleepers.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      state.timer = setTimeout(wake, ms);
      this.#timers.add(state.timer);
      this.#sleepers.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
