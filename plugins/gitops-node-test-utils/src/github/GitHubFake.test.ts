import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { setupServer } from 'msw/node';
import { GitHubHost } from '@kupe/plugin-gitops-node';
import { GitHubFake } from './GitHubFake';
import { gitHubMswHandlers } from './gitHubMswHandlers';

const WEB = 'http://git.example.test';
const TOKENS = {
  bot: 'ghs_portalBotToken000000000000000000',
  alice: 'ghp_alice000000000000000000000000000000',
  arjun: 'ghp_arjun000000000000000000000000000000',
  bob: 'ghp_bob00000000000000000000000000000000',
};

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.test',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.test',
    },
  });
}

// real git: a few seconds per test on a busy machine
jest.setTimeout(30_000);

describe('GitHubFake', () => {
  let dir: string;
  let fake: GitHubFake;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'github-fake-'));
    fake = new GitHubFake({
      repositoriesRoot: join(dir, 'repos'),
      webUrl: WEB,
      users: [
        { login: 'kupe-portal', type: 'Bot', tokens: [TOKENS.bot] },
        {
          login: 'alice',
          name: 'Alice',
          email: 'alice@acme.example',
          tokens: [TOKENS.alice],
        },
        { login: 'arjun', tokens: [TOKENS.arjun] },
        { login: 'bob', tokens: [TOKENS.bob] },
      ],
      organizations: [
        {
          login: 'acme',
          members: ['kupe-portal', 'alice', 'arjun'],
          teams: { 'acme-devs': ['alice', 'arjun'] },
        },
        { login: 'globex', members: ['kupe-portal', 'bob'] },
      ],
    });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function api(
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const response = await fake.handle(
      new Request(`${WEB}/api/v3${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `token ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      }),
    );
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  /** A working clone of the bare repository, pushing over the file path. */
  function clone(fullName: string): string {
    const work = join(dir, 'work', `${fullName}-${Math.random()}`);
    mkdirSync(dirname(work), { recursive: true });
    git(['clone', '--quiet', join(dir, 'repos', `${fullName}.git`), work]);
    return work;
  }

  function commitFiles(
    work: string,
    files: Record<string, string>,
    message: string,
  ) {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    git(['add', '--all'], work);
    git(['commit', '--quiet', '-m', message], work);
  }

  /** acme/gitops with main (CODEOWNERS owning prod paths) and a branch changing `files`. */
  async function repoWithBranch(
    branch: string,
    files: Record<string, string>,
  ): Promise<string> {
    expect(
      (
        await api(TOKENS.bot, 'POST', '/orgs/acme/repos', {
          name: 'gitops',
          private: true,
        })
      ).status,
    ).toBe(201);
    const work = clone('acme/gitops');
    git(['checkout', '--quiet', '-b', 'main'], work);
    commitFiles(
      work,
      {
        CODEOWNERS: [
          '# prod needs the tenant team',
          'apps/*/overlays/prod/** @acme/acme-devs',
          '**/values-prod.yaml @acme/acme-devs',
          '',
        ].join('\n'),
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.0.0\n',
        'apps/web/overlays/prod/kustomization.yaml': 'tag: 1.0.0\n',
      },
      'Initial layout',
    );
    git(['push', '--quiet', 'origin', 'main'], work);
    git(['checkout', '--quiet', '-b', branch], work);
    commitFiles(work, files, `Change ${Object.keys(files).join(', ')}`);
    git(['push', '--quiet', 'origin', branch], work);
    return work;
  }

  describe('authentication', () => {
    it('answers 401 Requires authentication without a token and Bad credentials for an unknown one', async () => {
      const anonymous = await api(undefined, 'GET', '/repos/acme/gitops');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({
        message: 'Requires authentication',
        documentation_url: 'https://docs.github.com/rest',
      });
      expect(anonymous.contentType).toBe('application/json; charset=utf-8');
      const unknown = await api('ghp_nope', 'GET', '/repos/acme/gitops');
      expect(unknown.status).toBe(401);
      expect(unknown.body.message).toBe('Bad credentials');
    });

    it('accepts Bearer as well as token and maps tokens to logins', async () => {
      const response = await fake.handle(
        new Request(`${WEB}/api/v3/user`, {
          headers: { authorization: `Bearer ${TOKENS.alice}` },
        }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        login: 'alice',
        name: 'Alice',
        email: 'alice@acme.example',
        type: 'User',
      });
      expect(fake.requests.at(-1)).toMatchObject({
        path: '/user',
        login: 'alice',
      });
    });
  });

  describe('repositories', () => {
    it('creates a real bare repository (201) that git can push to, and reads it back', async () => {
      const created = await api(TOKENS.bot, 'POST', '/orgs/acme/repos', {
        name: 'gitops',
        private: true,
        description: 'GitOps of acme',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'gitops',
        full_name: 'acme/gitops',
        private: true,
        description: 'GitOps of acme',
        html_url: `${WEB}/acme/gitops`,
        clone_url: `${WEB}/acme/gitops.git`,
        default_branch: 'main',
        owner: { login: 'acme', type: 'Organization' },
      });
      const work = clone('acme/gitops');
      commitFiles(work, { 'README.md': '# acme\n' }, 'First');
      git(['push', '--quiet', 'origin', 'HEAD:main'], work);

      const read = await api(TOKENS.alice, 'GET', '/repos/acme/gitops');
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        full_name: 'acme/gitops',
        private: true,
      });
    });

    it('answers 422 with GitHub body when the name exists, 404 for an unknown organization, 403 for a non-member', async () => {
      await api(TOKENS.bot, 'POST', '/orgs/acme/repos', { name: 'gitops' });
      const again = await api(TOKENS.bot, 'POST', '/orgs/acme/repos', {
        name: 'gitops',
      });
      expect(again.status).toBe(422);
      expect(again.body).toEqual({
        message: 'Repository creation failed.',
        errors: [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
        documentation_url:
          'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
      });
      expect(
        (await api(TOKENS.bot, 'POST', '/orgs/nobody/repos', { name: 'x' }))
          .status,
      ).toBe(404);
      const outsider = await api(TOKENS.bob, 'POST', '/orgs/acme/repos', {
        name: 'mine',
      });
      expect(outsider.status).toBe(403);
      const missing = await api(TOKENS.bot, 'POST', '/orgs/acme/repos', {});
      expect(missing.status).toBe(422);
      expect(missing.body.errors[0]).toMatchObject({
        code: 'missing_field',
        field: 'name',
      });
    });

    it('hides a private repository from a non-member with 404, like a missing one', async () => {
      await api(TOKENS.bot, 'POST', '/orgs/acme/repos', {
        name: 'gitops',
        private: true,
      });
      const hidden = await api(TOKENS.bob, 'GET', '/repos/acme/gitops');
      const missing = await api(TOKENS.bob, 'GET', '/repos/acme/nothing');
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual(missing.body);
      expect(hidden.body).toEqual({
        message: 'Not Found',
        documentation_url:
          'https://docs.github.com/rest/repos/repos#get-a-repository',
      });
    });

    it('serves file contents raw (with ETag and 304) and as JSON', async () => {
      await repoWithBranch('feature', { 'x.txt': 'x\n' });
      const raw = await fake.handle(
        new Request(
          `${WEB}/api/v3/repos/acme/gitops/contents/apps/web/overlays/dev/kustomization.yaml?ref=main`,
          {
            headers: {
              authorization: `token ${TOKENS.alice}`,
              accept: 'application/vnd.github.v3.raw',
            },
          },
        ),
      );
      expect(raw.status).toBe(200);
      expect(await raw.text()).toBe('tag: 1.0.0\n');
      const etag = raw.headers.get('etag')!;
      const again = await fake.handle(
        new Request(
          `${WEB}/api/v3/repos/acme/gitops/contents/apps/web/overlays/dev/kustomization.yaml?ref=main`,
          {
            headers: {
              authorization: `token ${TOKENS.alice}`,
              accept: 'application/vnd.github.v3.raw',
              'if-none-match': etag,
            },
          },
        ),
      );
      expect(again.status).toBe(304);
      const json = await api(
        TOKENS.alice,
        'GET',
        '/repos/acme/gitops/contents/x.txt?ref=feature',
      );
      expect(json.body).toMatchObject({
        type: 'file',
        path: 'x.txt',
        encoding: 'base64',
      });
      expect(Buffer.from(json.body.content, 'base64').toString()).toBe('x\n');
      const listing = await api(
        TOKENS.alice,
        'GET',
        '/repos/acme/gitops/contents/apps/web/overlays',
      );
      expect(listing.body.map((e: { name: string }) => e.name)).toEqual([
        'dev',
        'prod',
      ]);
      expect(
        (await api(TOKENS.alice, 'GET', '/repos/acme/gitops/contents/nope'))
          .status,
      ).toBe(404);
    });
  });

  describe('pull requests', () => {
    it('opens one (201) with head/base SHAs, lists it by head owner:branch, and refuses a second (422)', async () => {
      const work = await repoWithBranch('promote', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
      });
      const headSha = git(['rev-parse', 'HEAD'], work).trim();
      const mainSha = git(['rev-parse', 'main'], work).trim();
      const created = await api(
        TOKENS.bot,
        'POST',
        '/repos/acme/gitops/pulls',
        {
          title: 'Promote web 1.1.0 to dev',
          body: 'Carries 1.1.0',
          head: 'promote',
          base: 'main',
        },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        number: 1,
        state: 'open',
        title: 'Promote web 1.1.0 to dev',
        body: 'Carries 1.1.0',
        html_url: `${WEB}/acme/gitops/pull/1`,
        user: { login: 'kupe-portal', type: 'Bot' },
        head: { ref: 'promote', sha: headSha, label: 'acme:promote' },
        base: { ref: 'main', sha: mainSha },
        merged: false,
        mergeable: true,
        mergeable_state: 'clean',
        commits: 1,
        additions: 1,
        deletions: 1,
        changed_files: 1,
      });

      const listed = await api(
        TOKENS.bot,
        'GET',
        '/repos/acme/gitops/pulls?state=open&head=acme:promote&base=main',
      );
      expect(listed.body.map((p: { number: number }) => p.number)).toEqual([1]);
      const otherHead = await api(
        TOKENS.bot,
        'GET',
        '/repos/acme/gitops/pulls?state=open&head=acme:other',
      );
      expect(otherHead.body).toEqual([]);
      const closed = await api(
        TOKENS.bot,
        'GET',
        '/repos/acme/gitops/pulls?state=closed',
      );
      expect(closed.body).toEqual([]);

      const duplicate = await api(
        TOKENS.bot,
        'POST',
        '/repos/acme/gitops/pulls',
        {
          title: 'again',
          head: 'promote',
          base: 'main',
        },
      );
      expect(duplicate.status).toBe(422);
      expect(duplicate.body).toEqual({
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'A pull request already exists for acme:promote.',
          },
        ],
        documentation_url:
          'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      });
    });

    it('refuses (422) a head without commits, an unknown head or base, and missing fields', async () => {
      const work = await repoWithBranch('feature', { 'a.txt': 'a\n' });
      git(['push', '--quiet', 'origin', 'main:same-as-main'], work);
      const empty = await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'same-as-main',
        base: 'main',
      });
      expect(empty.status).toBe(422);
      expect(empty.body.errors[0].message).toBe(
        'No commits between main and same-as-main',
      );
      const noHead = await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'nope',
        base: 'main',
      });
      expect(noHead.status).toBe(422);
      expect(noHead.body.errors).toEqual([
        { resource: 'PullRequest', field: 'head', code: 'invalid' },
      ]);
      const noBase = await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'feature',
        base: 'nope',
      });
      expect(noBase.body.errors[0].field).toBe('base');
      const noTitle = await api(
        TOKENS.bot,
        'POST',
        '/repos/acme/gitops/pulls',
        {
          head: 'feature',
          base: 'main',
        },
      );
      expect(noTitle.status).toBe(422);
      expect(noTitle.body.errors[0]).toMatchObject({
        code: 'missing_field',
        field: 'title',
      });
      expect(
        (
          await api(TOKENS.bob, 'POST', '/repos/acme/gitops/pulls', {
            title: 't',
            head: 'feature',
            base: 'main',
          })
        ).status,
      ).toBe(404);
      expect(
        (await api(TOKENS.bot, 'GET', '/repos/acme/gitops/pulls/9')).status,
      ).toBe(404);
    });

    it('lists the files with the real git diff', async () => {
      await repoWithBranch('feature', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
        'apps/web/README.md': 'new\nfile\n',
      });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'feature',
        base: 'main',
      });
      const files = await api(
        TOKENS.alice,
        'GET',
        '/repos/acme/gitops/pulls/1/files',
      );
      expect(files.status).toBe(200);
      expect(files.body).toEqual([
        expect.objectContaining({
          filename: 'apps/web/README.md',
          status: 'added',
          additions: 2,
          deletions: 0,
          changes: 2,
          patch: '@@ -0,0 +1,2 @@\n+new\n+file',
        }),
        expect.objectContaining({
          filename: 'apps/web/overlays/dev/kustomization.yaml',
          status: 'modified',
          additions: 1,
          deletions: 1,
          patch: '@@ -1 +1 @@\n-tag: 1.0.0\n+tag: 1.1.0',
        }),
      ]);
    });

    it('merges with a real merge commit on the base branch that a fresh clone sees', async () => {
      const work = await repoWithBranch('feature', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
      });
      const headSha = git(['rev-parse', 'HEAD'], work).trim();
      const mainSha = git(['rev-parse', 'main'], work).trim();
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 'Dev to 1.1.0',
        head: 'feature',
        base: 'main',
      });
      const merged = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {
          sha: headSha,
        },
      );
      expect(merged.status).toBe(200);
      expect(merged.body).toEqual({
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        merged: true,
        message: 'Pull Request successfully merged',
      });
      const fresh = clone('acme/gitops');
      expect(git(['rev-parse', 'HEAD'], fresh).trim()).toBe(merged.body.sha);
      expect(git(['log', '-1', '--format=%P%n%s%n%b'], fresh).trim()).toBe(
        `${mainSha} ${headSha}\nMerge pull request #1 from acme/feature\nDev to 1.1.0`,
      );
      expect(
        readFileSync(
          join(fresh, 'apps/web/overlays/dev/kustomization.yaml'),
          'utf8',
        ),
      ).toBe('tag: 1.1.0\n');

      const pr = await api(TOKENS.bot, 'GET', '/repos/acme/gitops/pulls/1');
      expect(pr.body).toMatchObject({
        state: 'closed',
        merged: true,
        merge_commit_sha: merged.body.sha,
        merged_by: { login: 'kupe-portal' },
        head: { sha: headSha },
        base: { sha: mainSha },
      });
      expect(pr.body.merged_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const again = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {},
      );
      expect(again.status).toBe(405);
      expect(again.body.message).toBe('Pull Request is not mergeable');
    });

    it('squashes into one commit with one parent when asked', async () => {
      await repoWithBranch('feature', { 'a.txt': 'a\n' });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 'Add a',
        head: 'feature',
        base: 'main',
      });
      const merged = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {
          merge_method: 'squash',
        },
      );
      expect(merged.status).toBe(200);
      const fresh = clone('acme/gitops');
      expect(
        git(['log', '-1', '--format=%P|%s'], fresh).trim().split('|'),
      ).toEqual([expect.not.stringContaining(' '), 'Add a (#1)']);
      const rebase = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {
          merge_method: 'rebase',
        },
      );
      expect(rebase.status).toBe(405);
    });

    it('answers 409 when the given sha is not the head, and 405 with mergeable false on conflicts', async () => {
      const work = await repoWithBranch('feature', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
      });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'feature',
        base: 'main',
      });
      const stale = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {
          sha: '0'.repeat(40),
        },
      );
      expect(stale.status).toBe(409);
      expect(stale.body.message).toBe(
        'Head branch was modified. Review and try the merge again.',
      );

      git(['checkout', '--quiet', 'main'], work);
      commitFiles(
        work,
        { 'apps/web/overlays/dev/kustomization.yaml': 'tag: 2.0.0\n' },
        'Conflicting',
      );
      git(['push', '--quiet', 'origin', 'main'], work);
      const pr = await api(TOKENS.bot, 'GET', '/repos/acme/gitops/pulls/1');
      expect(pr.body).toMatchObject({
        mergeable: false,
        mergeable_state: 'dirty',
      });
      const conflict = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {},
      );
      expect(conflict.status).toBe(405);
      expect(conflict.body.message).toBe('Pull Request is not mergeable');
    });
  });

  describe('reviews and protected paths', () => {
    beforeEach(() => {
      fake.protectBranch('acme/gitops', 'main', {
        requireCodeOwnerReviews: true,
      });
    });

    it('merges a change outside code-owned paths without approval', async () => {
      await repoWithBranch('dev', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
      });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'dev',
        base: 'main',
      });
      expect(
        (await api(TOKENS.bot, 'PUT', '/repos/acme/gitops/pulls/1/merge', {}))
          .status,
      ).toBe(200);
    });

    it('refuses (405) a prod change until a code owner other than the author approves', async () => {
      await repoWithBranch('prod', {
        'apps/web/overlays/prod/kustomization.yaml': 'tag: 1.1.0\n',
      });
      await api(TOKENS.alice, 'POST', '/repos/acme/gitops/pulls', {
        title: 'Prod to 1.1.0',
        head: 'prod',
        base: 'main',
      });
      const pr = await api(TOKENS.alice, 'GET', '/repos/acme/gitops/pulls/1');
      expect(pr.body).toMatchObject({
        mergeable: true,
        mergeable_state: 'blocked',
      });
      const blocked = await api(
        TOKENS.alice,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {},
      );
      expect(blocked.status).toBe(405);
      expect(blocked.body.message).toBe(
        'Waiting on code owner review from @acme/acme-devs.',
      );

      const own = await api(
        TOKENS.alice,
        'POST',
        '/repos/acme/gitops/pulls/1/reviews',
        {
          event: 'APPROVE',
        },
      );
      expect(own.status).toBe(422);
      expect(own.body).toEqual({
        message: 'Unprocessable Entity',
        errors: ['Can not approve your own pull request'],
        documentation_url:
          'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
      });
      // the bot has write access but owns nothing: its approval does not unblock
      expect(
        (
          await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls/1/reviews', {
            event: 'APPROVE',
          })
        ).status,
      ).toBe(200);
      expect(
        (await api(TOKENS.alice, 'PUT', '/repos/acme/gitops/pulls/1/merge', {}))
          .status,
      ).toBe(405);

      const approval = await api(
        TOKENS.arjun,
        'POST',
        '/repos/acme/gitops/pulls/1/reviews',
        {
          event: 'APPROVE',
          body: 'Ship it',
        },
      );
      expect(approval.status).toBe(200);
      expect(approval.body).toMatchObject({
        state: 'APPROVED',
        body: 'Ship it',
        user: { login: 'arjun' },
        commit_id: pr.body.head.sha,
        author_association: 'MEMBER',
      });
      const reviews = await api(
        TOKENS.alice,
        'GET',
        '/repos/acme/gitops/pulls/1/reviews',
      );
      expect(
        reviews.body.map((r: { user: { login: string } }) => r.user.login),
      ).toEqual(['kupe-portal', 'arjun']);
      expect(
        (await api(TOKENS.alice, 'PUT', '/repos/acme/gitops/pulls/1/merge', {}))
          .status,
      ).toBe(200);
    });

    it('counts required approvals and honours a later change request', async () => {
      fake.protectBranch('acme/gitops', 'main', {
        requiredApprovingReviewCount: 1,
      });
      await repoWithBranch('feature', { 'a.txt': 'a\n' });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'feature',
        base: 'main',
      });
      const none = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {},
      );
      expect(none.status).toBe(405);
      expect(none.body.message).toBe(
        'At least 1 approving review is required by reviewers with write access.',
      );
      await api(TOKENS.alice, 'POST', '/repos/acme/gitops/pulls/1/reviews', {
        event: 'APPROVE',
      });
      const changes = await api(
        TOKENS.arjun,
        'POST',
        '/repos/acme/gitops/pulls/1/reviews',
        {
          event: 'REQUEST_CHANGES',
        },
      );
      expect(changes.status).toBe(422); // a change request needs a body
      await api(TOKENS.arjun, 'POST', '/repos/acme/gitops/pulls/1/reviews', {
        event: 'REQUEST_CHANGES',
        body: 'Not yet',
      });
      expect(
        (await api(TOKENS.bot, 'PUT', '/repos/acme/gitops/pulls/1/merge', {}))
          .status,
      ).toBe(405);
      await api(TOKENS.arjun, 'POST', '/repos/acme/gitops/pulls/1/reviews', {
        event: 'APPROVE',
      });
      expect(
        (await api(TOKENS.bot, 'PUT', '/repos/acme/gitops/pulls/1/merge', {}))
          .status,
      ).toBe(200);
    });
  });

  describe('commit statuses and required status checks', () => {
    it('sets statuses with push access only, lists them newest first and rolls them up', async () => {
      await repoWithBranch('change', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
      });
      const sha = git(
        ['rev-parse', 'refs/heads/change'],
        join(dir, 'repos', 'acme/gitops.git'),
      ).trim();
      const path = `/repos/acme/gitops/statuses/${sha}`;
      expect(
        (await api(TOKENS.bob, 'POST', path, { state: 'success' })).status,
      ).toBe(404);
      const bad = await api(TOKENS.bot, 'POST', path, { state: 'green' });
      expect(bad.status).toBe(422);
      const unknown = await api(
        TOKENS.bot,
        'POST',
        `/repos/acme/gitops/statuses/${'0'.repeat(40)}`,
        { state: 'success' },
      );
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([
        `No commit found for SHA: ${'0'.repeat(40)}`,
      ]);
      expect(
        (
          await api(TOKENS.bot, 'POST', path, {
            state: 'success',
            description: 'x'.repeat(141),
          })
        ).status,
      ).toBe(422);
      const created = await api(TOKENS.bot, 'POST', path, {
        state: 'pending',
        context: 'kupe/four-eyes',
        description: 'Waiting',
        target_url: 'https://portal.example/pr',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        state: 'pending',
        context: 'kupe/four-eyes',
        description: 'Waiting',
        target_url: 'https://portal.example/pr',
        creator: { login: 'kupe-portal' },
      });
      await api(TOKENS.alice, 'POST', path, { state: 'success' });
      const list = await api(
        TOKENS.alice,
        'GET',
        `/repos/acme/gitops/commits/${sha}/statuses`,
      );
      expect(
        list.body.map((s: { context: string; state: string }) => [
          s.context,
          s.state,
        ]),
      ).toEqual([
        ['default', 'success'],
        ['kupe/four-eyes', 'pending'],
      ]);
      const combined = await api(
        TOKENS.alice,
        'GET',
        `/repos/acme/gitops/commits/change/status`,
      );
      expect(combined.body).toMatchObject({
        state: 'pending',
        sha,
        total_count: 2,
      });
    });

    it('blocks a merge until the required context succeeds on the head commit, from its pinned source only', async () => {
      fake.protectBranch('acme/gitops', 'main', {
        requiredStatusChecks: [
          { context: 'kupe/four-eyes', source: 'kupe-portal' },
        ],
      });
      await repoWithBranch('change', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
      });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'change',
        base: 'main',
      });
      const pr = await api(TOKENS.alice, 'GET', '/repos/acme/gitops/pulls/1');
      const sha = pr.body.head.sha as string;
      const merge = () =>
        api(TOKENS.alice, 'PUT', '/repos/acme/gitops/pulls/1/merge', {});
      const status = (token: string, state: string) =>
        api(token, 'POST', `/repos/acme/gitops/statuses/${sha}`, {
          state,
          context: 'kupe/four-eyes',
        });
      const refused = await merge();
      expect(refused.status).toBe(405);
      expect(refused.body.message).toBe(
        'Required status check "kupe/four-eyes" is expected.',
      );
      expect(pr.body.mergeable_state).toBe('blocked');
      // alice has write access, but the check expects the portal as its source
      await status(TOKENS.alice, 'success');
      expect((await merge()).body.message).toBe(
        'Required status check "kupe/four-eyes" is expected.',
      );
      await status(TOKENS.bot, 'pending');
      expect((await merge()).body.message).toBe(
        'Required status check "kupe/four-eyes" is pending.',
      );
      await status(TOKENS.bot, 'failure');
      expect((await merge()).body.message).toBe(
        'Required status check "kupe/four-eyes" is failing.',
      );
      await status(TOKENS.bot, 'success');
      expect(
        (await api(TOKENS.alice, 'GET', '/repos/acme/gitops/pulls/1')).body
          .mergeable_state,
      ).toBe('clean');
      expect((await merge()).status).toBe(200);
    });

    it('wants the status on the new head after a push to the pull request', async () => {
      fake.protectBranch('acme/gitops', 'main', {
        requiredStatusChecks: [{ context: 'kupe/four-eyes' }],
      });
      const work = await repoWithBranch('change', {
        'apps/web/overlays/dev/kustomization.yaml': 'tag: 1.1.0\n',
      });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'change',
        base: 'main',
      });
      const first = (
        await api(TOKENS.alice, 'GET', '/repos/acme/gitops/pulls/1')
      ).body.head.sha;
      await api(TOKENS.bot, 'POST', `/repos/acme/gitops/statuses/${first}`, {
        state: 'success',
        context: 'kupe/four-eyes',
      });
      commitFiles(
        work,
        { 'apps/web/overlays/dev/extra.yaml': 'x: 1\n' },
        'More',
      );
      git(['push', '--quiet', 'origin', 'change'], work);
      const refused = await api(
        TOKENS.alice,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {},
      );
      expect(refused.status).toBe(405);
      expect(refused.body.message).toBe(
        'Required status check "kupe/four-eyes" is expected.',
      );
    });
  });

  describe('pull request lifecycle', () => {
    it('dismisses a stale approval when the protection asks for it and new commits arrive', async () => {
      fake.protectBranch('acme/gitops', 'main', {
        requiredApprovingReviewCount: 1,
        dismissStaleReviews: true,
      });
      const work = await repoWithBranch('feature', { 'a.txt': 'a\n' });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'feature',
        base: 'main',
      });
      await api(TOKENS.alice, 'POST', '/repos/acme/gitops/pulls/1/reviews', {
        event: 'APPROVE',
      });
      commitFiles(work, { 'a.txt': 'changed after the approval\n' }, 'more');
      git(['push', '--quiet', 'origin', 'feature'], work);
      const stale = await api(
        TOKENS.bot,
        'PUT',
        '/repos/acme/gitops/pulls/1/merge',
        {},
      );
      expect(stale.status).toBe(405);
      expect(stale.body.message).toMatch(/At least 1 approving review/);
      await api(TOKENS.arjun, 'POST', '/repos/acme/gitops/pulls/1/reviews', {
        event: 'APPROVE',
      });
      expect(
        (await api(TOKENS.bot, 'PUT', '/repos/acme/gitops/pulls/1/merge', {}))
          .status,
      ).toBe(200);
    });

    it('closes and reopens through PATCH, and closes a pull request whose head branch is deleted', async () => {
      const work = await repoWithBranch('feature', { 'a.txt': 'a\n' });
      await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
        title: 't',
        head: 'feature',
        base: 'main',
      });
      const closed = await api(
        TOKENS.bot,
        'PATCH',
        '/repos/acme/gitops/pulls/1',
        {
          state: 'closed',
          title: 'renamed',
        },
      );
      expect(closed.body).toMatchObject({
        state: 'closed',
        merged: false,
        title: 'renamed',
      });
      expect(
        (await api(TOKENS.bot, 'PUT', '/repos/acme/gitops/pulls/1/merge', {}))
          .status,
      ).toBe(405);
      const reopened = await api(
        TOKENS.bot,
        'PATCH',
        '/repos/acme/gitops/pulls/1',
        {
          state: 'open',
        },
      );
      expect(reopened.body).toMatchObject({ state: 'open', closed_at: null });
      git(['push', '--quiet', 'origin', '--delete', 'feature'], work);
      const orphan = await api(TOKENS.bot, 'GET', '/repos/acme/gitops/pulls/1');
      expect(orphan.body).toMatchObject({ state: 'closed', merged: false });
    });

    it('pages pull request lists with a Link header, newest first', async () => {
      const work = await repoWithBranch('b1', { 'b1.txt': '1\n' });
      for (const branch of ['b2', 'b3']) {
        git(['checkout', '--quiet', '-b', branch, 'main'], work);
        commitFiles(work, { [`${branch}.txt`]: `${branch}\n` }, branch);
        git(['push', '--quiet', 'origin', branch], work);
      }
      for (const head of ['b1', 'b2', 'b3']) {
        await api(TOKENS.bot, 'POST', '/repos/acme/gitops/pulls', {
          title: head,
          head,
          base: 'main',
        });
      }
      const first = await api(
        TOKENS.bot,
        'GET',
        '/repos/acme/gitops/pulls?per_page=2',
      );
      expect(first.body.map((p: { title: string }) => p.title)).toEqual([
        'b3',
        'b2',
      ]);
      expect(first.headers.get('link')).toContain('page=2>; rel="next"');
      const second = await api(
        TOKENS.bot,
        'GET',
        '/repos/acme/gitops/pulls?per_page=2&page=2',
      );
      expect(second.body.map((p: { title: string }) => p.title)).toEqual([
        'b1',
      ]);
    });
  });

  describe('test hooks', () => {
    it('runs a beforeNextRequest action once, just before the matching request (a race)', async () => {
      const seen: string[] = [];
      fake.beforeNextRequest('POST', '/orgs/acme/repos', async () => {
        seen.push('hook');
        // Another client creates the same repository first.
        await fake.createRepository('alice', 'acme', { name: 'gitops' });
      });
      const first = await api(TOKENS.bot, 'POST', '/orgs/acme/repos', {
        name: 'gitops',
      });
      expect(seen).toEqual(['hook']);
      expect(first.status).toBe(422);
      expect(first.body.errors[0].message).toBe(
        'name already exists on this account',
      );
      // Once only, and only for its method and path.
      await api(TOKENS.bot, 'GET', '/repos/acme/gitops');
      expect(
        (await api(TOKENS.bot, 'POST', '/orgs/acme/repos', { name: 'other' }))
          .status,
      ).toBe(201);
      expect(seen).toEqual(['hook']);
    });
  });

  describe('through Octokit and msw (the product path)', () => {
    const server = setupServer();
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    it('GitHubHost creates the repository and ensures a single pull request', async () => {
      server.use(...gitHubMswHandlers(fake));
      const integrations = ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: 'git.example.test',
                apiBaseUrl: `${WEB}/api/v3`,
                token: TOKENS.bot,
              },
            ],
          },
        }),
      );
      const host = new GitHubHost(integrations);
      await host.createRepository(`${WEB}/acme/gitops.git`, 'GitOps');
      await expect(
        host.createRepository(`${WEB}/acme/gitops.git`, 'GitOps'),
      ).rejects.toThrow(/name is taken/);
      const work = clone('acme/gitops');
      commitFiles(work, { 'a.txt': 'a\n' }, 'a');
      git(['push', '--quiet', 'origin', 'HEAD:main'], work);
      commitFiles(work, { 'a.txt': 'b\n' }, 'b');
      git(['push', '--quiet', 'origin', 'HEAD:change'], work);
      const options = {
        repoUrl: `${WEB}/acme/gitops.git`,
        head: 'change',
        base: 'main',
        title: 'Change a',
        body: 'b',
      };
      const first = await host.ensurePullRequest(options);
      const second = await host.ensurePullRequest(options);
      expect(first).toBe(`${WEB}/acme/gitops/pull/1`);
      expect(second).toBe(first);
    });

    it('serves another base URL, e.g. api.github.com', async () => {
      server.use(
        ...gitHubMswHandlers(fake, { baseUrl: 'https://api.github.com' }),
      );
      const response = await fetch('https://api.github.com/user', {
        headers: { authorization: `token ${TOKENS.bob}` },
      });
      expect(await response.json()).toMatchObject({ login: 'bob' });
    });
  });
});
