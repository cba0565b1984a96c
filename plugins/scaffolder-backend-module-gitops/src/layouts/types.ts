/** How a service's manifests are laid out in the GitOps repository. */
export const MANIFEST_TYPES = ['kustomize', 'helm', 'plain'] as const;
export type ManifestType = (typeof MANIFEST_TYPES)[number];

export interface LayoutEnvironment {
  name: string;
  imageTag: string;
  replicas: number;
}

export interface LayoutInput {
  service: string;
  tenant: string;
  /** Image without tag, e.g. `registry.example.com/acme/web`. */
  image: string;
  port: number;
  environments: LayoutEnvironment[];
}

/** Where Argo CD finds one environment of a service. */
export interface EnvironmentSource {
  path: string;
  /** Helm value files, relative to `path`. */
  valueFiles?: string[];
}

export interface Layout {
  /** Repository-relative path → content. */
  files: Record<string, string>;
  sources: Record<string, EnvironmentSource>;
}
