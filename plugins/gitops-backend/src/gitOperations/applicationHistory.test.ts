import { GitRepository } from '@kupe/plugin-gitops-node';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import request from 'supertest';
import {
  type World,
  deploymentYaml,
  kustomization,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Real git over real repositories: seconds per test on a loaded machine.
jest.setTimeout(60_000);

describe('history rows and the app’s own files', () => {
  let w: World;
  beforeAll(async () => {
    w = await startGitOperationsWorld();
  });
  afterAll(() => w.stop());

  /** Argo CD's history of `name`: one deployment per revision, oldest first. */
  const deployments = (name: string, revisions: string[]) =>
    w.fake.updateApplication(name, a => {
      a.status!.history = revisions.map((revision, i) => ({
        id: i + 1,
        revision,
        deployedAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
        source: a.spec.source,
      }));
      a.status!.sync = {
        ...a.status!.sync,
        status: 'Synced',
        revision: revisions[revisions.length - 1],
      };
    });

  const historyOf = (name: string, newest: string) =>
    waitFor(`${name} to show ${newest} deployed`, async () => {
      const res = await request(w.server).get(app(name)).set(as(users.alice));
      return res.body.history?.[0]?.revision === newest
        ? res.body.history
        : undefined;
    });

  it('says which deployments changed the app’s files, names the change they run, and which one runs now', async () => {
    const [c1, , c3, , c5] = w.shas;
    // acme-web-prod's overlay changes in c1 only, until c6; c3..c5 change other apps (acme-api
    // prod, acme-web dev) in the shared repository.
    const c6 = await w.commit('Roll out acme-web 1.4.0 to prod', {
      'apps/acme-web/overlays/prod/kustomization.yaml': kustomization('1.4.0'),
    });
    const c7 = await w.commit('Roll out acme-api 2.0.0 to prod', {
      'apps/acme-api/values-prod.yaml': 'image:\n  tag: "2.0.0"\n',
    });
    deployments('acme-web-prod', [c1, c3, c5, c6, c7]);
    const metadataAsked = () =>
      w.fake.requests.filter(
        r =>
          r.path.startsWith('/api/v1/applications/acme-web-prod/revisions/') &&
          r.path.endsWith('/metadata'),
      ).length;
    const asked = metadataAsked();
    const history = await historyOf('acme-web-prod', c7);
    // Each deployment's commit (author, date, message) comes from the clone that tells its
    // own files: Argo CD's revision metadata is not asked.
    expect(metadataAsked()).toBe(asked);
    expect(
      history
        .slice(0, 2)
        .map((e: { author?: string; message?: string; date?: string }) => [
          e.author,
          e.message,
          typeof e.date,
        ]),
    ).toEqual([
      [
        expect.stringMatching(/^.+ <.+@.+>$/),
        'Roll out acme-api 2.0.0 to prod',
        'string',
      ],
      [
        expect.stringMatching(/^.+ <.+@.+>$/),
        'Roll out acme-web 1.4.0 to prod',
        'string',
      ],
    ]);
    const rows = history.map(
      (e: {
        revision: string;
        message?: string;
        ownChange?: boolean;
        ownCommit?: { sha: string; message: string };
        runsNow?: boolean;
      }) => ({
        revision: e.revision,
        ownChange: e.ownChange,
        ownCommit: e.ownCommit?.message,
        runsNow: e.runsNow,
      }),
    );
    expect(rows).toEqual([
      // acme-api's commit redeployed acme-web-prod without changing its files
      {
        revision: c7,
        ownChange: false,
        ownCommit: 'Roll out acme-web 1.4.0 to prod',
        runsNow: true,
      },
      {
        revision: c6,
        ownChange: true,
        ownCommit: 'Roll out acme-web 1.4.0 to prod',
        runsNow: true,
      },
      {
        revision: c5,
        ownChange: false,
        ownCommit: 'Add acme-web, acme-api and acme-shop',
        runsNow: false,
      },
      {
        revision: c3,
        ownChange: false,
        ownCommit: 'Add acme-web, acme-api and acme-shop',
        runsNow: false,
      },
      {
        revision: c1,
        ownChange: true,
        ownCommit: 'Add acme-web, acme-api and acme-shop',
        runsNow: false,
      },
    ]);
  });

  it('counts a shared Helm chart’s own value file, not another environment’s', async () => {
    // c5 changes acme-api's shared templates and staging's and prod's values: dev's files too
    // (the templates); c3 changes values-prod only, not dev's.
    const [, c2, c3, , c5] = w.shas;
    deployments('acme-api-dev', [c2, c3, c5]);
    const history = await historyOf('acme-api-dev', c5);
    expect(history.map((e: { ownChange?: boolean }) => e.ownChange)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('reads the commits of ten deployments with one git log and one Argo CD read per request', async () => {
    // Every git read of the shared clones goes through GitRepository's git seam.
    const git = jest.spyOn(
      GitRepository.prototype as unknown as {
        git: (args: string[]) => Promise<string>;
      },
      'git',
    );
    const logsOfSharedClones = () =>
      git.mock.calls.filter(
        ([args], i) =>
          args[0] === 'log' &&
          (git.mock.contexts[i] as GitRepository).path.includes(
            'kupe-gitops-read-',
          ),
      ).length;
    try {
      const revisions: string[] = [];
      for (let i = 1; i <= 10; i++) {
        // Odd steps change acme-shop-staging's files, even ones only acme-shop dev's.
        const env = i % 2 ? 'staging' : 'dev';
        revisions.push(
          await w.commit(`acme-shop ${env} 3.2.${i}`, {
            [`apps/acme-shop/${env}/deployment.yaml`]: deploymentYaml(
              'acme-shop',
              `registry.acme.example/acme-shop:3.2.${i}`,
            ),
          }),
        );
      }
      deployments('acme-shop-staging', revisions);
      const perRequest: number[] = [];
      // Argo CD is asked for the app once per detail: the own files read its source from
      // the detail's answer.
      const appReads: number[] = [];
      const reads = () =>
        w.fake.requests.filter(
          r =>
            r.method === 'GET' &&
            r.path === '/api/v1/applications/acme-shop-staging',
        ).length;
      const history: Array<{
        revision: string;
        ownCommit?: { message: string };
      }> = await waitFor('the ten deployments', async () => {
        const before = logsOfSharedClones();
        const readsBefore = reads();
        const res = await request(w.server)
          .get(app('acme-shop-staging'))
          .set(as(users.alice));
        perRequest.push(logsOfSharedClones() - before);
        appReads.push(reads() - readsBefore);
        return res.body.history?.[0]?.revision === revisions[9]
          ? res.body.history
          : undefined;
      });
      expect(Math.max(...perRequest)).toBe(1);
      expect(Math.max(...appReads)).toBe(1);
      expect(history.map(e => [e.revision, e.ownCommit?.message])).toEqual(
        revisions
          .map((revision, i) => [
            revision,
            `acme-shop staging 3.2.${i % 2 ? i : i + 1}`,
          ])
          .reverse(),
      );
    } finally {
      git.mockRestore();
    }
  });
});
