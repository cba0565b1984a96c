import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ArgoCdClient } from '@kupe/plugin-gitops-node';
import type { TenantNaming } from '@kupe/plugin-gitops-common';
import type { BackendOptions } from '../config/BackendOptions';
import type { EnvironmentOf, IndexedApplication } from './IndexedApplication';
import type { BackgroundPacer } from './BackgroundPacer';

/** How fresh an instance's data is. */
export interface InstanceFreshness {
  /** A full listing has succeeded at least once. */
  loaded: boolean;
  /**
   * Not confirmed current (by a listing or a liveness check) for `staleAfterMs` while the
   * stream is down, or for a check interval more while it is up.
   */
  stale: boolean;
  /**
   * Milliseconds since the data was last confirmed current; 0 while the stream is up and
   * the last liveness check is at most one check interval old.
   */
  ageMs: number;
  /** Message of the last failure while the stream is down. */
  error?: string;
}

/**
 * What changed in an index: the records (before and after) of the apps whose portal-visible
 * state changed. Absent when anything may have changed (a first listing, freshness).
 */
export interface IndexChange {
  apps: readonly IndexedApplication[];
}

/** How the index proves it is live, beside the watch stream. */
export interface LivenessOptions {
  /**
   * How often to compare a cheap `fields=` listing with what the index holds (default 20 s);
   * a difference that is still there `confirmMs` later (default 3 s, so events in flight
   * land first) means the stream lost an event or went silent: the index lists again.
   */
  checkIntervalMs?: number;
  confirmMs?: number;
}

export interface InstanceIndexOptions {
  client: ArgoCdClient;
  naming: TenantNaming;
  /** The environment rule (the built-in one from `naming` when absent). */
  environmentOf?: EnvironmentOf;
  options: Pick<
    BackendOptions,
    | 'staleAfterMs'
    | 'resyncIntervalMs'
    | 'initialBackoffMs'
    | 'maxBackoffMs'
    | 'maxApplicationsPerInstance'
  > &
    Partial<Pick<BackendOptions, 'listTimeoutMs'>>;
  logger: LoggerService;
  /** Called after the instance's applications (`change`) or its freshness changed. */
  onChange: (instance: string, change?: IndexChange) => void;
  liveness?: LivenessOptions;
  /**
   * Paces the re-send read after a start; one shared by every instance of a backend keeps
   * their re-sends from adding up (a pacer of its own when absent).
   */
  pacer?: BackgroundPacer;
  now?: () => number;
}

// Argo CD's control-plane namespace, for the rare object that comes without one.
export const DEFAULT_APP_NAMESPACE = 'argocd';

/**
 * An app's key in the index's maps: its name alone in Argo CD's own namespace, where most
 * apps live, so the key is a string the record holds anyway and not one more per app (a
 * Kubernetes name has no `/`, so no name can be mistaken for a key of another namespace),
 * else `namespace/name`.
 */
export function keyOf(appNamespace: string, name: string): string {
  return appNamespace === DEFAULT_APP_NAMESPACE
    ? name
    : `${appNamespace}/${name}`;
}
