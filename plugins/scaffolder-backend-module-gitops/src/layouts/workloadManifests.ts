import { stringify } from 'yaml';

/** The Deployment and Service every layout starts from. */
export function workloadManifests(options: {
  service: string;
  image: string;
  port: number;
  replicas: number | string;
  labels: Record<string, string>;
}): { deployment: string; service: string } {
  const selector = { 'app.kubernetes.io/name': options.service };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.service,
      labels: { ...selector, ...options.labels },
    },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector, ...options.labels } },
        spec: {
          containers: [
            {
              name: options.service,
              image: options.image,
              ports: [{ name: 'http', containerPort: options.port }],
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: options.service, labels: selector },
    spec: {
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  };
  return { deployment: stringify(deployment), service: stringify(service) };
}
