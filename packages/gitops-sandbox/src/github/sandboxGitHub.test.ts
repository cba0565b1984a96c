import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '@kupe/plugin-gitops-node';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import { identityEnv, runGit } from '../git/runGit';
import {
  ArgoCdSandbox,
  startArgoCdSandbox,
} from '../server/startArgoCdSandbox';
import { SANDBOX_GITHUB_USER_TOKENS } from './sandboxGitHub';

jest.setTimeout(90_000);

const DEV_OVERLAY = 'apps/acme-web/overlays/dev/kustomization.yaml';
const PROD_OVERLAY = 'apps/acme-web/overlays/prod/kustomization.yaml';

describe('the sandbox as a GitHub Enterprise server', () => {
  let sandbox: ArgoCdSandbox;
  let work: string;

  beforeAll(async () => {
    sandbox = await startArgoCdSandbox({
      port: 0,
      reconcileIntervalMs: 150,
      operationMs: 300,
      progressMs: 400,
    });
    work = await mkdtemp(join(tmpdir(), 'sandbox-github-'));
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function api(
    path: string,
    init: { method?: string; body?: unknown; token?: string | null } = {},
  ) {
    const token =
      init.token === undefined ? sandbox.gitHubToken : init.token ?? undefined;
    const response = await fetch(`${sandbox.gitHubApiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { authorization: `token ${token}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  const app = (name: string): Application => sandbox.fake.getApplication(name)!;

  /** Clones over smart HTTP as the portal, edits one file on a new branch and pushes it. */
  async function pushBranch(
    branch: string,
    file: string,
    edit: (content: string) => string,
  ): Promise<string> {
    const dir = join(work, branch);
    const url = new URL(sandbox.repositories.urlOf('acme/gitops'));
    url.username = 'x-access-token';
    url.password = sandbox.gitHubToken;
    await runGit(['clone', '--quiet', url.toString(), dir]);
    await runGit(['checkout', '--quiet', '-b', branch], { cwd: dir });
    await writeFile(
      join(dir, file),
      edit(await readFile(join(dir, file), 'utf8')),
    );
    await runGit(['commit', '--quiet', '-am', `Change ${file}`], {
      cwd: dir,
      env: identityEnv({ name: 'Kupe portal', email: 'portal@kupe.example' }),
    });
    await runGit(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], {
      cwd: dir,
    });
    return (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).trim();
  }

  async function openPullRequest(head: string, title: string) {
    const created = await api('/repos/acme/gitops/pulls', {
      method: 'POST',
      body: {
        title,
        body: `Opened by the portal for ${head}`,
        head,
        base: 'main',
      },
    });
    expect(created.status).toBe(201);
    return created.json;
  }

  /** The sandbox's web session of a seeded user, as its sign-in page sets it. */
  const session = (user: string) => ({
    cookie: `kupe_sandbox_git_user=${user}`,
  });

  /** Reads one of the sandbox's web pages as a signed-in user. */
  async function pageAs(user: string, url: string) {
    return fetch(url, { headers: session(user), redirect: 'manual' });
  }

  async function pageAction(htmlUrl: string, user: string, action: string) {
    return fetch(htmlUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: sandbox.url,
        ...session(user),
      },
      body: new URLSearchParams({ action }).toString(),
    });
  }

  it('answers GitHub REST calls under /api/v3 for the seeded repositories, per tenant', async () => {
    const repo = await api('/repos/acme/gitops');
    expect(repo.status).toBe(200);
    expect(repo.json).toMatchObject({
      full_name: 'acme/gitops',
      private: true,
      default_branch: 'main',
      clone_url: `${sandbox.url}/acme/gitops.git`,
      html_url: `${sandbox.url}/acme/gitops`,
    });
    // Argo CD's Applications point at the same URLs
    expect(app('acme-web-dev').spec.source?.repoURL).toBe(repo.json.clone_url);
    expect(
      (
        await api('/repos/acme/gitops', {
          token: SANDBOX_GITHUB_USER_TOKENS.bob,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api('/repos/acme/gitops', {
          token: SANDBOX_GITHUB_USER_TOKENS.pat,
        })
      ).status,
    ).toBe(200);
    const anonymous = await api('/repos/acme/gitops', { token: null });
    expect(anonymous).toEqual({
      status: 401,
      json: {
        message: 'Requires authentication',
        documentation_url: 'https://docs.github.com/rest',
      },
    });
    const codeowners = await api('/repos/acme/gitops/contents/CODEOWNERS');
    expect(Buffer.from(codeowners.json.content, 'base64').toString()).toContain(
      '/apps/*/overlays/prod/ @acme/acme-devs',
    );
  });

  it('creates a repository through the API that git clones and pushes at /<owner>/<repo>.git', async () => {
    const created = await api('/orgs/acme/repos', {
      method: 'POST',
      body: { name: 'payments-gitops', private: true },
    });
    expect(created.status).toBe(201);
    const dir = join(work, 'payments');
    // private: git asks anonymous clients for credentials, as GitHub does
    const anonymous = await fetch(
      `${created.json.clone_url}/info/refs?service=git-upload-pack`,
    );
    expect(anonymous.status).toBe(401);
    const url = new URL(created.json.clone_url);
    url.username = 'alice';
    url.password = SANDBOX_GITHUB_USER_TOKENS.alice;
    await runGit(['clone', '--quiet', url.toString(), dir]);
    await writeFile(join(dir, 'README.md'), '# payments\n');
    await runGit(['add', '.'], { cwd: dir });
    await runGit(['commit', '--quiet', '-m', 'First'], {
      cwd: dir,
      env: identityEnv({ name: 'Alice', email: 'alice@acme.example' }),
    });
    await runGit(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: dir });
    const pushed = (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).trim();
    // the bare repository Argo CD's double renders from
    const bare = sandbox.repositories.resolve(created.json.clone_url);
    expect(await bare?.resolve('main')).toBe(pushed);
    const again = await api('/orgs/acme/repos', {
      method: 'POST',
      body: { name: 'payments-gitops' },
    });
    expect(again.status).toBe(422);
    expect(again.json.errors[0].message).toBe(
      'name already exists on this account',
    );
  });

  /**
   * What the portal's four-eyes check sets (no portal runs here): the status `kupe/four-eyes`
   * on the head commit, with the portal's service token, the source the protection expects.
   */
  async function setFourEyes(
    pull: number,
    state: 'pending' | 'success',
    token: string = sandbox.gitHubToken,
  ) {
    const { json } = await api(`/repos/acme/gitops/pulls/${pull}`);
    const res = await api(`/repos/acme/gitops/statuses/${json.head.sha}`, {
      method: 'POST',
      token,
      body: {
        state,
        context: 'kupe/four-eyes',
        description: `Requested by user:default/alice (acme, test): ${state}`,
      },
    });
    expect(res.status).toBe(201);
  }

  it('merges a dev pull request from its page, and Argo CD auto-syncs acme-web-dev to the merge commit', async () => {
    await pushBranch('promote-dev-1.9.0', DEV_OVERLAY, c =>
      c.replace(/newTag: "[^"]+"/, 'newTag: "1.9.0"'),
    );
    const pr = await openPullRequest(
      'promote-dev-1.9.0',
      'Promote acme-web 1.9.0 to dev',
    );
    expect(pr.html_url).toBe(`${sandbox.url}/acme/gitops/pull/${pr.number}`);

    const page = await pageAs('alice', pr.html_url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain(
      `<h1>Promote acme-web 1.9.0 to dev #${pr.number}</h1>`,
    );
    expect(html).toContain(`<h3>${DEV_OVERLAY}</h3>`);
    expect(html).toContain(
      '<span class="add">+    newTag: &quot;1.9.0&quot;</span>',
    );
    // main requires the portal's four-eyes status on every pull request
    expect(html).toContain(
      'Merging is blocked: Required status check &quot;kupe/four-eyes&quot; is expected.',
    );
    await setFourEyes(pr.number, 'success');
    const ready = await (await pageAs('alice', pr.html_url)).text();
    expect(ready).toContain(
      '<li>kupe/four-eyes: success (Requested by user:default/alice (acme, test): success) by kupe-portal</li>',
    );
    expect(ready).toContain('can be merged');
    expect(html).toContain('>Approve</button>');
    expect(html).toContain('>Merge pull request</button>');

    const merged = await pageAction(pr.html_url, 'alice', 'merge');
    expect(merged.status).toBe(303);
    expect(merged.headers.get('location')).toBe(
      `/acme/gitops/pull/${pr.number}?done=merged`,
    );
    const after = await api(`/repos/acme/gitops/pulls/${pr.number}`);
    expect(after.json).toMatchObject({
      merged: true,
      merged_by: { login: 'alice' },
    });
    const mergeSha = after.json.merge_commit_sha;
    await waitFor('acme-web-dev to sync the merge commit', () => {
      const s = app('acme-web-dev').status;
      return s?.sync?.status === 'Synced' &&
        s.sync.revision === mergeSha &&
        s.summary?.images?.[0] === 'registry.acme.example/acme-web:1.9.0'
        ? true
        : undefined;
    });
    const mergedPage = await (
      await pageAs('alice', `${pr.html_url}?done=merged`)
    ).text();
    expect(mergedPage).toContain(
      '<p role="status">Pull request successfully merged and closed.</p>',
    );
    expect(mergedPage).toContain('Merged</span>');
  });

  it('refuses to merge a production change until the tenant team approves, then acme-web-prod is OutOfSync at the merge', async () => {
    await pushBranch('promote-prod-1.9.0', PROD_OVERLAY, c =>
      c.replace(/newTag: "[^"]+"/, 'newTag: "1.9.0"'),
    );
    const pr = await openPullRequest(
      'promote-prod-1.9.0',
      'Promote acme-web 1.9.0 to production',
    );
    const blockedPage = await (await pageAs('alice', pr.html_url)).text();
    expect(blockedPage).toContain(
      'Merging is blocked: Waiting on code owner review from @acme/acme-devs.',
    );

    const refused = await pageAction(pr.html_url, 'alice', 'merge');
    expect(refused.status).toBe(405);
    expect(await refused.text()).toContain(
      '<p role="alert">This pull request cannot be merged: Waiting on code owner review from @acme/acme-devs.</p>',
    );
    // another tenant's user cannot even see it
    const outsider = await pageAction(pr.html_url, 'bob', 'approve');
    expect(outsider.status).toBe(404);
    // a cross-site form post is refused
    const crossSite = await fetch(pr.html_url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://evil.example',
        ...session('arjun'),
      },
      body: 'action=approve',
    });
    expect(crossSite.status).toBe(403);

    const approved = await pageAction(pr.html_url, 'arjun', 'approve');
    expect(approved.status).toBe(303);
    // the code owner approved; the four-eyes status still decides
    await setFourEyes(pr.number, 'pending');
    const pending = await pageAction(pr.html_url, 'alice', 'merge');
    expect(pending.status).toBe(405);
    expect(await pending.text()).toContain(
      'This pull request cannot be merged: Required status check &quot;kupe/four-eyes&quot; is pending.',
    );
    // a user with write access cannot set it for the portal
    await setFourEyes(pr.number, 'success', SANDBOX_GITHUB_USER_TOKENS.alice);
    expect((await pageAction(pr.html_url, 'alice', 'merge')).status).toBe(405);
    await setFourEyes(pr.number, 'success');
    const reviews = await api(`/repos/acme/gitops/pulls/${pr.number}/reviews`);
    expect(reviews.json).toEqual([
      expect.objectContaining({
        state: 'APPROVED',
        user: expect.objectContaining({ login: 'arjun' }),
      }),
    ]);
    expect((await pageAction(pr.html_url, 'alice', 'merge')).status).toBe(303);
    const mergeSha = (await api(`/repos/acme/gitops/pulls/${pr.number}`)).json
      .merge_commit_sha;
    await waitFor('acme-web-prod to be OutOfSync at the merge commit', () => {
      const s = app('acme-web-prod').status;
      return s?.sync?.status === 'OutOfSync' && s.sync.revision === mergeSha
        ? true
        : undefined;
    });
  });

  it('escapes everything it shows on a pull request page', async () => {
    await pushBranch(
      'xss',
      'README.md',
      c => `${c}<img src=x onerror=alert(1)>\n`,
    );
    const pr = await openPullRequest('xss', '<script>alert("t")</script>');
    const html = await (await pageAs('alice', pr.html_url)).text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
    expect(html).toContain('+&lt;img src=x onerror=alert(1)&gt;');
    const list = await (
      await pageAs('alice', `${sandbox.url}/acme/gitops/pulls`)
    ).text();
    expect(list).toContain(`/acme/gitops/pull/${pr.number}`);
    expect(
      (await pageAs('alice', `${sandbox.url}/acme/gitops/pull/999`)).status,
    ).toBe(404);
  });

  it('shows its pages only to a signed-in user who may read the repository: another tenant gets 404', async () => {
    const sha = await pushBranch('signed-in', 'README.md', c => `${c}hello\n`);
    const pr = await openPullRequest('signed-in', 'Say hello');
    const pullPath = `/acme/gitops/pull/${pr.number}`;
    const pages = [
      pullPath,
      '/acme/gitops/pulls',
      `/acme/gitops/commit/${sha}`,
    ];
    // not signed in (or a cookie naming no seeded user): to the sign-in page, and back after
    for (const path of pages) {
      const unsigned: Record<string, string>[] = [
        {},
        { cookie: 'kupe_sandbox_git_user=mallory' },
      ];
      for (const headers of unsigned) {
        const res = await fetch(`${sandbox.url}${path}`, {
          headers,
          redirect: 'manual',
        });
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe(
          `/login?return_to=${encodeURIComponent(path)}`,
        );
      }
    }
    const login = await fetch(
      `${sandbox.url}/login?return_to=${encodeURIComponent(pullPath)}`,
    );
    const loginHtml = await login.text();
    expect(login.status).toBe(200);
    expect(loginHtml).toContain(
      `<input type="hidden" name="return_to" value="${pullPath}">`,
    );
    expect(loginHtml).toContain(
      '<option value="bob">Bob Okafor (bob, globex)</option>',
    );

    const signIn = (form: Record<string, string>, origin = sandbox.url) =>
      fetch(`${sandbox.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin,
        },
        body: new URLSearchParams(form).toString(),
      });
    const bob = await signIn({ user: 'bob', return_to: pullPath });
    expect(bob.status).toBe(303);
    expect(bob.headers.get('location')).toBe(pullPath);
    const cookie = bob.headers.get('set-cookie')!;
    expect(cookie).toBe(
      'kupe_sandbox_git_user=bob; Path=/; HttpOnly; SameSite=Strict',
    );
    // bob (globex) sees none of acme's pages, as GitHub hides a private repository
    for (const path of pages) {
      const res = await pageAs('bob', `${sandbox.url}${path}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).not.toContain('Say hello');
      expect(html).toContain('Signed in as Bob Okafor (bob)');
    }
    expect((await pageAction(pr.html_url, 'bob', 'approve')).status).toBe(404);
    // alice (acme) sees them
    for (const path of pages) {
      expect((await pageAs('alice', `${sandbox.url}${path}`)).status).toBe(200);
    }

    // a sign-in returns only to a page of the sandbox, never to another origin
    for (const returnTo of [
      '//evil.example/x',
      'http://evil.example',
      '/a/../b?x=1',
    ]) {
      const res = await signIn({ user: 'alice', return_to: returnTo });
      expect(res.headers.get('location')).toBe('/');
    }
    expect((await signIn({ user: 'mallory', return_to: '/' })).status).toBe(
      400,
    );
    expect(
      (await signIn({ user: 'alice', return_to: '/' }, 'http://evil.example'))
        .status,
    ).toBe(403);
    const out = await fetch(`${sandbox.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: sandbox.url, ...session('alice') },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain(
      'kupe_sandbox_git_user=; Max-Age=0',
    );
  });

  it('shows a commit at its GitHub URL, where the portal links it, escaped, and 404 for an unknown one', async () => {
    const sha = await pushBranch(
      'commit-page',
      'README.md',
      c => `${c}<b>bold</b>\n`,
    );
    const response = await pageAs(
      'alice',
      `${sandbox.url}/acme/gitops/commit/${sha}`,
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(sha);
    expect(html).toContain('1 changed file');
    expect(html).toContain('README.md');
    expect(html).toContain('+&lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<b>bold');
    // a short SHA, as links may carry, finds it too
    expect(
      (
        await pageAs(
          'alice',
          `${sandbox.url}/acme/gitops/commit/${sha.slice(0, 7)}`,
        )
      ).status,
    ).toBe(200);
    for (const path of [
      '/acme/gitops/commit/0000000000000000000000000000000000000000',
      '/acme/nothing/commit/abcdef1',
    ]) {
      expect((await pageAs('alice', `${sandbox.url}${path}`)).status).toBe(404);
    }
  });
});
