import type { HumanDuration } from '@backstage/types';

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
      /** How often apps are compared with Git, e.g. '1s' or { seconds: 1 }. Default 1s. */
      reconcileInterval?: HumanDuration | string;
      /** @deprecated Use `reconcileInterval`; milliseconds. */
      reconcileIntervalMs?: number;
      /** Artificial latency of every Argo CD API response, e.g. '200ms'. Default none. */
      latency?: HumanDuration | string;
      /** @deprecated Use `latency`; milliseconds. */
      latencyMs?: number;
    };
  };
}
