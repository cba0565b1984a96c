import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalGitHub } from './LocalGitHub';

const TOKEN = 'ghp_alice000000000000000000000000000000';
const BOB_TOKEN = 'ghp_bob00000000000000000000000000000000';

// real git over smart HTTP: a few seconds per test on a busy machine
jest.setTimeout(30_000);

describe('LocalGitHub pushes (git smart HTTP checked as GitHub checks them)', () => {
  let dir: string;
  let github: LocalGitHub;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'local-github-'));
    github = await LocalGitHub.start({
      repositoriesRoot: join(dir, 'repos'),
      users: [
        { login: 'alice', tokens: [TOKEN] },
        { login: 'bob', tokens: [BOB_TOKEN] },
      ],
      organizations: [
        {
          login: 'acme',
          members: ['alice'],
          teams: { 'acme-devs': ['alice'] },
        },
      ],
    });
  });
  afterEach(async () => {
    await github.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** git, asynchronously: the host answering it runs in this process. */
  function git(args: string[], cwd?: string): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(
        'git',
        args,
        {
          cwd,
          env: {
            PATH: process.env.PATH,
            HOME: tmpdir(),
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_CONFIG_GLOBAL: '/dev/null',
            GIT_TERMINAL_PROMPT: '0',
            GIT_AUTHOR_NAME: 'Alice',
            GIT_AUTHOR_EMAIL: 'alice@acme.example',
            GIT_COMMITTER_NAME: 'Alice',
            GIT_COMMITTER_EMAIL: 'alice@acme.example',
          },
        },
        (error, stdout, stderr) =>
          error
            ? reject(Object.assign(error, { stderr }))
            : resolve(stdout.trim()),
      ),
    );
  }

  /** Pushes `refspec` over HTTP; git's error output when the host refuses. */
  async function push(
    work: string,
    refspec: string,
  ): Promise<string | undefined> {
    try {
      await git(['push', '--quiet', 'origin', refspec], work);
      return undefined;
    } catch (error) {
      return String((error as { stderr?: string }).stderr);
    }
  }

  async function commit(work: string, files: Record<string, string>) {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    await git(['add', '--all'], work);
    await git(
      ['commit', '--quiet', '-m', `Change ${Object.keys(files)}`],
      work,
    );
  }

  /** acme/gitops with main (CODEOWNERS owning prod paths), cloned over HTTP with the token. */
  async function gitops(): Promise<string> {
    await github.fake.createRepository('alice', 'acme', {
      name: 'gitops',
      private: true,
    });
    const work = join(dir, 'work');
    const url = new URL(`${github.origin}/acme/gitops.git`);
    url.username = 'x-access-token';
    url.password = TOKEN;
    await git(['clone', '--quiet', url.toString(), work]);
    await git(['checkout', '--quiet', '-b', 'main'], work);
    await commit(work, {
      CODEOWNERS: '/apps/*/prod/ @acme/acme-devs\n',
      'apps/web/dev/values.yaml': 'tag: 1.0.0\n',
      'apps/web/prod/values.yaml': 'tag: 1.0.0\n',
    });
    expect(await push(work, 'main')).toBeUndefined();
    return work;
  }

  const mainOf = () =>
    git(['rev-parse', 'main'], github.fake.gitDirOf('acme', 'gitops'));

  it('refuses a direct push to a protected branch that changes code-owned paths (GH006), accepts one to other paths', async () => {
    const work = await gitops();
    github.fake.protectBranch('acme/gitops', 'main', {
      requireCodeOwnerReviews: true,
    });
    const before = await mainOf();

    await commit(work, { 'apps/web/prod/values.yaml': 'tag: 2.0.0\n' });
    const refused = await push(work, 'main');
    expect(refused).toMatch(
      /remote: error: GH006: Protected branch update failed for refs\/heads\/main\.\s+remote: error: Waiting on code owner review from @acme\/acme-devs\./,
    );
    expect(refused).toMatch(
      /! \[remote rejected\] main -> main \(pre-receive hook declined\)/,
    );
    expect(await mainOf()).toBe(before);

    // The same change goes through a branch (and a pull request) instead.
    expect(await push(work, 'HEAD:refs/heads/bump-prod')).toBeUndefined();

    await git(['reset', '--quiet', '--hard', 'HEAD~1'], work);
    await commit(work, { 'apps/web/dev/values.yaml': 'tag: 2.0.0\n' });
    expect(await push(work, 'main')).toBeUndefined();
    expect(await mainOf()).toBe(await git(['rev-parse', 'HEAD'], work));
  });

  it('refuses every direct push when approvals are required, and deleting a protected branch', async () => {
    const work = await gitops();
    github.fake.protectBranch('acme/gitops', 'main', {
      requiredApprovingReviewCount: 1,
    });
    await commit(work, { 'apps/web/dev/values.yaml': 'tag: 2.0.0\n' });
    expect(await push(work, 'main')).toMatch(
      /GH006: Protected branch update failed for refs\/heads\/main\.\s+remote: error: At least 1 approving review is required by reviewers with write access\./,
    );
    expect(await push(work, ':main')).toMatch(
      /error: Cannot delete this protected branch/,
    );
    // Unprotected branches are not affected.
    expect(await push(work, 'HEAD:refs/heads/feature')).toBeUndefined();
    expect(await push(work, ':feature')).toBeUndefined();
  });

  it('refuses pushes as refusePushes says, also to a repository created later, until allowPushes', async () => {
    github.fake.refusePushes(
      'acme/gitops',
      "error: fatal error in commit_refs (it's transient)",
    );
    await github.fake.createRepository('alice', 'acme', { name: 'gitops' });
    const work = join(dir, 'work');
    const url = new URL(`${github.origin}/acme/gitops.git`);
    url.username = 'x-access-token';
    url.password = TOKEN;
    await git(['clone', '--quiet', url.toString(), work]);
    await commit(work, { 'README.md': '# acme\n' });
    expect(await push(work, 'HEAD:main')).toMatch(
      /remote: error: fatal error in commit_refs \(it's transient\)[\s\S]*\[remote rejected\] HEAD -> main \(pre-receive hook declined\)/,
    );
    await expect(mainOf()).rejects.toThrow();

    github.fake.allowPushes('acme/gitops');
    github.fake.refusePushes('acme/gitops', 'error: not main', {
      ref: 'refs/heads/main',
    });
    expect(await push(work, 'HEAD:refs/heads/proposal')).toBeUndefined();
    expect(await push(work, 'HEAD:main')).toMatch(/remote: error: not main/);
    github.fake.allowPushes('acme/gitops');
    expect(await push(work, 'HEAD:main')).toBeUndefined();
    expect(await mainOf()).toBe(await git(['rev-parse', 'HEAD'], work));
  });

  it("serves git as GitHub serves private and public repositories: 401 without a known token, 404 outside the organization, 403 for a reader's push", async () => {
    await github.fake.createRepository('alice', 'acme', {
      name: 'gitops',
      private: true,
    });
    await github.fake.createRepository('alice', 'acme', {
      name: 'docs',
      private: false,
    });
    const infoRefs = (repo: string, service: string, token?: string) =>
      fetch(`${github.origin}/acme/${repo}.git/info/refs?service=${service}`, {
        headers: token
          ? {
              authorization: `Basic ${Buffer.from(`bob:${token}`).toString(
                'base64',
              )}`,
            }
          : {},
      });
    const answers: string[] = [];
    for (const [repo, service, token] of [
      ['gitops', 'git-upload-pack', undefined],
      ['gitops', 'git-receive-pack', undefined],
      ['gitops', 'git-upload-pack', 'ghp_unknown'],
      ['gitops', 'git-upload-pack', BOB_TOKEN],
      ['gitops', 'git-receive-pack', BOB_TOKEN],
      ['missing', 'git-upload-pack', BOB_TOKEN],
      ['missing', 'git-upload-pack', undefined],
      ['gitops', 'git-upload-pack', TOKEN],
      ['gitops', 'git-receive-pack', TOKEN],
      ['docs', 'git-upload-pack', undefined],
      ['docs', 'git-receive-pack', undefined],
      ['docs', 'git-upload-pack', BOB_TOKEN],
      ['docs', 'git-receive-pack', BOB_TOKEN],
    ] as const) {
      const response = await infoRefs(repo, service, token);
      const names: Record<string, string> = {
        [TOKEN]: 'alice',
        [BOB_TOKEN]: 'bob',
      };
      const who = token ? names[token] ?? token : '-';
      answers.push(
        `${repo} ${service} ${who}: ${response.status} ${
          response.headers.get('www-authenticate') ?? ''
        }`.trim(),
      );
      await response.arrayBuffer();
    }
    expect(answers).toEqual([
      'gitops git-upload-pack -: 401 Basic realm="GitHub"',
      'gitops git-receive-pack -: 401 Basic realm="GitHub"',
      'gitops git-upload-pack ghp_unknown: 401 Basic realm="GitHub"',
      'gitops git-upload-pack bob: 404',
      'gitops git-receive-pack bob: 404',
      'missing git-upload-pack bob: 404',
      'missing git-upload-pack -: 401 Basic realm="GitHub"',
      'gitops git-upload-pack alice: 200',
      'gitops git-receive-pack alice: 200',
      'docs git-upload-pack -: 200',
      'docs git-receive-pack -: 401 Basic realm="GitHub"',
      'docs git-upload-pack bob: 200',
      'docs git-receive-pack bob: 403',
    ]);
  });
});
