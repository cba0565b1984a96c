import type { AppKey } from '@kupe/plugin-gitops-node-test-utils';
import type { Application, GitRepository } from '@kupe/plugin-gitops-node';
import type { ChartRepository, DesiredState } from './desiredState';
import type { LiveObject } from './liveViews';

export interface GitControllerOptions {
  /** Maps an Application's `repoURL` to a repository the sandbox serves; undefined otherwise. */
  resolveRepository: (repoURL: string) => GitRepository | undefined;
  /** How often every app is compared with Git and its live state. Default 1000 ms. */
  reconcileIntervalMs?: number;
  /** How long a sync operation stays Running. Default 1500 ms. */
  operationMs?: number;
  /** How long workloads stay Progressing after being applied. Default 1500 ms. */
  progressMs?: number;
  /** The Helm repositories chart sources name; by default none has a chart. */
  helmRepository?: ChartRepository;
}

/** What the controller knows about one app beyond its status. */
export interface AppRuntime {
  live: Map<string, LiveObject>;
  desired?: DesiredState;
  operationTimer?: ReturnType<typeof setTimeout>;
}

export function appKeyOf(app: Application): AppKey {
  return {
    name: app.metadata.name ?? '',
    namespace: app.metadata.namespace ?? 'argocd',
  };
}

export function idOf(key: AppKey): string {
  return `${key.namespace}/${key.name}`;
}

/** An app's key, or the name of an app in `argocd`. */
export function appKeyFrom(key: AppKey | string): AppKey {
  return typeof key === 'string' ? { name: key, namespace: 'argocd' } : key;
}
