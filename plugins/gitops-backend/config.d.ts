import type { HumanDuration } from '@backstage/types';

export interface Config {
  gitops?: {
    /**
     * Post-deploy validation of every rollout (Argo CD sync operation) and notifications to
     * the owning groups. Durations are HumanDuration objects or strings ('2m', 'PT10M').
     */
    validation?: {
      /** Follow rollouts and send notifications (default true). */
      enabled?: boolean;
      /**
       * How long an app must stay out of Degraded after it is Synced and Healthy, per
       * environment (`prod`, `prd` and `production` are the same), `default` for the others.
       * Defaults: default 2m, production 10m.
       */
      bakeTime?: { [environment: string]: HumanDuration | string };
      /**
       * After the operation ends, how long a Degraded health may still be that of before the
       * sync (default 30s); Degraded counts at once when the app was seen out of it since.
       */
      degradedGrace?: HumanDuration | string;
      /** How long after the sync operation the app has to be Synced and Healthy (default 10m). */
      healthyTimeout?: HumanDuration | string;
      /** Notify the owners once an app has been Degraded this long (default 15m). */
      degradedAlertAfter?: HumanDuration | string;
      /**
       * Notify the owners once an auto-sync app has been OutOfSync (drifted) this long
       * (default 30m). Manual-sync apps never get this alert: OutOfSync is their normal state
       * while a change waits for someone to sync it.
       */
      outOfSyncAlertAfter?: HumanDuration | string;
      /**
       * Remind the owners once, per waiting change, that a manual-sync app has been OutOfSync
       * this long, i.e. a change has waited this long for sync approval (default 24h, a
       * working day and a night; `false` turns the reminder off).
       */
      awaitingApprovalAfter?: HumanDuration | string | false;
      /** Interval of the threshold check, run by one replica at a time (default 1m). */
      checkInterval?: HumanDuration | string;
      /** Interval at which followed rollouts are re-evaluated (default 5s). */
      tickInterval?: HumanDuration | string;
      /** Rollouts kept per application (default 20). */
      rolloutsPerApplication?: number;
    };
    /**
     * Auto-sync paused from the portal: the owning team is reminded, once per pause, when it
     * stays paused this long. Durations are HumanDuration objects or strings ('4h', 'PT4H').
     */
    automationPause?: {
      /** Remind the owning team once a pause is this old (default 4h; `false` turns it off). */
      remindAfter?: HumanDuration | string | false;
      /** Interval of the check, run by one replica at a time (default 5m). */
      checkInterval?: HumanDuration | string;
    };
    /**
     * Tuning of the gitops backend plugin; every key has a safe default. Durations are
     * HumanDuration objects or strings ('60s', 'PT10M'); the older `*Ms` numbers still work,
     * with a deprecation warning, and lose to the duration key when both are set.
     */
    backend?: {
      /** The in-memory application index fed by one Argo CD watch stream per instance. */
      index?: {
        /**
         * Mark data stale once it has not been confirmed current (a listing or a liveness check)
         * this long while the watch stream is down (default 60s).
         */
        staleAfter?: HumanDuration | string;
        /** @deprecated Use `staleAfter`; milliseconds. */
        staleAfterMs?: number;
        /** Full re-list while the stream is up, to repair missed events (default 10m). */
        resyncInterval?: HumanDuration | string;
        /** @deprecated Use `resyncInterval`; milliseconds. */
        resyncIntervalMs?: number;
        /** First reconnect delay after the stream fails (default 1s); doubles per failure. */
        initialBackoff?: HumanDuration | string;
        /** @deprecated Use `initialBackoff`; milliseconds. */
        initialBackoffMs?: number;
        /** Upper bound of the reconnect delay (default 60s). */
        maxBackoff?: HumanDuration | string;
        /** @deprecated Use `maxBackoff`; milliseconds. */
        maxBackoffMs?: number;
        /** Memory bound: applications kept per instance (default 20000). */
        maxApplicationsPerInstance?: number;
        /** How long a request waits for an instance's first listing (default 10s). */
        readyTimeout?: HumanDuration | string;
        /** @deprecated Use `readyTimeout`; milliseconds. */
        readyTimeoutMs?: number;
        /**
         * Timeout of the index's listings of every app of an instance (the first one, each
         * resync and each liveness check), instead of the instance's per-request `timeout`:
         * a large instance legitimately takes longer to list than one request (default 2m).
         */
        listTimeout?: HumanDuration | string;
        /** @deprecated Use `listTimeout`; milliseconds. */
        listTimeoutMs?: number;
        /**
         * How often the index compares a `fields=` listing of every app with what it holds, to
         * notice dropped watch events and half-open streams (default 30s).
         */
        livenessCheckInterval?: HumanDuration | string;
        /** @deprecated Use `livenessCheckInterval`; milliseconds. */
        livenessCheckIntervalMs?: number;
        /** How long a difference must persist before the index lists again (default 3s). */
        livenessConfirm?: HumanDuration | string;
        /** @deprecated Use `livenessConfirm`; milliseconds. */
        livenessConfirmMs?: number;
      };
      /** How long a group's tenant is remembered (default 60s). */
      tenantCacheTtl?: HumanDuration | string;
      /** @deprecated Use `tenantCacheTtl`; milliseconds. */
      tenantCacheTtlMs?: number;
      /** How long `GET /tenants` answers are cached per tenant and instance (default 60s). */
      tenantsCacheTtl?: HumanDuration | string;
      /** @deprecated Use `tenantsCacheTtl`; milliseconds. */
      tenantsCacheTtlMs?: number;
      /** Interval of server-sent-event heartbeats (default 15s). */
      eventsHeartbeat?: HumanDuration | string;
      /** @deprecated Use `eventsHeartbeat`; milliseconds. */
      eventsHeartbeatMs?: number;
      /** Deploy history entries enriched with commit metadata per detail view (default 10). */
      historyLimit?: number;
      /** Parallel revision-metadata requests per detail view (default 4). */
      historyConcurrency?: number;
    };
    /** Rollback by Git revert and promotion between environments. */
    gitOperations?: {
      /**
       * Environments where a revert may be committed straight to the tracked branch instead
       * of a pull request (default ['dev']). Production is refused: it always needs an
       * approved pull request.
       */
      directCommitEnvironments?: string[];
      /** Identity of the portal's commits (the requester is named in the message). */
      committer?: { name?: string; email?: string };
      /** Allow file:// repositories: tests and local sandboxes only (default false). */
      allowLocalRepositories?: boolean;
      /**
       * Four eyes on production: the portal sets the commit status `kupe/four-eyes` on pull
       * requests (success for a production change only after an approval by a tenant member
       * other than whoever asked for it) and decides it again at this interval, run by one
       * replica at a time (default 30s). Branch protection must require the status.
       */
      fourEyes?: { checkInterval?: HumanDuration | string };
      /**
       * How late promotion previews and history reads may see a commit pushed from outside
       * the portal (a merge on GitHub): reads this soon after the last fetch of a branch take
       * its head instead of asking the Git host again (default 2s, at most 1m; 0 asks on every
       * read). The portal's own commits and pushes are seen at once.
       */
      readFreshness?: HumanDuration | string;
    };
  };
}
