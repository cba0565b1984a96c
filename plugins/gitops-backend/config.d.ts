export interface Config {
  gitops?: {
    /** Tuning of the gitops backend plugin; every key has a safe default. */
    backend?: {
      /** The in-memory application index fed by one Argo CD watch stream per instance. */
      index?: {
        /** Mark data stale once the watch stream has been down this long (ms, default 60000). */
        staleAfterMs?: number;
        /** Full re-list while the stream is up, to repair missed events (ms, default 600000). */
        resyncIntervalMs?: number;
        /** First reconnect delay after the stream fails (ms, default 1000); doubles per failure. */
        initialBackoffMs?: number;
        /** Upper bound of the reconnect delay (ms, default 60000). */
        maxBackoffMs?: number;
        /** Memory bound: applications kept per instance (default 20000). */
        maxApplicationsPerInstance?: number;
        /** How long a request waits for an instance's first listing (ms, default 10000). */
        readyTimeoutMs?: number;
      };
      /** How long a group's tenant is remembered (ms, default 60000). */
      tenantCacheTtlMs?: number;
      /** How long `GET /tenants` answers are cached per tenant and instance (ms, default 60000). */
      tenantsCacheTtlMs?: number;
      /** Interval of server-sent-event heartbeats (ms, default 15000). */
      eventsHeartbeatMs?: number;
      /** Deploy history entries enriched with commit metadata per detail view (default 10). */
      historyLimit?: number;
      /** Parallel revision-metadata requests per detail view (default 4). */
      historyConcurrency?: number;
    };
  };
}
