import request from 'supertest';
import {
  type World,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Real git over real repositories (and HTTP): seconds per test on a loaded machine.
jest.setTimeout(90_000);

describe('four eyes on production', () => {
  let w: World;
  beforeEach(async () => {
    w = await startGitOperationsWorld({ github: true, fourEyes: true });
  });
  afterEach(() => w.stop());

  const fake = () => w.github!.fake;
  const pull = async (n: number) =>
    (await fake().getPullRequest('carol', 'acme', 'gitops', n)) as {
      head: { sha: string; ref: string };
      mergeable_state: string;
      user: { login: string };
    };
  /** The portal's latest `kupe/four-eyes` status on the pull request's head. */
  const fourEyes = async (n: number) => {
    const { head } = await pull(n);
    const statuses = (await fake().listCommitStatuses(
      'carol',
      'acme',
      'gitops',
      head.sha,
    )) as Array<{
      context: string;
      state: string;
      description: string;
      creator: { login: string };
    }>;
    return statuses.find(
      s => s.context === 'kupe/four-eyes' && s.creator.login === 'kupe-bot',
    );
  };
  const approve = (login: string, n: number) =>
    fake().submitReview(login, 'acme', 'gitops', n, { event: 'APPROVE' });
  const merge = async (login: string, n: number) => {
    try {
      await fake().mergePullRequest(login, 'acme', 'gitops', n, {});
      return 'merged';
    } catch (error) {
      return (error as { body: { message: string } }).body.message;
    }
  };
  const check = () => w.runTask('gitops-four-eyes');

  it('alice requests a production promotion: her own approval does not make it mergeable, arjun’s does', async () => {
    const res = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.environment).toBe('production');
    // Opened by the portal's account, so GitHub's own author rule does not stop alice.
    expect((await pull(1)).user.login).toBe('kupe-bot');
    expect(await fourEyes(1)).toMatchObject({
      state: 'pending',
      creator: { login: 'kupe-bot' },
      description:
        'Requested by user:default/alice (acme, production): needs an approval by another member of acme',
    });

    await approve('alice', 1);
    await check();
    expect(await fourEyes(1)).toMatchObject({ state: 'pending' });
    expect(await merge('alice', 1)).toBe(
      'Required status check "kupe/four-eyes" is pending.',
    );
    expect((await pull(1)).mergeable_state).toBe('blocked');

    // Alice may set statuses (write access), but the check expects the portal as their source.
    const { head } = await pull(1);
    await fake().createCommitStatus('alice', 'acme', 'gitops', head.sha, {
      state: 'success',
      context: 'kupe/four-eyes',
    });
    expect(await merge('alice', 1)).toBe(
      'Required status check "kupe/four-eyes" is pending.',
    );

    // carol has write access but is nobody the portal knows as an acme member.
    await approve('carol', 1);
    await check();
    expect(await fourEyes(1)).toMatchObject({ state: 'pending' });

    await approve('arjun', 1);
    await check();
    expect(await fourEyes(1)).toMatchObject({
      state: 'success',
      description:
        'Requested by user:default/alice (acme, production): approved by arjun',
    });
    expect(await merge('alice', 1)).toBe('merged');
  });

  it('a second requester of the same change cannot approve it either, and a new push loses the record', async () => {
    const first = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(first.status).toBe(200);
    // arjun asks for the same promotion: the same pull request, now requested by both.
    const again = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.arjun))
      .send({});
    expect(again.body.pullRequestUrl).toBe(first.body.pullRequestUrl);
    await approve('arjun', 1);
    await check();
    expect(await fourEyes(1)).toMatchObject({ state: 'pending' });
    await approve('alice', 1);
    await check();
    expect(await fourEyes(1)).toMatchObject({ state: 'pending' });
    expect(await merge('arjun', 1)).toBe(
      'Required status check "kupe/four-eyes" is pending.',
    );

    // Someone with write access pushes to the portal's branch: nobody recorded asking for that.
    const { head } = await pull(1);
    await w.git([
      'update-ref',
      `refs/heads/${head.ref}`,
      (
        await w.git([
          'commit-tree',
          '-p',
          head.sha,
          '-m',
          'More',
          `${head.sha}^{tree}`,
        ])
      ).trim(),
    ]);
    await check();
    expect(await fourEyes(1)).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/^Changed after the portal opened it/),
    });
  });

  it('a production revert waits for another member too; a staging promotion needs no second person', async () => {
    const revert = await request(w.server)
      .post(`${app('acme-web-prod')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: w.shas[0] });
    // acme-web-prod's files have not changed since c1: nothing to revert.
    expect(revert.status).toBe(409);
    await w.commit('Hotfix prod to 1.2.1', {
      'apps/acme-web/overlays/prod/kustomization.yaml':
        'images:\n  - name: registry.acme.example/acme-web\n    newTag: "1.2.1"\n',
    });
    const opened = await request(w.server)
      .post(`${app('acme-web-prod')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: w.shas[0] });
    expect(opened.status).toBe(200);
    expect(await fourEyes(1)).toMatchObject({
      state: 'pending',
      description:
        'Requested by user:default/alice (acme, production): needs an approval by another member of acme',
    });
    await approve('arjun', 1);
    await check();
    expect(await fourEyes(1)).toMatchObject({ state: 'success' });

    const staging = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(staging.status).toBe(200);
    expect(await fourEyes(2)).toMatchObject({
      state: 'success',
      description:
        'Requested by user:default/alice (acme, staging): not production, no second person needed',
    });
  });

  it('passes pull requests people open themselves: GitHub keeps their author from approving', async () => {
    await w.git(['branch', 'by-carol', 'main']);
    await w.git([
      'update-ref',
      'refs/heads/by-carol',
      (
        await w.git(['commit-tree', '-p', 'main', '-m', 'Docs', 'main^{tree}'])
      ).trim(),
    ]);
    await fake().createPullRequest('carol', 'acme', 'gitops', {
      title: 'Docs',
      head: 'by-carol',
      base: 'main',
    });
    await check();
    expect(await fourEyes(1)).toMatchObject({
      state: 'success',
      description:
        'Opened by carol outside the portal: GitHub keeps its author from approving it',
    });
    await expect(approve('carol', 1)).rejects.toMatchObject({ status: 422 });
  });

  it('checks the values repository of apps whose first source is a chart from a Helm repository', async () => {
    // Argo CD's common multi-source layout: the chart first, its values from Git (`ref`)
    for (const application of w.fake.listApplications()) {
      const { source, ...spec } = application.spec;
      w.fake.putApplication({
        ...application,
        spec: {
          ...spec,
          sources: [
            {
              repoURL: 'https://charts.acme.example',
              chart: 'web',
              targetRevision: '1.0.0',
              helm: { valueFiles: ['$values/apps/web/values.yaml'] },
            },
            { ...source!, ref: 'values' },
          ],
        },
      });
    }
    await w.git([
      'branch',
      'by-carol',
      (
        await w.git(['commit-tree', '-p', 'main', '-m', 'Docs', 'main^{tree}'])
      ).trim(),
    ]);
    await fake().createPullRequest('carol', 'acme', 'gitops', {
      title: 'Docs',
      head: 'by-carol',
      base: 'main',
    });
    // until the index has seen the apps' new sources
    for (let i = 0; i < 50 && !(await fourEyes(1)); i++) {
      await check();
      if (!(await fourEyes(1)))
        await new Promise(resolve => setTimeout(resolve, 200));
    }
    expect((await fourEyes(1))?.state).toBe('success');
    expect(w.logs.join('\n')).not.toMatch(/Four-eyes check of .*charts/);
  });
});
