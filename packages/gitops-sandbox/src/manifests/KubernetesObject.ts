/** A Kubernetes object as the sandbox renders and "applies" it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export function groupOf(object: KubernetesObject): string {
  return object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
}

export function versionOf(object: KubernetesObject): string {
  return object.apiVersion.includes('/')
    ? object.apiVersion.split('/')[1]
    : object.apiVersion;
}

/** Identity of an object within an app: group, kind, namespace and name. */
export function objectKey(object: KubernetesObject): string {
  return `${groupOf(object)}/${object.kind}/${
    object.metadata.namespace ?? ''
  }/${object.metadata.name}`;
}

/** Container images of a workload's pod template. */
export function imagesOf(object: KubernetesObject): string[] {
  const spec = object.spec as
    | { template?: { spec?: { containers?: Array<{ image?: string }> } } }
    | undefined;
  return (spec?.template?.spec?.containers ?? [])
    .map(c => c.image)
    .filter((i): i is string => Boolean(i));
}
