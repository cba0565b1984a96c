export interface Config {
  gitops?: {
    /** The embedded Argo CD sandbox (demos and development only, never production). */
    sandbox?: {
      /** Start the sandbox with the backend. Default false. */
      enabled?: boolean;
      /** Loopback port of the sandbox's Argo CD API and Git server. Default 7008. */
      port?: number;
      /** Directory of the sandbox's Git repositories; default a temporary directory. */
      dataDir?: string;
      /** How often apps are compared with Git, in milliseconds. Default 1000. */
      reconcileIntervalMs?: number;
      /** Artificial latency of every Argo CD API response, in milliseconds. Default 0. */
      latencyMs?: number;
    };
  };
}
