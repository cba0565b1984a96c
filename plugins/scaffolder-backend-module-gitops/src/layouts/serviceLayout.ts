import { helmLayout } from './helmLayout';
import { kustomizeLayout } from './kustomizeLayout';
import { plainLayout } from './plainLayout';
import type {
  EnvironmentSource,
  Layout,
  LayoutInput,
  ManifestType,
} from './types';

const LAYOUTS: Record<ManifestType, (input: LayoutInput) => Layout> = {
  kustomize: kustomizeLayout,
  helm: helmLayout,
  plain: plainLayout,
};

/** The files and per-environment sources of a service in the chosen manifest style. */
export function serviceLayout(type: ManifestType, input: LayoutInput): Layout {
  return LAYOUTS[type](input);
}

/**
 * Where each environment of a service lives, without rendering files: the Application action
 * uses it when no repository step told it the paths, so both steps agree by construction.
 */
export function serviceSources(
  type: ManifestType,
  service: string,
  environments: string[],
): Record<string, EnvironmentSource> {
  return serviceLayout(type, {
    service,
    tenant: 'x',
    image: 'x',
    port: 80,
    environments: environments.map(name => ({
      name,
      imageTag: 'x',
      replicas: 1,
    })),
  }).sources;
}

/** Environment → path, and environment → Helm value files (Helm layouts only). */
export function sourcePathsOf(sources: Record<string, EnvironmentSource>): {
  paths: Record<string, string>;
  valueFiles: Record<string, string[]>;
} {
  return {
    paths: Object.fromEntries(
      Object.entries(sources).map(([env, s]) => [env, s.path]),
    ),
    valueFiles: Object.fromEntries(
      Object.entries(sources)
        .filter(([, s]) => s.valueFiles)
        .map(([env, s]) => [env, s.valueFiles!]),
    ),
  };
}
