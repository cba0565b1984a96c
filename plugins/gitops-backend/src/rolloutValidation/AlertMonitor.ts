import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ValidationIndex } from './ValidationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { AlertKind, RolloutStore, StoredAlert } from './RolloutStore';
import type { ValidationOptions } from './ValidationOptions';
import type { ValidationNotifier } from './ValidationNotifier';

const episodeKey = (
  a: {
    instance: string;
    appNamespace: string;
    name: string;
  },
  kind: AlertKind,
) => `${a.instance}/${a.appNamespace}/${a.name}#${kind}`;

/**
 * The "stays Degraded / OutOfSync past a threshold" check. OutOfSync is drift only for an
 * auto-sync app; for a manual-sync app it is the normal state while a change waits for someone
 * to sync it, so such an app gets no drift alert but one `awaiting-sync` reminder once the
 * change has waited `awaitingApprovalAfter` (when configured). Run by the scheduler with global
 * scope (one replica at a time), on that replica's index. An episode starts when the check
 * first sees the state (OutOfSync: when the index first saw it), is notified once when it
 * outlasts its threshold, and ends when the app recovers or disappears, so the next episode
 * notifies again. Instances whose data is stale are left alone rather than read as recovered.
 */
export class AlertMonitor {
  readonly #index: ValidationIndex;
  readonly #store: RolloutStore;
  readonly #notifier: Pick<ValidationNotifier, 'stillUnhealthy'>;
  readonly #options: Pick<
    ValidationOptions,
    'degradedAlertAfterMs' | 'outOfSyncAlertAfterMs' | 'awaitingApprovalAfterMs'
  >;
  readonly #logger: LoggerService;
  readonly #now: () => number;

  constructor(options: {
    index: ValidationIndex;
    store: RolloutStore;
    notifier: Pick<ValidationNotifier, 'stillUnhealthy'>;
    options: Pick<
      ValidationOptions,
      | 'degradedAlertAfterMs'
      | 'outOfSyncAlertAfterMs'
      | 'awaitingApprovalAfterMs'
    >;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#index = options.index;
    this.#store = options.store;
    this.#notifier = options.notifier;
    this.#options = options.options;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** One check; returns how many notifications it sent. */
  async run(): Promise<number> {
    const now = this.#now();
    const fresh = new Set<string>();
    const current: Array<{ app: IndexedApplication; kind: AlertKind }> = [];
    for (const name of this.#index.instances()) {
      const index = this.#index.instance(name);
      const freshness = index.freshness();
      if (!freshness.loaded || freshness.stale) continue;
      fresh.add(name);
      for (const app of index.candidates(undefined)) {
        if (app.healthStatus === 'Degraded')
          current.push({ app, kind: 'degraded' });
        if (app.syncStatus !== 'OutOfSync') continue;
        if (app.syncPolicy !== 'manual') {
          current.push({ app, kind: 'out-of-sync' });
        } else if (this.#options.awaitingApprovalAfterMs !== undefined) {
          current.push({ app, kind: 'awaiting-sync' });
        }
      }
    }

    const open = new Map<string, StoredAlert>(
      (await this.#store.listAlerts()).map(a => [episodeKey(a, a.kind), a]),
    );
    let sent = 0;
    const ongoing = new Set<string>();
    for (const { app, kind } of current) {
      const key = episodeKey(app, kind);
      ongoing.add(key);
      const since =
        (kind !== 'degraded' && Date.parse(app.outOfSyncSince ?? '')) || now;
      const episode =
        open.get(key) ?? (await this.#store.openAlert(app, kind, since));
      const threshold = {
        degraded: this.#options.degradedAlertAfterMs,
        'out-of-sync': this.#options.outOfSyncAlertAfterMs,
        'awaiting-sync': this.#options.awaitingApprovalAfterMs ?? Infinity,
      }[kind];
      if (episode.notifiedAt !== undefined || now - episode.since < threshold)
        continue;
      if (!(await this.#store.claimAlert(app, kind, now))) continue;
      try {
        if (await this.#notifier.stillUnhealthy(app, kind, episode.since))
          sent += 1;
      } catch (error) {
        await this.#store.releaseAlert(app, kind);
        this.#logger.warn(
          `Could not notify the owners of ${app.name} (${kind}): ${
            (error as Error).message
          }`,
        );
      }
    }
    const configured = new Set(this.#index.instances());
    for (const [key, episode] of open) {
      const known = fresh.has(episode.instance);
      if (!ongoing.has(key) && (known || !configured.has(episode.instance))) {
        await this.#store.closeAlert(episode, episode.kind);
      }
    }
    return sent;
  }
}
