import type { HumanDuration } from '@backstage/types';

export interface Config {
  gitops?: {
    /**
     * Argo CD instances the portal talks to. The first is the default for entities without
     * an `argocd/instance-name` annotation.
     */
    instances?: Array<{
      /** DNS-1123 label naming the instance, as used in annotations and routes. */
      name: string;
      /** Base URL of the Argo CD API server, e.g. https://argocd.example.com */
      url: string;
      /** Argo CD UI URL for links, when it differs from `url`. */
      uiUrl?: string;
      /**
       * API token (an account or project-role JWT).
       * @visibility secret
       */
      token?: string;
      /** Local account to log in with when no token is given. */
      username?: string;
      /**
       * Password of `username`.
       * @visibility secret
       */
      password?: string;
      /**
       * Per-tenant Argo CD project-role tokens (`proj:tenant-<t>:<role>`), used for that
       * tenant's per-application calls as defence in depth.
       * @visibility secret
       */
      projectTokens?: { [tenant: string]: string };
      /** Per-request timeout, a HumanDuration or string such as '15s' (default 15s). */
      timeout?: HumanDuration | string;
      /** @deprecated Use `timeout`; milliseconds. */
      timeoutMs?: number;
      /**
       * A watch stream that receives no bytes for this long is closed as dead and the index
       * reconnects and relists (the watch is read as SSE, on which Argo CD writes a keepalive
       * every 15 s, so silence is the sign of a half-open connection); a HumanDuration or
       * string such as '30s'. Default 30s: two keepalives, half the 60 s staleness bound.
       */
      watchIdleTimeout?: HumanDuration | string;
      /** PEM CA bundle to trust for this instance's TLS certificate. */
      caCert?: string;
      /** Skip TLS verification. Only for test installations. */
      skipTlsVerify?: boolean;
    }>;
    /** Tenant naming and administration. */
    tenancy?: {
      /** AppProject name of a tenant; default `tenant-{tenant}`. */
      projectPattern?: string;
      /** Registered destination cluster of a tenant; default `{tenant}-{cluster}`. */
      clusterPattern?: string;
      /** Group entity refs whose members see and act on every tenant. */
      adminGroups?: string[];
      /**
       * Where the catalog's trusted Users and Groups come from, as prefixes of their
       * `backstage.io/managed-by-origin-location` (e.g. `msgraph:`, `ldap://ldap.example.com`,
       * `url:https://github.com/platform-org/`). The config's own `catalog.locations` are
       * always trusted. Tenant membership, admin groups and an entity's own
       * `kupe.cloud/tenant` annotation count only on entities from a trusted origin, so a
       * Group that a user registers never joins anyone to a tenant. Name only sources that
       * the platform team alone writes.
       */
      trustedOrigins?: string[];
    };
  };
}
