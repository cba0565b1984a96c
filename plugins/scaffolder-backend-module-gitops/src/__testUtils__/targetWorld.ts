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
  /** Creates of Application `name` fail as the API refuses them (`times` times, default always). */
  failCreateOf(name: string, times?: number): void;
  /** Resolves once Argo CD has finished deleting the Applications being deleted. */
  finishDeletions(): Promise<void>;
}

/** Whether this request is one of the first `times` creates of `app` (counted in `count`). */
async function failsThisCreate(
  request: Request,
  app: string,
  count: { n: number; times: number },
): Promise<boolean> {
  const body = (await request.clone().json()) as { metadata: { name: string } };
  if (body.metadata.name !== app || count.n >= count.times) return false;
  count.n++;
  return true;
}

export function targetWorld(
  server: SetupServer,
  name: TargetName,
  options: Parameters<typeof argoCdWorld>[1] = {},
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
      finishDeletions: async () => {
        // The fake's controller removes them after deleting their resources, a few steps later.
        for (let i = 0; i < 200; i++) {
          const deleting = argo.fake
            .listApplications()
            .some(a => a.metadata.deletionTimestamp);
          if (!deleting) return;
          await new Promise(r => setTimeout(r, 10));
        }
        throw new Error('Argo CD fake did not finish deleting Applications');
      },
      failCreateOf: (app, times = Infinity) => {
        const count = { n: 0, times };
        server.use(
          http.post(
            `${ARGOCD_URL}/api/v1/applications`,
            async ({ request }) => {
              if (!(await failsThisCreate(request, app, count)))
                return undefined;
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
        );
      },
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
    finishDeletions: async () => k8s.finishDeletions(),
    failCreateOf: (app, times = Infinity) => {
      const count = { n: 0, times };
      server.use(
        http.post(
          `${KUBERNETES_URL}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`,
          async ({ request }) => {
            if (!(await failsThisCreate(request, app, count))) return undefined;
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
      );
    },
  };
}
