import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitHubHost } from '@kupe/plugin-gitops-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import {
  GITHUB_API,
  GITHUB_TOKEN,
  GitHubApiDouble,
} from '../__testUtils__/gitHubApi';
import { GitHttpServer } from '@kupe/plugin-gitops-node/testUtils';
import {
  TempDir,
  actionContext,
  argoCdWorld,
  commitsOf,
  fileAt,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createGitopsRepoCreateAction } from './gitopsRepoCreate';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Every file under `dir` whose content contains `text`. */
function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory())
      found.push(...filesContaining(path, text));
    else if (readFileSync(path).includes(text)) found.push(path);
  }
  return found;
}

describe('kupe:gitops-repo:create on GitHub (REST API double + real git over smart HTTP)', () => {
  let tmp: TempDir;
  let gitHost: GitHttpServer;
  beforeEach(async () => {
    tmp = new TempDir();
    gitHost = await GitHttpServer.start({
      root: tmp.path,
      token: GITHUB_TOKEN,
    });
  });
  afterEach(async () => {
    await gitHost.stop();
    tmp.cleanup();
  });

  function setup(
    options: { token?: string; orgs?: string[] } = { token: GITHUB_TOKEN },
  ) {
    const world = argoCdWorld(server, {
      sourceRepos: tenant => [`${gitHost.origin}/${tenant}/*`],
    });
    const github = new GitHubApiDouble(gitHost, {
      orgs: options.orgs ?? ['acme', 'globex'],
    });
    server.use(...github.handlers());
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: gitHost.host,
              apiBaseUrl: GITHUB_API,
              ...(options.token ? { token: options.token } : {}),
            },
          ],
        },
      }),
    );
    const action = createGitopsRepoCreateAction({
      integrations,
      argoCd: world.argoCd,
      tenants: tenantResolver(),
      github: new GitHubHost(integrations),
    });
    return { ...world, github, action };
  }

  const repoUrl = () => `${gitHost.origin}/acme/gitops.git`;
  const bare = () => join(tmp.path, 'acme/gitops.git');
  function input(overrides: Record<string, unknown> = {}) {
    return {
      repoUrl: repoUrl(),
      tenant: 'acme',
      name: 'web',
      owner: 'group:default/team-acme',
      manifestType: 'kustomize' as const,
      image: 'registry.example.com/acme/web',
      port: 8080,
      environments: [
        { name: 'dev', imageTag: '1.1.0', replicas: 1 },
        { name: 'production', imageTag: '1.0.0', replicas: 3 },
      ],
      targetBranch: 'main',
      directPush: false,
      catalogInfo: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'web' },
        spec: {
          type: 'service',
          lifecycle: 'experimental',
          owner: 'team-acme',
        },
      },
      ...overrides,
    };
  }

  it('creates a missing repository through the API, then pushes the layout with git', async () => {
    const { action, github } = setup();
    const { ctx, outputs } = actionContext(input(), { tmp: tmp.path });
    await action.handler(ctx as any);

    expect(github.requests).toEqual(['POST /orgs/acme/repos']);
    expect(github.repositories.get('acme/gitops')).toEqual({
      private: true,
      description: 'GitOps repository of tenant acme',
    });
    const [head, ...older] = commitsOf(bare());
    expect(older).toEqual([]);
    expect(outputs).toEqual({
      repoUrl: repoUrl(),
      commitSha: head,
      changed: true,
      paths: {
        dev: 'apps/web/overlays/dev',
        production: 'apps/web/overlays/production',
      },
      catalogInfoPath: 'apps/web/catalog-info.yaml',
      catalogInfoUrl: `${gitHost.origin}/acme/gitops/blob/main/apps/web/catalog-info.yaml`,
    });
    expect(parse(fileAt(bare(), 'kupe-gitops.yaml')).tenant).toBe('acme');
    expect(
      parse(fileAt(bare(), 'apps/web/overlays/dev/kustomization.yaml')).images,
    ).toEqual([{ name: 'registry.example.com/acme/web', newTag: '1.1.0' }]);
    // git authenticated with the integration's token, which no file of the run kept.
    expect(gitHost.authorizations).toContain(
      `Basic ${Buffer.from(`x-access-token:${GITHUB_TOKEN}`).toString(
        'base64',
      )}`,
    );
    expect(filesContaining(tmp.path, GITHUB_TOKEN)).toEqual([]);
    expect(JSON.stringify(outputs)).not.toContain(GITHUB_TOKEN);
  });

  it('proposes a change to a protected main as a branch and a pull request; a re-run finds that pull request', async () => {
    const { action, github } = setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    github.addRepository('acme/gitops', { protectMain: true });
    const mainBefore = commitsOf(bare());
    github.requests.length = 0;

    const api = input({ name: 'api', catalogInfo: undefined });
    const first = actionContext(api, { tmp: tmp.path });
    await action.handler(first.ctx as any);

    expect(commitsOf(bare())).toEqual(mainBefore);
    const [proposal] = commitsOf(bare(), 'kupe-gitops/api');
    expect(first.outputs).toEqual({
      repoUrl: repoUrl(),
      commitSha: proposal,
      changed: true,
      paths: {
        dev: 'apps/api/overlays/dev',
        production: 'apps/api/overlays/production',
      },
      pullRequestUrl: `${gitHost.origin}/acme/gitops/pull/1`,
    });
    expect(fileAt(bare(), 'CODEOWNERS', 'kupe-gitops/api')).toContain(
      '/apps/api/ @acme/team-acme',
    );
    expect(github.pulls.get('acme/gitops')).toEqual([
      expect.objectContaining({
        number: 1,
        state: 'open',
        head: 'kupe-gitops/api',
        base: 'main',
        title: 'Add api to GitOps',
      }),
    ]);
    expect(github.requests).toEqual([
      'GET /repos/acme/gitops/pulls?state=open&head=acme%3Akupe-gitops%2Fapi&base=main',
      'POST /repos/acme/gitops/pulls',
    ]);

    github.requests.length = 0;
    const again = actionContext(api, { tmp: tmp.path });
    await action.handler(again.ctx as any);
    expect(again.outputs).toEqual({ ...first.outputs, changed: false });
    expect(commitsOf(bare(), 'kupe-gitops/api')).toEqual([
      proposal,
      ...mainBefore,
    ]);
    expect(github.pulls.get('acme/gitops')).toHaveLength(1);
    expect(github.requests).toEqual([
      'GET /repos/acme/gitops/pulls?state=open&head=acme%3Akupe-gitops%2Fapi&base=main',
    ]);
  });

  it('a pushed change to main is refused by branch protection, so directPush fails clearly without side effects', async () => {
    const { action, github } = setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    github.addRepository('acme/gitops', { protectMain: true });
    const before = commitsOf(bare());
    await expect(
      action.handler(
        actionContext(input({ name: 'api', directPush: true }), {
          tmp: tmp.path,
        }).ctx as any,
      ),
    ).rejects.toThrow(/GH006: Protected branch update failed/);
    expect(commitsOf(bare())).toEqual(before);
    expect(github.pulls.get('acme/gitops')).toBeUndefined();
  });

  it('finds the pull request another run opened between its list and its create (GitHub answers 422)', async () => {
    const { action, github } = setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    github.addRepository('acme/gitops', { protectMain: true });
    const api = input({ name: 'api', catalogInfo: undefined });
    await action.handler(actionContext(api, { tmp: tmp.path }).ctx as any);
    // The next list answers from before the other run's create.
    server.use(
      http.get(
        `${GITHUB_API}/repos/acme/gitops/pulls`,
        () => HttpResponse.json([]),
        { once: true },
      ),
    );
    github.requests.length = 0;
    const { ctx, outputs } = actionContext(api, { tmp: tmp.path });
    await action.handler(ctx as any);
    expect(outputs.pullRequestUrl).toBe(`${gitHost.origin}/acme/gitops/pull/1`);
    expect(github.pulls.get('acme/gitops')).toHaveLength(1);
    expect(github.requests).toEqual([
      'POST /repos/acme/gitops/pulls',
      'GET /repos/acme/gitops/pulls?state=open&head=acme%3Akupe-gitops%2Fapi&base=main',
    ]);
  });

  it('fails clearly when GitHub has the name but the token cannot read it (422), pushing nothing', async () => {
    const { action, github } = setup();
    github.repositories.set('acme/gitops', {
      private: true,
      description: null,
    });
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        "GitHub did not create acme/gitops: the name is taken, and the integration's credentials cannot read that repository",
      ),
    });
    expect(commitsOf(bare())).toEqual([]);
  });

  it('fails clearly when the organization does not exist (404), pushing nothing', async () => {
    const { action } = setup({ token: GITHUB_TOKEN, orgs: [] });
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('organization acme does not exist'),
    });
    expect(commitsOf(bare())).toEqual([]);
  });

  it('a push failing after GitHub created the repository leaves it empty; the re-run adopts it without creating it again', async () => {
    const { action, github } = setup();
    github.failPushes = true;
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toThrow(
      /GitHub created .*acme\/gitops.git, but pushing the layout to it failed: git push failed: .*fatal error in commit_refs.*running the template again pushes into it/s,
    );
    expect(commitsOf(bare())).toEqual([]);
    expect(github.requests).toEqual(['POST /orgs/acme/repos']);

    github.allowPushes('acme/gitops');
    const { ctx, outputs } = actionContext(input(), { tmp: tmp.path });
    await action.handler(ctx as any);
    expect(outputs.commitSha).toBe(commitsOf(bare())[0]);
    expect(github.requests).toEqual(['POST /orgs/acme/repos']);
  });

  it('without a token the host refuses git (401): the run fails before any API call and creates nothing', async () => {
    const { action, github } = setup({ token: undefined });
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toThrow(/git ls-remote failed/);
    expect(github.requests).toEqual([]);
    expect(github.repositories.size).toBe(0);
  });

  it('writes nothing in dry-run: no repository created, nothing pushed', async () => {
    const { action, github } = setup();
    const { ctx, outputs } = actionContext(input(), {
      tmp: tmp.path,
      isDryRun: true,
    });
    await action.handler(ctx as any);
    expect(github.requests).toEqual([]);
    expect(github.repositories.size).toBe(0);
    expect(commitsOf(bare())).toEqual([]);
    expect(outputs).toMatchObject({
      repoUrl: repoUrl(),
      changed: false,
      paths: { dev: 'apps/web/overlays/dev' },
    });
  });

  it("refuses a user of acme scaffolding into globex's GitHub repository before any call", async () => {
    const { action, github, fake } = setup();
    github.addRepository('globex/gitops');
    fake.clearRequests();
    const { ctx } = actionContext(
      input({
        tenant: 'globex',
        repoUrl: `${gitHost.origin}/globex/gitops.git`,
      }),
      { tmp: tmp.path },
    );
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(github.requests).toEqual([]);
    expect(gitHost.authorizations).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});
