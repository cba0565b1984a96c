import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type BackendFeature,
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { SyncPolicyMode } from '@kupe/plugin-gitops-common';
import { GitWorkingCopy, runGit } from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  SimpleController,
  argoCdMswHandlers,
  buildApplication,
  buildCluster,
  buildTenantProject,
  LocalGitHub,
  TEST_IDENTITY_ORIGIN,
  buildGroup,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import gitOpsPlugin from '../../index';

export const ARGOCD = 'http://argocd-gitops-ops.test';
/** The portal's integration token (user kupe-bot) and an approver's (carol), both in org acme. */
const GITHUB_TOKEN = 'ghp_gitOperationsTestToken0123456789';
export const APPROVER_TOKEN = 'ghp_carolApproverToken0123456789';
/** GitHub tokens of alice and arjun (both acme, team acme-devs), for reviews. */
export const USER_TOKENS = {
  alice: 'ghp_aliceReviewerToken0123456789',
  arjun: 'ghp_arjunReviewerToken0123456789',
};
/** The route of an application of the world's Argo CD instance. */
export const app = (name: string) =>
  `/api/gitops/instances/main/applications/${name}`;

/** The headers of a request signed in as `user`. */
export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

export const users = {
  alice: 'user:default/alice', // acme
  arjun: 'user:default/arjun', // acme
  bob: 'user:default/bob', // globex
};
const memberships: Record<string, string[]> = {
  [users.alice]: ['group:default/acme-team'],
  [users.arjun]: ['group:default/acme-team'],
  [users.bob]: ['group:default/globex-team'],
};
/** A User from the identity provider, with its GitHub login as GitHub org ingestion sets it. */
const user = (name: string, group: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      [ANNOTATION_ORIGIN_LOCATION]: TEST_IDENTITY_ORIGIN,
      'github.com/user-login': name,
    },
  },
  spec: { memberOf: [group] },
});
// Groups from the platform's identity provider: trusted for tenant membership.
const group = (name: string, tenant: string): Entity =>
  buildGroup(name, { tenant });

const author = { name: 'Alice Schmidt', email: 'alice@acme.example' };

export const kustomization = (tag: string) =>
  [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    '# the overlay pins the image',
    'resources:',
    '  - ../../base',
    'images:',
    '  - name: registry.acme.example/acme-web',
    `    newTag: "${tag}"`,
    '',
  ].join('\n');

export const deploymentYaml = (name: string, image: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  replicas: 2 # per environment',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: ${image}`,
    '',
  ].join('\n');

const values = (tag: string) => `image:\n  tag: "${tag}"\n`;

const REDIS_REPOSITORY = 'https://charts.bitnami.com/bitnami';
/** An umbrella chart per environment: its version is its own and its dependency's. */
const umbrellaChart = (version: string, redis: string) =>
  [
    'apiVersion: v2',
    'name: acme-cache',
    'description: Redis for acme, one chart directory per environment',
    `version: ${version}`,
    'dependencies:',
    '  - name: redis',
    `    version: ${redis} # pinned`,
    `    repository: ${REDIS_REPOSITORY}`,
    '',
  ].join('\n');
/** A Chart.lock as `helm dependency update` writes it (the digest stands in for Helm's). */
const chartLock = (redis: string) =>
  [
    'dependencies:',
    '- name: redis',
    `  repository: ${REDIS_REPOSITORY}`,
    `  version: ${redis}`,
    `digest: sha256:${Buffer.from(`redis-${redis}`)
      .toString('hex')
      .padEnd(64, '0')}`,
    'generated: "2026-11-20T10:00:00.000000000Z"',
    '',
  ].join('\n');

/**
 * The acme GitOps repository, oldest first:
 * c1 all three services in dev, staging and prod;
 * c2 acme-web dev 1.4.0 and acme-api dev 1.9.0 (values-dev) and acme-shop dev 3.1.0;
 * c3 acme-api prod values only; c4 acme-web dev 1.5.0 and a new file in the dev overlay;
 * c5 acme-api: shared templates change, staging and prod values in one commit.
 * acme-cache (an umbrella chart per environment, redis dependency): dev, staging 0.1.0 with
 * redis 18.0.0 and prod 0.0.9 with redis 17.9.0 vendored under charts/ in c1; dev 0.2.0 with
 * redis 18.1.0 in c2.
 */
const ACME_COMMITS: Array<{ message: string; files: Record<string, string> }> =
  [
    {
      message: 'Add acme-web, acme-api and acme-shop',
      files: {
        'README.md': '# acme\n',
        'apps/acme-web/base/deployment.yaml': deploymentYaml(
          'acme-web',
          'registry.acme.example/acme-web:1.0.0',
        ),
        'apps/acme-web/base/kustomization.yaml':
          'resources:\n  - deployment.yaml\n',
        'apps/acme-web/overlays/dev/kustomization.yaml': kustomization('1.3.0'),
        'apps/acme-web/overlays/staging/kustomization.yaml':
          kustomization('1.3.0'),
        'apps/acme-web/overlays/prod/kustomization.yaml':
          kustomization('1.2.0'),
        'apps/acme-api/Chart.yaml':
          'apiVersion: v2\nname: acme-api\nversion: 0.4.0\n',
        'apps/acme-api/values.yaml':
          'replicaCount: 2\nimage:\n  repository: registry.acme.example/acme-api\n  tag: "1.0.0"\n',
        'apps/acme-api/templates/deployment.yaml': deploymentYaml(
          'acme-api',
          '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
        ),
        'apps/acme-api/values-dev.yaml': values('1.8.0'),
        'apps/acme-api/values-staging.yaml': `# staging\n${values('1.7.0')}`,
        'apps/acme-api/values-prod.yaml': values('1.6.0'),
        'apps/acme-cache/dev/Chart.yaml': umbrellaChart('0.1.0', '18.0.0'),
        'apps/acme-cache/dev/Chart.lock': chartLock('18.0.0'),
        'apps/acme-cache/staging/Chart.yaml': umbrellaChart('0.1.0', '18.0.0'),
        'apps/acme-cache/staging/Chart.lock': chartLock('18.0.0'),
        'apps/acme-cache/prod/Chart.yaml': umbrellaChart('0.0.9', '17.9.0'),
        'apps/acme-cache/prod/Chart.lock': chartLock('17.9.0'),
        // Stands in for the archive `helm dependency update` vendors.
        'apps/acme-cache/prod/charts/redis-17.9.0.tgz':
          'vendored redis chart\n',
        ...Object.fromEntries(
          ['dev', 'staging', 'prod'].map(env => [
            `apps/acme-cache/${env}/values.yaml`,
            'redis:\n  architecture: standalone\n',
          ]),
        ),
        ...Object.fromEntries(
          ['dev', 'staging', 'prod'].map(env => [
            `apps/acme-shop/${env}/deployment.yaml`,
            deploymentYaml(
              'acme-shop',
              'registry.acme.example/acme-shop:3.0.0',
            ),
          ]),
        ),
      },
    },
    {
      message: 'Ship acme-web 1.4.0, acme-api 1.9.0 and acme-shop 3.1.0 to dev',
      files: {
        'apps/acme-web/overlays/dev/kustomization.yaml': kustomization('1.4.0'),
        'apps/acme-api/values-dev.yaml': values('1.9.0'),
        'apps/acme-shop/dev/deployment.yaml': deploymentYaml(
          'acme-shop',
          'registry.acme.example/acme-shop:3.1.0',
        ),
        'apps/acme-cache/dev/Chart.yaml': umbrellaChart('0.2.0', '18.1.0'),
        'apps/acme-cache/dev/Chart.lock': chartLock('18.1.0'),
      },
    },
    {
      message: 'Pin acme-api prod',
      files: { 'apps/acme-api/values-prod.yaml': values('1.6.1') },
    },
    {
      message: 'Ship acme-web 1.5.0 to dev with a config map',
      files: {
        'apps/acme-web/overlays/dev/kustomization.yaml': kustomization('1.5.0'),
        'apps/acme-web/overlays/dev/config.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
      },
    },
    {
      message: 'acme-api: probes, staging and prod 1.7.5',
      files: {
        'apps/acme-api/templates/deployment.yaml': `${deploymentYaml(
          'acme-api',
          '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
        )}# probes\n`,
        'apps/acme-api/values-staging.yaml': `# staging\n${values('1.7.5')}`,
        'apps/acme-api/values-prod.yaml': values('1.7.5'),
      },
    },
  ];

export interface World {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  fake: ArgoCdFake;
  root: string;
  acmeRepo: string;
  acmeUrl: string;
  github?: LocalGitHub;
  /** SHAs of c1..c5, index 0 = c1. */
  shas: string[];
  audits: Array<{
    eventId: string;
    meta: unknown;
    outcome?: Record<string, unknown>;
  }>;
  logs: string[];
  secrets: string[];
  /** Runs a task the plugin scheduled (e.g. `gitops-four-eyes`) now, to its end. */
  runTask(id: string): Promise<void>;
  /** Runs git in the bare acme repository (as Alice, for commands that commit). */
  git(args: string[]): Promise<string>;
  /** Commits `files` on main (as Alice, through a fresh clone) and returns the new SHA. */
  commit(message: string, files: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A gitops backend over the Argo CD fake whose applications deploy from a real bare git
 * repository (file URL, allowed by `gitops.gitOperations.allowLocalRepositories`).
 */
export async function startGitOperationsWorld(
  options: {
    permissions?: ReturnType<typeof mockServices.permissions.mock>;
    /** Serve the repository from a GitHub double with an `integrations.github` entry. */
    github?: boolean;
    /** `gitops.gitOperations.directCommitEnvironments`, default ['dev']. */
    directCommitEnvironments?: string[];
    /**
     * With `github`: main is protected as the README asks for four eyes (one approval, stale
     * approvals dismissed, `kupe/four-eyes` required from the portal's login).
     */
    fourEyes?: boolean;
    /** More features for the backend, such as a module of the gitops plugin. */
    features?: BackendFeature[];
  } = {},
): Promise<World> {
  const root = await mkdtemp(join(tmpdir(), 'kupe-gitops-ops-'));
  const acmeRepo = join(root, 'git', 'acme', 'gitops.git');
  await runGit([
    'init',
    '--bare',
    '--quiet',
    '--initial-branch=main',
    acmeRepo,
  ]);
  const fileUrl = pathToFileURL(acmeRepo).toString();
  const github = options.github
    ? await LocalGitHub.start({
        repositoriesRoot: join(root, 'git'),
        users: [
          { login: 'kupe-bot', type: 'Bot', tokens: [GITHUB_TOKEN] },
          { login: 'carol', tokens: [APPROVER_TOKEN] },
          { login: 'alice', tokens: [USER_TOKENS.alice] },
          { login: 'arjun', tokens: [USER_TOKENS.arjun] },
        ],
        organizations: [
          {
            login: 'acme',
            members: ['kupe-bot', 'carol', 'alice', 'arjun'],
            teams: { 'acme-devs': ['alice', 'arjun'] },
          },
        ],
      })
    : undefined;
  if (github && options.fourEyes) {
    github.fake.protectBranch('acme/gitops', 'main', {
      requiredApprovingReviewCount: 1,
      dismissStaleReviews: true,
      requiredStatusChecks: [{ context: 'kupe/four-eyes', source: 'kupe-bot' }],
    });
  }
  const acmeUrl = github ? `${github.origin}/acme/gitops.git` : fileUrl;
  const seed = await GitWorkingCopy.open({
    remoteUrl: fileUrl,
    branch: 'main',
    dir: join(root, 'seed'),
  });
  const shas: string[] = [];
  for (const commit of ACME_COMMITS) {
    await seed.writeFiles(commit.files);
    shas.push((await seed.commitIfChanged(commit.message, author)).sha!);
  }
  await seed.push('main');

  const fake = new ArgoCdFake({
    controller: new SimpleController({ stepMs: 5 }),
  });
  for (const tenant of ['acme', 'globex']) {
    fake.putProject(
      buildTenantProject({ tenant, roles: [{ name: 'backstage' }] }),
    );
    for (const env of ['dev', 'staging', 'prod'])
      fake.putCluster(buildCluster({ tenant, environment: env }));
  }
  const put = (o: {
    name: string;
    component: string;
    environment: string;
    path: string;
    revision: string;
    valueFiles?: string[];
    syncPolicy?: SyncPolicyMode;
    tenant?: string;
    repoURL?: string;
  }) => {
    const built = buildApplication({
      name: o.name,
      tenant: o.tenant ?? 'acme',
      component: o.component,
      environment: o.environment,
      repoURL: o.repoURL ?? acmeUrl,
      path: o.path,
      targetRevision: 'main',
      revision: o.revision,
      syncPolicy: o.syncPolicy ?? 'auto-self-heal',
    });
    if (o.valueFiles) built.spec!.source!.helm = { valueFiles: o.valueFiles };
    fake.putApplication(built);
  };
  const [c1, c2, , c4, c5] = shas;
  put({ name: 'acme-web-dev', component: 'acme-web', environment: 'dev', path: 'apps/acme-web/overlays/dev', revision: c4 }); // prettier-ignore
  put({ name: 'acme-web-staging', component: 'acme-web', environment: 'staging', path: 'apps/acme-web/overlays/staging', revision: c1 }); // prettier-ignore
  put({ name: 'acme-web-prod', component: 'acme-web', environment: 'prod', path: 'apps/acme-web/overlays/prod', revision: c1 }); // prettier-ignore
  for (const env of ['dev', 'staging', 'prod']) {
    put({
      name: `acme-api-${env}`,
      component: 'acme-api',
      environment: env,
      path: 'apps/acme-api',
      valueFiles: [`values-${env}.yaml`],
      revision: env === 'dev' ? c2 : c5,
    });
  }
  for (const env of ['dev', 'staging', 'prod']) {
    put({
      name: `acme-cache-${env}`,
      component: 'acme-cache',
      environment: env,
      path: `apps/acme-cache/${env}`,
      revision: env === 'dev' ? c2 : c1,
    });
  }
  // Found by repository and service directory: no kubernetes-id label.
  for (const env of ['dev', 'staging']) {
    const built = buildApplication({
      name: `acme-shop-${env}`,
      tenant: 'acme',
      environment: env,
      repoURL: acmeUrl,
      path: `apps/acme-shop/${env}`,
      targetRevision: 'main',
      revision: env === 'dev' ? c2 : c1,
    });
    fake.putApplication(built);
  }
  // A chart from a Helm repository: its version is the Application's targetRevision.
  for (const [env, version] of [
    ['dev', '15.1.0'],
    ['staging', '15.0.0'],
  ]) {
    const chart = buildApplication({
      name: `acme-charts-${env}`,
      tenant: 'acme',
      component: 'acme-charts',
      environment: env,
      repoURL: 'https://charts.example.com',
      targetRevision: version,
    });
    delete chart.spec!.source!.path;
    chart.spec!.source!.chart = 'nginx';
    fake.putApplication(chart);
  }
  // Tracking the remote's default branch, and a fixed commit.
  for (const [name, targetRevision] of [
    ['acme-head-dev', 'HEAD'],
    ['acme-pinned-dev', c1],
  ]) {
    const pinned = buildApplication({
      name,
      tenant: 'acme',
      component: name,
      environment: 'dev',
      repoURL: acmeUrl,
      path: 'apps/acme-web/overlays/dev',
      targetRevision,
      revision: c4,
    });
    fake.putApplication(pinned);
  }
  put({
    name: 'globex-shop-dev',
    tenant: 'globex',
    component: 'globex-shop',
    environment: 'dev',
    path: 'apps/globex-shop/dev',
    // Never cloned: access is refused before any git command.
    repoURL: pathToFileURL(join(root, 'globex-does-not-exist.git')).toString(),
    revision: c1,
  });
  const tokens = {
    acme: fake.issueToken('proj:tenant-acme:backstage'),
    globex: fake.issueToken('proj:tenant-globex:backstage'),
  };

  const msw = setupServer(...argoCdMswHandlers(fake, ARGOCD));
  msw.listen({ onUnhandledRequest: 'bypass' });

  const logs: string[] = [];
  const logger: LoggerService = {
    error: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    warn: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    info: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    debug: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    child: () => logger,
  };
  const audits: World['audits'] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async opts => {
      const record: World['audits'][number] = {
        eventId: opts.eventId,
        meta: opts.meta,
      };
      audits.push(record);
      return {
        success: async o =>
          void (record.outcome = { status: 'succeeded', meta: o?.meta }),
        fail: async o =>
          void (record.outcome = {
            status: 'failed',
            message: o.error.message,
          }),
      };
    },
  });

  const tasks = new Map<string, () => Promise<void>>();
  const { server } = await startTestBackend({
    features: [
      mockServices.scheduler.mock({
        scheduleTask: async task => {
          tasks.set(task.id, async () => {
            await task.fn(new AbortController().signal);
          });
        },
      }).factory,
      gitOpsPlugin,
      ...(options.features ?? []),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      catalogServiceMock.factory({
        entities: [
          group('acme-team', 'acme'),
          group('globex-team', 'globex'),
          user('alice', 'acme-team'),
          user('arjun', 'acme-team'),
          user('bob', 'globex-team'),
          // The service whose versions the quarantine tests mark bad.
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'acme-web',
              namespace: 'default',
              annotations: {
                'argocd/app-selector': 'backstage.io/kubernetes-id=acme-web',
              },
            },
            spec: {
              type: 'service',
              lifecycle: 'production',
              owner: 'group:default/acme-team',
            },
          },
        ],
      }),
      auditor.factory,
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
          };
        },
      }).factory,
      options.permissions?.factory ??
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          ...(github
            ? { integrations: { github: [github.integration(GITHUB_TOKEN)] } }
            : {}),
          gitops: {
            tenancy: { trustedOrigins: [TEST_IDENTITY_ORIGIN] },
            instances: [
              {
                name: 'main',
                url: ARGOCD,
                token: ArgoCdFake.adminToken,
                projectTokens: tokens,
              },
            ],
            gitOperations: {
              directCommitEnvironments: options.directCommitEnvironments ?? [
                'dev',
              ],
              allowLocalRepositories: true,
              // The tests push from outside and read at once.
              readFreshness: { milliseconds: 0 },
            },
            backend: { index: { readyTimeoutMs: 3000 } },
          },
        },
      }),
    ],
  });

  return {
    server,
    fake,
    root,
    acmeRepo,
    acmeUrl,
    github,
    shas,
    audits,
    logs,
    secrets: [
      ArgoCdFake.adminToken,
      ...Object.values(tokens),
      GITHUB_TOKEN,
      Buffer.from(`x-access-token:${GITHUB_TOKEN}`).toString('base64'),
    ],
    git: args =>
      runGit(args, {
        cwd: acmeRepo,
        env: {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: author.name,
          GIT_COMMITTER_EMAIL: author.email,
        },
      }),
    async runTask(id) {
      const task = tasks.get(id);
      if (!task) throw new Error(`No task ${id} was scheduled`);
      await task();
    },
    async commit(message, files) {
      const copy = await GitWorkingCopy.open({
        remoteUrl: fileUrl,
        branch: 'main',
        dir: await mkdtemp(join(root, 'commit-')),
      });
      await copy.writeFiles(files);
      const { sha } = await copy.commitIfChanged(message, author);
      await copy.push('main');
      return sha!;
    },
    async stop() {
      fake.close();
      msw.close();
      server.close();
      await github?.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
