import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import type { AppProject, Application } from '@kupe/plugin-gitops-node';
import type { ApplicationTarget } from '../argocd/ApplicationTarget';
import { KubernetesApplicationTarget } from '../argocd/KubernetesApplicationTarget';
import { ARGOCD_URL, argoCdWorld } from './testWorld';
import {
  KUBERNETES_TOKEN,
  KUBERNETES_URL,
  clusterSecret,
  kubernetesWorld,
} from './kubernetesApi';

/** The values of `gitops.scaffolder.applicationTarget`. */
export const TARGETS = ['argocd', 'kubernetes'] as const;
export type TargetName = (typeof TARGETS)[number];

/**
 * Tenants acme and globex (projects, clusters dev/staging/production) behind one application
 * target, with the same questions for both: what is stored, what was written, and how to
 * make the next Application create fail as that API would.
 */
export interface TargetWorld {
  name: TargetName;
  argoCd: ReturnType<typeof argoCdWorld>['argoCd'];
  /** The action option; undefined for the default (Argo CD API) target. */
  target?: () => ApplicationTarget;
  getApplication(name: string): Application | undefined;
  putApplication(app: Application): void;
  getProject(name: string): AppProject | undefined;
  putProject(project: AppProject): void;
  /** Registers a destination cluster, scoped to `project` when given. */
  putCluster(cluster: { name: string; server: string; project?: string }): void;
  /** Writes (non-GET requests) to whatever holds the Applications, `METHOD path`. */
  writes(): string[];
  /** Every request to either API, for "asked nothing" assertions. */
  requestCount(): number;
  clearRequests(): void;
  /** The Argo CD API's requests: none at all for the Kubernetes target. */
  argoCdRequests(): string[];
  /** The next create of Application `name` fails as the API refuses it. */
  failCreateOf(name: string): void;
}

export function targetWorld(
  server: SetupServer,
  name: TargetName,
  options: { sourceRepos?: (tenant: string) => string[] } = {},
): TargetWorld {
  const argo = argoCdWorld(server, options);
  const argoCdRequests = () =>
    argo.fake.requests.map(r => `${r.method} ${r.path}`);
  if (name === 'argocd') {
    return {
      name,
      argoCd: argo.argoCd,
      getApplication: n => argo.fake.getApplication(n, 'argocd'),
      putApplication: app => argo.fake.putApplication(app),
      getProject: n => argo.fake.getProject(n),
      putProject: p => argo.fake.putProject(p),
      putCluster: c => argo.fake.putCluster(c),
      writes: () =>
        argo.fake.requests
          .filter(r => r.method !== 'GET')
          .map(r => `${r.method} ${r.path}`),
      requestCount: () => argo.fake.requests.length,
      clearRequests: () => argo.fake.clearRequests(),
      argoCdRequests,
      failCreateOf: app =>
        server.use(
          http.post(
            `${ARGOCD_URL}/api/v1/applications`,
            async ({ request }) => {
              const body = (await request.clone().json()) as {
                metadata: { name: string };
              };
              if (body.metadata.name !== app) return undefined;
              return HttpResponse.json(
                {
                  error: 'quota exceeded',
                  code: 8,
                  message: 'quota exceeded',
                },
                { status: 429 },
              );
            },
          ),
        ),
    };
  }
  const k8s = kubernetesWorld(server, options);
  const target = new KubernetesApplicationTarget({
    url: KUBERNETES_URL,
    token: KUBERNETES_TOKEN,
  });
  return {
    name,
    argoCd: argo.argoCd,
    target: () => target,
    getApplication: n => k8s.getApplication(n),
    putApplication: app => k8s.putApplication(app),
    getProject: n => k8s.getProject(n),
    putProject: p => k8s.putProject(p),
    putCluster: c => k8s.putSecret(clusterSecret(c)),
    writes: () => k8s.writes(),
    requestCount: () => k8s.requests.length + argo.fake.requests.length,
    clearRequests: () => {
      k8s.clearRequests();
      argo.fake.clearRequests();
    },
    argoCdRequests,
    failCreateOf: app =>
      server.use(
        http.post(
          `${KUBERNETES_URL}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`,
          async ({ request }) => {
            const body = (await request.clone().json()) as {
              metadata: { name: string };
            };
            if (body.metadata.name !== app) return undefined;
            return HttpResponse.json(
              {
                kind: 'Status',
                apiVersion: 'v1',
                metadata: {},
                status: 'Failure',
                message: `applications.argoproj.io "${app}" is forbidden: exceeded quota: argocd-apps, requested: count/applications.argoproj.io=1, used: count/applications.argoproj.io=2, limited: count/applications.argoproj.io=2`,
                reason: 'Forbidden',
                details: {
                  name: app,
                  group: 'argoproj.io',
                  kind: 'applications',
                },
                code: 403,
              },
              { status: 403 },
            );
          },
        ),
      ),
  };
}
