import request from 'supertest';
import {
  type World,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Real git over real repositories (and HTTP): seconds per test on a loaded machine.
jest.setTimeout(60_000);

describe('pull requests on a GitHub integration', () => {
  let w: World;
  beforeEach(async () => {
    w = await startGitOperationsWorld({ github: true });
  });
  afterEach(() => w.stop());

  const git = async (args: string[]) => (await w.git(args)).trim();
  const namesBetween = async (from: string, to: string) =>
    (await git(['diff', '--name-only', from, to])).split('\n').filter(Boolean);
  /** The repository's pull requests as GitHub lists them (state all, oldest first). */
  const pullsOf = async () =>
    (
      await w.github!.fake.listPullRequests(
        'carol',
        'acme',
        'gitops',
        new URLSearchParams({ state: 'all', direction: 'asc' }),
      )
    ).items as Array<{
      number: number;
      state: string;
      title: string;
      body: string;
      head: { ref: string };
      base: { ref: string };
      user: { login: string };
    }>;
  const approveAndMerge = async (pull: number) => {
    await w.github!.fake.submitReview('carol', 'acme', 'gitops', pull, {
      event: 'APPROVE',
    });
    return w.github!.fake.mergePullRequest('carol', 'acme', 'gitops', pull, {
      merge_method: 'merge',
    });
  };

  it('promotes dev to staging through a pull request that changes only the staging overlay, and finds it again on a re-run', async () => {
    const main = await git(['rev-parse', 'refs/heads/main']);
    const res = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(200);
    const branch = res.body.branch as string;
    expect(branch).toMatch(/^kupe\/promote\/acme-web-staging-[0-9a-f]{12}$/);
    expect(res.body).toEqual({
      pullRequestUrl: `${w.github!.origin}/acme/gitops/pull/1`,
      branch,
      changedFiles: ['apps/acme-web/overlays/staging/kustomization.yaml'],
      environment: 'staging',
      application: {
        instance: 'main',
        appNamespace: 'argocd',
        name: 'acme-web-staging',
      },
    });
    // Main is untouched; the branch is one commit on main changing only staging's version.
    expect(await git(['rev-parse', 'refs/heads/main'])).toBe(main);
    expect(await git(['rev-parse', `${branch}^`])).toBe(main);
    expect(await namesBetween(main, branch)).toEqual([
      'apps/acme-web/overlays/staging/kustomization.yaml',
    ]);
    const overlay = await git([
      'show',
      `${branch}:apps/acme-web/overlays/staging/kustomization.yaml`,
    ]);
    expect(overlay).toContain('newTag: "1.5.0"');
    expect(overlay).toContain('# the overlay pins the image');
    const message = await git(['log', '-1', '--format=%B', branch]);
    expect(message).toContain('from dev to staging');
    expect(message).toContain(`Requested-by: ${users.alice}`);
    expect(await pullsOf()).toEqual([
      expect.objectContaining({
        number: 1,
        state: 'open',
        head: expect.objectContaining({ ref: branch }),
        base: expect.objectContaining({ ref: 'main' }),
        user: expect.objectContaining({ login: 'kupe-bot' }),
        title: 'Promote acme-web:1.5.0 from dev to staging (acme-web-staging)',
      }),
    ]);
    const files = await w.github!.fake.listPullRequestFiles(
      'carol',
      'acme',
      'gitops',
      1,
    );
    expect(files.map((f: { filename?: unknown }) => f.filename)).toEqual([
      'apps/acme-web/overlays/staging/kustomization.yaml',
    ]);

    const pushed = await git(['rev-parse', branch]);
    const again = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(again.status).toBe(200);
    expect(again.body.pullRequestUrl).toBe(res.body.pullRequestUrl);
    expect(await pullsOf()).toHaveLength(1);
    // Same content: the branch is not pushed again.
    expect(await git(['rev-parse', branch])).toBe(pushed);

    const audits = w.audits.filter(a => a.eventId === 'application-promote');
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({
      meta: { instance: 'main', name: 'acme-web-dev' },
      outcome: {
        status: 'succeeded',
        meta: {
          toEnvironment: 'staging',
          toApplication: 'acme-web-staging',
          pullRequestUrl: res.body.pullRequestUrl,
          branch,
          changedFiles: 1,
        },
      },
    });
    const recorded = JSON.stringify({
      audits: w.audits,
      logs: w.logs,
      bodies: [res.body, again.body],
    });
    for (const secret of w.secrets) expect(recorded).not.toContain(secret);
  });

  it('promotes Helm and plain layouts changing only the next environment version file', async () => {
    const main = await git(['rev-parse', 'refs/heads/main']);
    const helm = await request(w.server)
      .post(`${app('acme-api-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(helm.status).toBe(200);
    expect(await namesBetween(main, helm.body.branch)).toEqual([
      'apps/acme-api/values-staging.yaml',
    ]);
    expect(
      await git([
        'show',
        `${helm.body.branch}:apps/acme-api/values-staging.yaml`,
      ]),
    ).toBe('# staging\nimage:\n  tag: "1.9.0"'); // trimmed by git()

    const plain = await request(w.server)
      .post(`${app('acme-shop-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(plain.status).toBe(200);
    expect(await namesBetween(main, plain.body.branch)).toEqual([
      'apps/acme-shop/staging/deployment.yaml',
    ]);
    expect(
      await git(['diff', main, plain.body.branch, '--', 'apps/acme-shop']),
    ).toMatch(
      /-\s+image: registry.acme.example\/acme-shop:3.0.0\n\+\s+image: registry.acme.example\/acme-shop:3.1.0/,
    );
    expect((await pullsOf()).map(p => p.head.ref)).toEqual([
      helm.body.branch,
      plain.body.branch,
    ]);
  });

  it('promotes into production only as a pull request, which merges only once approved', async () => {
    w.github!.fake.protectBranch('acme/gitops', 'main', {
      requiredApprovingReviewCount: 1,
    });
    const main = await git(['rev-parse', 'refs/heads/main']);
    const preview = await request(w.server)
      .get(`${app('acme-web-staging')}/promotion`)
      .set(as(users.alice));
    expect(preview.body).toMatchObject({
      requiresApproval: true,
      next: { environment: 'production' },
    });
    const res = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.environment).toBe('production');
    expect(await git(['rev-parse', 'refs/heads/main'])).toBe(main);
    expect(await namesBetween(main, res.body.branch)).toEqual([
      'apps/acme-web/overlays/prod/kustomization.yaml',
    ]);
    const [pull] = await pullsOf();
    expect(pull.body).toContain('Production: merge only after approval');
    await expect(
      w.github!.fake.mergePullRequest('carol', 'acme', 'gitops', pull.number, {
        merge_method: 'merge',
      }),
    ).rejects.toMatchObject({ status: 405 });
    await approveAndMerge(pull.number);
    expect(
      await git([
        'show',
        'main:apps/acme-web/overlays/prod/kustomization.yaml',
      ]),
    ).toContain('newTag: "1.3.0"');
    expect(await namesBetween(main, 'main')).toEqual([
      'apps/acme-web/overlays/prod/kustomization.yaml',
    ]);
  });

  it('after the merge, staging is at the promoted version and there is nothing left to promote', async () => {
    const res = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(200);
    await approveAndMerge(1);
    expect(
      await git([
        'show',
        'main:apps/acme-web/overlays/staging/kustomization.yaml',
      ]),
    ).toContain('newTag: "1.5.0"');
    const preview = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(preview.body).toMatchObject({
      promotable: false,
      files: [],
      changes: [],
    });
    expect(preview.body.reason).toMatch(/already at acme-web:1.5.0/);
    const again = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(again.status).toBe(409);
    expect(await pullsOf()).toHaveLength(1);
  });

  it('promotes the same version again after its merged pull request was reverted', async () => {
    const first = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(first.status).toBe(200);
    const before = await git(['rev-parse', 'refs/heads/main']);
    await approveAndMerge(1);
    const merged = await git(['rev-parse', 'refs/heads/main']);
    expect(merged).not.toBe(before);
    // Someone reverts the promotion on main; the portal's branch still holds the same tree.
    const reverted = await git([
      'commit-tree',
      `${before}^{tree}`,
      '-p',
      merged,
      '-m',
      'Revert the promotion of acme-web 1.5.0 to staging',
    ]);
    await git(['update-ref', 'refs/heads/main', reverted]);

    const again = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(again.status).toBe(200);
    expect(again.body.branch).toBe(first.body.branch);
    expect(again.body.pullRequestUrl).toBe(
      `${w.github!.origin}/acme/gitops/pull/2`,
    );
    // A new commit on the reverted main, so the pull request has something to merge.
    expect(await git(['rev-parse', `${again.body.branch}^`])).toBe(reverted);
    expect((await pullsOf()).map(p => [p.number, p.state, p.head.ref])).toEqual(
      [
        [1, 'closed', first.body.branch],
        [2, 'open', first.body.branch],
      ],
    );
  });

  it('reverts through a pull request by default (also in dev), and a re-run finds the same one', async () => {
    const [c1, c2, , c4, c5] = w.shas;
    const res = await request(w.server)
      .post(`${app('acme-web-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      delivery: 'pull-request',
      pullRequestUrl: `${w.github!.origin}/acme/gitops/pull/1`,
      branch: `kupe/revert/acme-web-dev-${c1.slice(0, 12)}`,
      revertedCommits: [c4, c2],
    });
    expect(await git(['rev-parse', 'refs/heads/main'])).toBe(c5);
    expect(await git(['rev-parse', res.body.branch])).toBe(res.body.commitSha);
    expect(await namesBetween(c5, res.body.branch)).toEqual(
      res.body.changedFiles,
    );
    expect(
      await git(['rev-parse', `${res.body.branch}:apps/acme-web/overlays/dev`]),
    ).toBe(await git(['rev-parse', `${c1}:apps/acme-web/overlays/dev`]));

    const again = await request(w.server)
      .post(`${app('acme-web-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1 });
    expect(again.status).toBe(200);
    expect(again.body.pullRequestUrl).toBe(res.body.pullRequestUrl);
    expect(again.body.commitSha).toBe(res.body.commitSha);
    const pulls = await pullsOf();
    expect(pulls).toHaveLength(1);
    expect(pulls[0].body).toContain(`Requested-by: ${users.alice}`);

    // The plan says a pull request is available on this host.
    const plan = await request(w.server)
      .get(`${app('acme-web-prod')}/revert-plan?toRevision=${c1}`)
      .set(as(users.alice));
    expect(plan.body).toMatchObject({
      pullRequestAvailable: true,
      directCommitAllowed: false,
      commits: [],
      files: [],
    });
  });
});
