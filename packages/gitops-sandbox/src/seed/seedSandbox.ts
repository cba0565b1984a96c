import {
  ENVIRONMENT_LABEL,
  KUBERNETES_ID_LABEL,
  SyncPolicyMode,
  TENANT_LABEL,
  toArgoSyncPolicy,
} from '@kupe/plugin-gitops-common';
import type { Application, SyncWindow } from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  buildCluster,
  tenantRolePolicies,
} from '@kupe/plugin-gitops-node-test-utils';
import type { GitController } from '../controller/GitController';
import type { SandboxRepositories } from '../git/SandboxRepositories';
import type { GitIdentity } from '../git/runGit';
import { seedDoraHistory } from './seedDoraHistory';
import { CANARY_SEED_APP, canaryGitFiles } from './seedCanary';
import type { SandboxHelmRepository } from '../helm/SandboxHelmRepository';
import {
  CHART_ENVIRONMENTS,
  CHART_SERVICE,
  type ChartEnvironment,
  workerAppName,
  workerCharts,
  workerGitFiles,
  workerSources,
  workerSyncPolicy,
} from './seedCharts';
import {
  codeowners,
  configMapYaml,
  deploymentYaml,
  helmChartFiles,
  kustomizationYaml,
  serviceYaml,
} from './seedManifests';

const ALICE = { name: 'Alice Schmidt', email: 'alice@acme.example' };
const ARJUN = { name: 'Arjun Mehta', email: 'arjun@acme.example' };
const BOB = { name: 'Bob Okafor', email: 'bob@globex.example' };

export const SANDBOX_TENANTS = ['acme', 'globex'] as const;

/**
 * globex's production cluster is in a change freeze that never ends (a fire every minute,
 * each lasting an hour), so the portal shows a blocked Sync to bob. acme has none: the
 * browser journeys sync acme's apps.
 */
const SYNC_WINDOWS: Record<string, SyncWindow[] | undefined> = {
  globex: [
    {
      kind: 'deny',
      schedule: '* * * * *',
      duration: '1h',
      clusters: ['globex-prod'],
      manualSync: false,
      timeZone: 'UTC',
      description: 'Change freeze',
    },
  ],
};
const CLUSTERS: Record<string, string[]> = {
  acme: ['dev', 'staging', 'prod'],
  globex: ['dev', 'prod'],
};

interface SeedApp {
  name: string;
  tenant: string;
  component: string;
  environment: string;
  cluster: string;
  repo: string;
  path: string;
  helmValueFiles?: string[];
  policy: SyncPolicyMode;
  /** Commits to deploy at seed time, oldest first (`HEAD` = branch tip); none lets auto-sync deploy. */
  deployed: Array<'c1' | 'c2' | 'HEAD'>;
  /** A chart from the tenant's Helm repository with values from `repo` (`spec.sources`). */
  chart?: ChartEnvironment;
}

const APPS: SeedApp[] = [
  {
    name: 'acme-web-dev',
    tenant: 'acme',
    component: 'acme-web',
    environment: 'dev',
    cluster: 'acme-dev',
    repo: 'acme/gitops',
    path: 'apps/acme-web/overlays/dev',
    policy: 'auto-self-heal',
    deployed: ['c1', 'HEAD'],
  },
  {
    name: 'acme-web-staging',
    tenant: 'acme',
    component: 'acme-web',
    environment: 'staging',
    cluster: 'acme-staging',
    repo: 'acme/gitops',
    path: 'apps/acme-web/overlays/staging',
    policy: 'auto',
    deployed: ['HEAD'],
  },
  {
    name: 'acme-web-prod',
    tenant: 'acme',
    component: 'acme-web',
    environment: 'production',
    cluster: 'acme-prod',
    repo: 'acme/gitops',
    path: 'apps/acme-web/overlays/prod',
    policy: 'manual',
    deployed: ['c1', 'c2'],
  },
  {
    name: 'acme-api-dev',
    tenant: 'acme',
    component: 'acme-api',
    environment: 'dev',
    cluster: 'acme-dev',
    repo: 'acme/gitops',
    path: 'apps/acme-api',
    helmValueFiles: ['values-dev.yaml'],
    policy: 'auto-prune',
    deployed: [],
  },
  {
    name: 'acme-api-prod',
    tenant: 'acme',
    component: 'acme-api',
    environment: 'production',
    cluster: 'acme-prod',
    repo: 'acme/gitops',
    path: 'apps/acme-api',
    helmValueFiles: ['values-prod.yaml'],
    policy: 'manual',
    deployed: ['c1', 'HEAD'],
  },
  {
    name: 'globex-shop-dev',
    tenant: 'globex',
    component: 'globex-shop',
    environment: 'dev',
    cluster: 'globex-dev',
    repo: 'globex/gitops',
    path: 'apps/globex-shop/dev',
    policy: 'auto-prune-self-heal',
    deployed: ['HEAD'],
  },
  {
    name: 'globex-shop-prod',
    tenant: 'globex',
    component: 'globex-shop',
    environment: 'production',
    cluster: 'globex-prod',
    repo: 'globex/gitops',
    path: 'apps/globex-shop/prod',
    policy: 'manual',
    deployed: ['c1', 'HEAD'],
  },
  {
    name: 'globex-billing-dev',
    tenant: 'globex',
    component: 'globex-billing',
    environment: 'dev',
    cluster: 'globex-dev',
    repo: 'globex/gitops',
    path: 'apps/globex-billing/dev',
    policy: 'auto',
    deployed: ['HEAD'],
  },
  {
    // Created but never synced (manual, and production sits in a freeze): no history,
    // OutOfSync and Missing, as Argo CD shows an app nobody has deployed yet.
    name: 'globex-billing-prod',
    tenant: 'globex',
    component: 'globex-billing',
    environment: 'production',
    cluster: 'globex-prod',
    repo: 'globex/gitops',
    path: 'apps/globex-billing/prod',
    policy: 'manual',
    deployed: [],
  },
  CANARY_SEED_APP,
  ...CHART_ENVIRONMENTS.map(
    (env): SeedApp => ({
      name: workerAppName(env),
      tenant: 'acme',
      component: CHART_SERVICE,
      environment: env.environment,
      cluster: `acme-${env.file}`,
      repo: 'acme/gitops',
      path: '',
      policy: env.policy,
      deployed: ['HEAD'],
      chart: env,
    }),
  ),
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When each seeded commit and deployment happened, before the sandbox started: recent
 * enough that the portal shows "hours" or "days ago" rather than the age of fixed dates.
 */
const AGO = {
  globexC1: 4 * DAY,
  acmeC1: 3 * DAY,
  deployC1: 3 * DAY - 45 * MINUTE,
  acmeC2: 2 * DAY,
  deployC2: 2 * DAY - 20 * MINUTE,
  globexC2: 30 * HOUR,
  acmeC3: 20 * HOUR,
  deployHead: 3 * HOUR,
};

function rfc3339Before(now: Date, ms: number): string {
  return `${new Date(now.getTime() - ms).toISOString().slice(0, 19)}Z`;
}

/** Writes the seeded history of both tenants' repositories; returns the SHAs by step. */
async function seedRepositories(
  repos: SandboxRepositories,
  helm: SandboxHelmRepository,
  now: Date,
): Promise<Record<string, Record<string, string>>> {
  const at = (
    ago: number,
    author: { name: string; email: string },
  ): GitIdentity => ({ ...author, date: rfc3339Before(now, ago) });
  const shas: Record<string, Record<string, string>> = {
    'acme/gitops': {},
    'globex/gitops': {},
  };
  const web = 'apps/acme-web';
  await repos.create('acme/gitops');
  shas['acme/gitops'].c1 = await repos.commit('acme/gitops', {
    author: at(AGO.acmeC1, ALICE),
    message: 'Add acme-web, acme-api and acme-worker for dev, staging and prod',
    files: {
      'README.md':
        '# acme GitOps\n\nDesired state of the acme tenant, reconciled by Argo CD.\n',
      CODEOWNERS: codeowners('acme', [
        '/apps/*/overlays/prod/',
        '/apps/*/values-prod.yaml',
        '/argocd/*-prod.yaml',
      ]),
      [`${web}/base/deployment.yaml`]: deploymentYaml(
        'acme-web',
        'registry.acme.example/acme-web:1.3.0',
      ),
      [`${web}/base/service.yaml`]: serviceYaml('acme-web'),
      [`${web}/base/kustomization.yaml`]: kustomizationYaml([
        'deployment.yaml',
        'service.yaml',
      ]),
      [`${web}/overlays/dev/kustomization.yaml`]: kustomizationYaml(
        ['../../base'],
        [{ name: 'registry.acme.example/acme-web', newTag: '1.3.0' }],
      ),
      [`${web}/overlays/staging/kustomization.yaml`]: kustomizationYaml(
        ['../../base'],
        [{ name: 'registry.acme.example/acme-web', newTag: '1.3.0' }],
      ),
      [`${web}/overlays/prod/kustomization.yaml`]: kustomizationYaml(
        ['../../base'],
        [{ name: 'registry.acme.example/acme-web', newTag: '1.3.0' }],
      ),
      ...helmChartFiles(
        'apps/acme-api',
        'acme-api',
        'registry.acme.example/acme-api',
        { dev: '1.8.0', prod: '1.7.2' },
      ),
      ...workerGitFiles(helm.urlOf('acme'), repos.urlOf('acme/gitops')),
      ...canaryGitFiles(serviceYaml),
    },
  });
  shas['acme/gitops'].c2 = await repos.commit('acme/gitops', {
    author: at(AGO.acmeC2, ARJUN),
    message: 'Roll out acme-api 2.0.0 to prod',
    files: {
      'apps/acme-api/values-prod.yaml': 'image:\n  tag: "2.0.0-broken"\n',
    },
  });
  shas['acme/gitops'].c3 = await repos.commit('acme/gitops', {
    author: at(AGO.acmeC3, ALICE),
    message: 'Promote acme-web 1.4.0 to prod',
    files: {
      [`${web}/overlays/prod/kustomization.yaml`]: kustomizationYaml(
        ['../../base'],
        [{ name: 'registry.acme.example/acme-web', newTag: '1.4.0' }],
      ),
    },
  });

  await repos.create('globex/gitops');
  shas['globex/gitops'].c1 = await repos.commit('globex/gitops', {
    author: at(AGO.globexC1, BOB),
    message: 'Add globex-shop and globex-billing',
    files: {
      'README.md': '# globex GitOps\n',
      CODEOWNERS: codeowners('globex', ['/apps/*/prod/']),
      'apps/globex-shop/dev/deployment.yaml': deploymentYaml(
        'globex-shop',
        'registry.globex.example/shop:3.2.0',
        { replicas: 1 },
      ),
      'apps/globex-shop/dev/service.yaml': serviceYaml('globex-shop'),
      'apps/globex-shop/prod/deployment.yaml': deploymentYaml(
        'globex-shop',
        'registry.globex.example/shop:3.1.4',
        { replicas: 3 },
      ),
      'apps/globex-shop/prod/service.yaml': serviceYaml('globex-shop'),
      'apps/globex-billing/dev/deployment.yaml': deploymentYaml(
        'globex-billing',
        'registry.globex.example/billing:0.9.0',
        {
          replicas: 1,
          annotations: { 'sandbox.kupe.cloud/health': 'Degraded' },
        },
      ),
      'apps/globex-billing/prod/deployment.yaml': deploymentYaml(
        'globex-billing',
        'registry.globex.example/billing:0.9.0',
        { replicas: 2 },
      ),
    },
  });
  shas['globex/gitops'].c2 = await repos.commit('globex/gitops', {
    author: at(AGO.globexC2, BOB),
    message: 'Enable the new checkout in globex-shop dev',
    files: {
      'apps/globex-shop/dev/config.yaml': configMapYaml('globex-shop-flags', {
        NEW_CHECKOUT: 'true',
      }),
    },
  });
  return shas;
}

// Each step deploys after its commit, so no history entry predates the commit it deployed.
const DEPLOYED_AGO: Record<SeedApp['deployed'][number], number> = {
  c1: AGO.deployC1,
  c2: AGO.deployC2,
  HEAD: AGO.deployHead,
};

/**
 * Seeds the sandbox: Git repositories with real commits (only when `dataDir` has none yet),
 * AppProjects, clusters and one Application per entry of `APPS` (across every sync policy;
 * acme-worker's deploy a chart from acme's Helm repository, published here, with values from
 * Git), deployed so that they start in varied states. Commit and deployment dates lie hours to days before `now` (the
 * sandbox's start).
 */
export async function seedSandbox(
  fake: ArgoCdFake,
  controller: GitController,
  repos: SandboxRepositories,
  helm: SandboxHelmRepository,
  options: { now?: Date } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  // The Helm repository lives in memory: its charts are published on every start.
  for (const chart of workerCharts(ago => new Date(now.getTime() - ago)))
    helm.publish('acme', chart);
  let shas: Record<string, Record<string, string>> | undefined;
  if (!repos.exists('acme/gitops'))
    shas = await seedRepositories(repos, helm, now);

  for (const tenant of SANDBOX_TENANTS) {
    const project = `tenant-${tenant}`;
    fake.putProject({
      metadata: { name: project, labels: { [TENANT_LABEL]: tenant } },
      spec: {
        description: `Applications of tenant ${tenant}`,
        sourceRepos: [
          repos.urlOf(`${tenant}/*`).replace(/\.git$/, ''),
          helm.urlOf(tenant),
        ],
        destinations: [{ name: `${tenant}-*`, namespace: '*' }],
        namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
        syncWindows: SYNC_WINDOWS[tenant],
        roles: [
          {
            name: 'backstage',
            description: 'Kupe portal backend',
            policies: tenantRolePolicies(project, 'backstage'),
          },
          {
            name: 'developer',
            description: `Developers of ${tenant}`,
            policies: [
              `p, proj:${project}:developer, applications, get, ${project}/*, allow`,
              `p, proj:${project}:developer, applications, sync, ${project}/*, allow`,
            ],
            groups: [`${tenant}-devs`],
          },
          {
            name: 'viewer',
            description: 'Read only',
            policies: [
              `p, proj:${project}:viewer, applications, get, ${project}/*, allow`,
            ],
          },
        ],
      },
    });
    for (const environment of CLUSTERS[tenant]) {
      fake.putCluster(
        buildCluster({
          tenant,
          environment,
          server: `https://${tenant}-${environment}.sandbox.kupe.internal`,
        }),
      );
    }
  }

  for (const seed of APPS) {
    const namespace = seed.component;
    const sources = seed.chart
      ? {
          sources: workerSources(
            helm.urlOf(seed.tenant),
            repos.urlOf(seed.repo),
            seed.chart,
          ),
        }
      : {
          source: {
            repoURL: repos.urlOf(seed.repo),
            path: seed.path,
            targetRevision: 'main',
            ...(seed.helmValueFiles
              ? { helm: { valueFiles: seed.helmValueFiles } }
              : {}),
          },
        };
    const app: Application = {
      metadata: {
        name: seed.name,
        namespace: 'argocd',
        labels: {
          [TENANT_LABEL]: seed.tenant,
          [ENVIRONMENT_LABEL]: seed.environment,
          [KUBERNETES_ID_LABEL]: seed.component,
        },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: `tenant-${seed.tenant}`,
        ...sources,
        destination: { name: seed.cluster, namespace },
        syncPolicy: seed.chart
          ? workerSyncPolicy(seed.chart)
          : toArgoSyncPolicy(seed.policy, ['CreateNamespace=true']),
      },
      status: { sync: { status: '' }, health: {}, summary: {} },
    };
    fake.putApplication(app);
    const key = { name: seed.name, namespace: 'argocd' };
    for (const [i, step] of seed.deployed.entries()) {
      const revision =
        step === 'HEAD' || !shas ? 'main' : shas[seed.repo][step];
      await controller.deploy(
        key,
        seed.chart ? [seed.chart.chart, revision] : revision,
        {
          initiatedBy:
            seed.policy === 'manual'
              ? { username: i % 2 ? 'alice@acme.example' : 'admin' }
              : { automated: true },
          deployedAt: rfc3339Before(now, DEPLOYED_AGO[step]),
        },
      );
    }
    if (seed.deployed.length === 0) await controller.reconcile(key);
  }
  if (shas) {
    await seedDoraHistory(controller, {
      now,
      shas: shas['acme/gitops'],
      c3CommittedAgoMs: AGO.acmeC3,
    });
  }
}
