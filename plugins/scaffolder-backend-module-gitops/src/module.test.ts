/*
 * The module's Git host extension point, replaced the way a platform would, and the
 * repository action shown to go through the replacement.
 */
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  type TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import {
  type GitHost,
  argoCdServiceRef,
  gitOpsScaffolderGitHostExtensionPoint,
  gitOpsTenantResolverServiceRef,
} from '@kupe/plugin-gitops-node';
import {
  LocalGitHub,
  buildGroup,
  gitHubMswHandlers,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import { join } from 'node:path';
import {
  TempDir,
  actionContext,
  argoCdWorld,
  commitsOf,
  tenantResolver,
} from './__testUtils__/testWorld';
import { gitOpsScaffolderModule } from './module';

const BOT = 'kupe-scaffolder';
const TOKEN = 'ghs_kupeModuleTestToken0123456789';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
// real git over smart HTTP
jest.setTimeout(60_000);

/**
 * A platform's host: the default GitHub host behind an audit trail of every call, as a
 * GitLab or Bitbucket host would be installed the same way.
 */
function auditedHost(inner: GitHost, calls: string[]): GitHost {
  const host = {} as Record<string, unknown>;
  for (const method of [
    'supports',
    'repositoryOf',
    'createRepository',
    'login',
    'setCommitStatus',
    'commitStatuses',
    'openPullRequests',
    'openPullRequestOf',
    'reviews',
    'ensurePullRequest',
  ] as const) {
    host[method] = (...args: unknown[]) => {
      calls.push(method);
      return (inner[method] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return host as unknown as GitHost;
}

describe('gitOpsScaffolderModule', () => {
  let tmp: TempDir;
  let github: LocalGitHub;
  beforeEach(async () => {
    tmp = new TempDir();
    github = await LocalGitHub.start({
      repositoriesRoot: tmp.path,
      users: [{ login: BOT, type: 'Bot', tokens: [TOKEN] }],
      organizations: [{ login: 'acme', members: [BOT] }],
    });
    server.use(...gitHubMswHandlers(github.fake));
  });
  afterEach(async () => {
    await github.stop();
    tmp.cleanup();
  });

  /** Starts the module (and `modules`); runs kupe:gitops-repo:create into a new repository. */
  async function createRepository(
    modules: Array<ReturnType<typeof createBackendModule>>,
  ) {
    const world = argoCdWorld(server, {
      sourceRepos: tenant => [`${github.origin}/${tenant}/*`],
    });
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: any[]) => void actions.push(...added) },
        ],
      ],
      features: [
        gitOpsScaffolderModule,
        ...modules,
        createServiceFactory({
          service: argoCdServiceRef,
          deps: {},
          factory: () => world.argoCd,
        }),
        createServiceFactory({
          service: gitOpsTenantResolverServiceRef,
          deps: {},
          factory: () => tenantResolver(),
        }),
        catalogServiceMock.factory({
          entities: [buildGroup('team-acme', { tenant: 'acme' })],
        }),
        mockServices.rootConfig.factory({
          data: { integrations: { github: [github.integration(TOKEN)] } },
        }),
      ],
    });
    const action = actions.find(a => a.id === 'kupe:gitops-repo:create')!;
    const { ctx, outputs } = actionContext(
      {
        repoUrl: `${github.origin}/acme/gitops.git`,
        tenant: 'acme',
        name: 'web',
        owner: 'group:default/team-acme',
        manifestType: 'kustomize' as const,
        image: 'registry.example.com/acme/web',
        port: 8080,
        environments: [{ name: 'dev', imageTag: '1.1.0', replicas: 1 }],
        targetBranch: 'main',
        directPush: false,
      },
      { tmp: tmp.path },
    );
    await action.handler(ctx as any);
    return outputs;
  }

  it('creates the repository through the default GitHub host without a module (the control)', async () => {
    const outputs = await createRepository([]);
    expect(outputs.commitSha).toBe(
      commitsOf(join(tmp.path, 'acme/gitops.git'))[0],
    );
    expect(github.fake.requests.map(r => `${r.method} ${r.path}`)).toContain(
      'POST /orgs/acme/repos',
    );
  });

  it('goes through the host a scaffolder module sets with gitOpsScaffolderGitHostExtensionPoint', async () => {
    const calls: string[] = [];
    const hostModule = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'audited-git-host',
      register(env) {
        env.registerInit({
          deps: { hosts: gitOpsScaffolderGitHostExtensionPoint },
          async init({ hosts }) {
            hosts.setGitHost(({ getDefault }) =>
              auditedHost(getDefault(), calls),
            );
          },
        });
      },
    });
    const outputs = await createRepository([hostModule]);
    expect(calls).toEqual(
      expect.arrayContaining(['supports', 'createRepository']),
    );
    expect(outputs.commitSha).toBe(
      commitsOf(join(tmp.path, 'acme/gitops.git'))[0],
    );
  });
});
