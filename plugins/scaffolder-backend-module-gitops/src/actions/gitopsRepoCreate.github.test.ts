import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitHubHost } from '@kupe/plugin-gitops-node';
import {
  GitHubApiError,
  type GitHubFake,
  LocalGitHub,
  gitHubMswHandlers,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import {
  TempDir,
  actionContext,
  argoCdWorld,
  commitsOf,
  fileAt,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createGitOpsRepoCreateAction } from './gitopsRepoCreate';

/** The scaffolder's GitHub App installation: its bot and installation token. */
const BOT = 'kupe-scaffolder';
const GITHUB_TOKEN = 'ghs_kupeTestInstallationToken0123456789';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// real git over smart HTTP: a few seconds per test, far more on a busy shared machine
jest.setTimeout(60_000);

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

/** The REST requests GitHub answered, as `METHOD /path?query`. */
function requestsOf(github: GitHubFake): string[] {
  return github.requests.map(
    r => `${r.method} ${r.path}${r.search ? `?${r.search}` : ''}`,
  );
}

/** The pull requests of acme/gitops, as the bot sees them. */
async function pullsOf(github: GitHubFake) {
  const { items } = await github.listPullRequests(
    BOT,
    'acme',
    'gitops',
    new URLSearchParams({ state: 'all' }),
  );
  return items;
}

/**
 * main of acme/gitops protected as GitHub protects it: merging needs a code owner's approval,
 * so a direct push is refused with GitHub's GH006 answer.
 */
function protectMain(github: GitHubFake) {
  github.protectBranch('acme/gitops', 'main', {
    requiredApprovingReviewCount: 1,
    requireCodeOwnerReviews: true,
  });
}

describe('kupe:gitops-repo:create on GitHub (GitHubFake REST + real git over smart HTTP)', () => {
  let tmp: TempDir;
  let gitHost: LocalGitHub;
  beforeEach(() => {
    tmp = new TempDir();
  });
  afterEach(async () => {
    await gitHost?.stop();
    tmp.cleanup();
  });

  async function setup(
    options: { token?: string; orgs?: string[] } = { token: GITHUB_TOKEN },
  ) {
    gitHost = await LocalGitHub.start({
      repositoriesRoot: tmp.path,
      users: [{ login: BOT, type: 'Bot', tokens: [GITHUB_TOKEN] }],
      organizations: (options.orgs ?? ['acme', 'globex']).map(login => ({
        login,
        members: [BOT],
      })),
    });
    const world = argoCdWorld(server, {
      sourceRepos: tenant => [`${gitHost.origin}/${tenant}/*`],
    });
    const github = gitHost.fake;
    server.use(...gitHubMswHandlers(github));
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [gitHost.integration(options.token)],
        },
      }),
    );
    const action = createGitOpsRepoCreateAction({
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
    const { action, github } = await setup();
    const { ctx, outputs } = actionContext(input(), { tmp: tmp.path });
    await action.handler(ctx as any);

    expect(requestsOf(github)).toEqual(['POST /orgs/acme/repos']);
    expect(await github.getRepository(BOT, 'acme', 'gitops')).toMatchObject({
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
    expect(gitHost.gitAuthorizations).toContain(
      `Basic ${Buffer.from(`x-access-token:${GITHUB_TOKEN}`).toString(
        'base64',
      )}`,
    );
    expect(filesContaining(tmp.path, GITHUB_TOKEN)).toEqual([]);
    expect(JSON.stringify(outputs)).not.toContain(GITHUB_TOKEN);
  });

  it('proposes a change to a protected main as a branch and a pull request; a re-run finds that pull request', async () => {
    const { action, github } = await setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    protectMain(github);
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
    expect(await pullsOf(github)).toEqual([
      expect.objectContaining({
        number: 1,
        state: 'open',
        head: expect.objectContaining({ ref: 'kupe-gitops/api' }),
        base: expect.objectContaining({ ref: 'main' }),
        title: 'Add api to GitOps',
      }),
    ]);
    expect(requestsOf(github)).toEqual([
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
    expect(await pullsOf(github)).toHaveLength(1);
    expect(requestsOf(github)).toEqual([
      'GET /repos/acme/gitops/pulls?state=open&head=acme%3Akupe-gitops%2Fapi&base=main',
    ]);
  });

  it("refuses a name another run has proposed with other content: that pull request's branch is not force-pushed over", async () => {
    const { action, github } = await setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    protectMain(github);
    const api = input({ name: 'api', catalogInfo: undefined });
    await action.handler(actionContext(api, { tmp: tmp.path }).ctx as any);
    const proposal = commitsOf(bare(), 'kupe-gitops/api');
    github.requests.length = 0;

    const other = actionContext(
      { ...api, image: 'registry.example.com/acme/other' },
      { tmp: tmp.path },
    );
    await expect(action.handler(other.ctx as any)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /^Service api already exists in .*acme\/gitops\.git \(apps\/api\/ on kupe-gitops\/api, commit [0-9a-f]{12}; owned by group:default\/team-acme; CODEOWNERS "\/apps\/api\/ @acme\/team-acme"; deploying registry\.example\.com\/acme\/web, registry\.example\.com\/acme\/web:1\.0\.0, registry\.example\.com\/acme\/web:1\.1\.0\), and this run asks for something else: .*Nothing was written\./,
      ),
    });
    expect(commitsOf(bare(), 'kupe-gitops/api')).toEqual(proposal);
    expect(requestsOf(github)).toEqual([]);
    expect(await pullsOf(github)).toHaveLength(1);
  });

  it('a pushed change to main is refused by branch protection, so directPush fails clearly without side effects', async () => {
    const { action, github } = await setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    protectMain(github);
    const before = commitsOf(bare());
    await expect(
      action.handler(
        actionContext(input({ name: 'api', directPush: true }), {
          tmp: tmp.path,
        }).ctx as any,
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /^Pushing api to .* \(main\) failed: git push failed: .*GH006: Protected branch update failed.*\. Nothing was written\. main is protected: run the template again without directPush to propose api as a pull request$/s,
      ),
    });
    expect(commitsOf(bare())).toEqual(before);
    expect(await pullsOf(github)).toEqual([]);
  });

  it('a pull request GitHub fails to open (502) after the branch was pushed: main untouched, the re-run reuses the branch and opens it', async () => {
    const { action, github } = await setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    protectMain(github);
    const mainBefore = commitsOf(bare());
    github.beforeNextRequest('POST', '/repos/acme/gitops/pulls', () => {
      throw new GitHubApiError(502, { message: 'Server Error' });
    });
    const api = input({ name: 'api', catalogInfo: undefined });
    await expect(
      action.handler(actionContext(api, { tmp: tmp.path }).ctx as any),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /^Branch kupe-gitops\/api of .*acme\/gitops\.git holds api, but opening its pull request failed: Server Error.*\. main is unchanged; running the template again reuses the branch and opens the pull request$/,
      ),
    });
    const [proposal] = commitsOf(bare(), 'kupe-gitops/api');
    expect(commitsOf(bare())).toEqual(mainBefore);
    expect(await pullsOf(github)).toEqual([]);

    const again = actionContext(api, { tmp: tmp.path });
    await action.handler(again.ctx as any);
    expect(again.outputs).toMatchObject({
      commitSha: proposal,
      pullRequestUrl: `${gitHost.origin}/acme/gitops/pull/1`,
    });
    expect(commitsOf(bare(), 'kupe-gitops/api')[0]).toBe(proposal);
    expect(await pullsOf(github)).toHaveLength(1);
  });

  it('finds the pull request another run opened between its list and its create (GitHub answers 422)', async () => {
    const { action, github } = await setup();
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    protectMain(github);
    // Another run opens the same pull request once this run has listed none.
    github.beforeNextRequest('POST', '/repos/acme/gitops/pulls', () =>
      github.createPullRequest(BOT, 'acme', 'gitops', {
        title: 'Add api to GitOps',
        head: 'kupe-gitops/api',
        base: 'main',
      }),
    );
    github.requests.length = 0;
    const api = input({ name: 'api', catalogInfo: undefined });
    const { ctx, outputs } = actionContext(api, { tmp: tmp.path });
    await action.handler(ctx as any);
    expect(outputs.pullRequestUrl).toBe(`${gitHost.origin}/acme/gitops/pull/1`);
    expect(await pullsOf(github)).toHaveLength(1);
    expect(github.requests.map(r => r.status)).toEqual([200, 422, 200]);
    expect(requestsOf(github)).toEqual([
      'GET /repos/acme/gitops/pulls?state=open&head=acme%3Akupe-gitops%2Fapi&base=main',
      'POST /repos/acme/gitops/pulls',
      'GET /repos/acme/gitops/pulls?state=open&head=acme%3Akupe-gitops%2Fapi&base=main',
    ]);
  });

  it('fails clearly when GitHub has the name git did not see (another run created it in between: 422), pushing nothing', async () => {
    const { action, github } = await setup();
    github.beforeNextRequest('POST', '/orgs/acme/repos', () =>
      github.createRepository(BOT, 'acme', { name: 'gitops', private: true }),
    );
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        "GitHub did not create acme/gitops: the name is taken, and the integration's credentials cannot read that repository",
      ),
    });
    expect(github.requests.map(r => r.status)).toEqual([422]);
    expect(commitsOf(bare())).toEqual([]);
  });

  it('fails clearly when the organization does not exist (404), pushing nothing', async () => {
    const { action } = await setup({ token: GITHUB_TOKEN, orgs: [] });
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('organization acme does not exist'),
    });
    expect(existsSync(bare())).toBe(false);
  });

  it('a push failing after GitHub created the repository leaves it empty; the re-run adopts it without creating it again', async () => {
    const { action, github } = await setup();
    github.refusePushes('acme/gitops', 'error: fatal error in commit_refs');
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toThrow(
      /GitHub created .*acme\/gitops.git, but pushing the layout to it failed: git push failed: .*fatal error in commit_refs.*running the template again pushes into it/s,
    );
    expect(commitsOf(bare())).toEqual([]);
    expect(requestsOf(github)).toEqual(['POST /orgs/acme/repos']);

    github.allowPushes('acme/gitops');
    const { ctx, outputs } = actionContext(input(), { tmp: tmp.path });
    await action.handler(ctx as any);
    expect(outputs.commitSha).toBe(commitsOf(bare())[0]);
    expect(requestsOf(github)).toEqual(['POST /orgs/acme/repos']);
  });

  it('without a token the host refuses git (401): the run fails before any API call and creates nothing', async () => {
    const { action, github } = await setup({ token: undefined });
    await expect(
      action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any),
    ).rejects.toThrow(/git ls-remote failed/);
    expect(github.requests).toEqual([]);
    expect(existsSync(bare())).toBe(false);
  });

  it('writes nothing in dry-run: no repository created, nothing pushed', async () => {
    const { action, github } = await setup();
    const { ctx, outputs } = actionContext(input(), {
      tmp: tmp.path,
      isDryRun: true,
    });
    await action.handler(ctx as any);
    expect(github.requests).toEqual([]);
    expect(existsSync(bare())).toBe(false);
    expect(outputs).toMatchObject({
      repoUrl: repoUrl(),
      changed: false,
      paths: { dev: 'apps/web/overlays/dev' },
    });
  });

  it("refuses a user of acme scaffolding into globex's GitHub repository before any call", async () => {
    const { action, github, fake } = await setup();
    await github.createRepository(BOT, 'globex', {
      name: 'gitops',
      private: true,
    });
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
    expect(gitHost.gitAuthorizations).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});
