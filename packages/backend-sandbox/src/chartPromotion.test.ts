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
import gitOpsPlugin from '@kupe/plugin-gitops-backend';
import type { Application } from '@kupe/plugin-gitops-node';
import {
  TEST_IDENTITY_ORIGIN,
  buildGroup,
  waitFor,
} from '@kupe/plugin-gitops-node-test-utils';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import {
  type ArgoCdSandbox,
  SANDBOX_GITHUB_TOKEN,
  SANDBOX_GITHUB_USER_TOKENS,
  startArgoCdSandbox,
} from '@kupe/gitops-sandbox';

jest.setTimeout(180_000);

const IMAGE = 'registry.acme.example/acme-worker';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

/** A user from the identity provider, with the GitHub login the sandbox knows. */
const user = (name: string, tenant = 'acme'): Entity => ({
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
  spec: { memberOf: [`group:default/${tenant}-devs`] },
});

/**
 * The portal's promotion of acme-worker (a chart from the sandbox's Helm repository with its
 * values from acme's Git) from dev to staging, end to end on the sandbox: the gitops backend
 * plans it from the live Applications, opens the pull request on the sandbox's GitHub, the
 * team merges it, and staging then runs dev's chart version and image.
 */
describe('promoting a chart + $values app on the sandbox', () => {
  let sandbox: ArgoCdSandbox;
  let portal: string;
  let stopPortal: () => void;

  beforeAll(async () => {
    sandbox = await startArgoCdSandbox({
      port: 0,
      reconcileIntervalMs: 200,
      operationMs: 300,
      progressMs: 400,
    });
    const { server } = await startTestBackend({
      features: [
        gitOpsPlugin,
        catalogServiceMock.factory({
          entities: [
            buildGroup('acme-devs', { tenant: 'acme' }),
            buildGroup('globex-devs', { tenant: 'globex' }),
            user('alice'),
            user('arjun'),
            user('bob', 'globex'),
          ],
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [
                ref,
                ref === BOB
                  ? 'group:default/globex-devs'
                  : 'group:default/acme-devs',
              ],
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: new URL(sandbox.url).host,
                  apiBaseUrl: sandbox.gitHubApiUrl,
                  token: SANDBOX_GITHUB_TOKEN,
                },
              ],
            },
            gitops: {
              tenancy: {
                projectPattern: 'tenant-{tenant}',
                clusterPattern: '{tenant}-{cluster}',
                trustedOrigins: [TEST_IDENTITY_ORIGIN],
              },
              instances: [
                {
                  name: 'sandbox',
                  url: sandbox.url,
                  token: sandbox.adminToken,
                  projectTokens: sandbox.projectTokens,
                },
              ],
              gitOperations: { fourEyes: { checkInterval: { seconds: 1 } } },
            },
          },
        }),
      ],
    });
    portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stopPortal = () => server.close();
  });
  afterAll(async () => {
    stopPortal?.();
    await sandbox?.stop();
  });

  const asUser = async (ref: string, path: string, body?: unknown) => {
    const res = await fetch(`${portal}/api/gitops/instances/sandbox${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: mockCredentials.user.header(ref),
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const gitHub = async (
    login: string,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const res = await fetch(`${sandbox.gitHubApiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `token ${SANDBOX_GITHUB_USER_TOKENS[login]}`,
        'content-type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const app = (name: string): Application => sandbox.fake.getApplication(name)!;

  it('previews, opens and merges the pull request; staging then runs the chart version and image of dev', async () => {
    const preview = await waitFor('the promotion preview', async () => {
      const res = await asUser(
        ALICE,
        '/applications/acme-worker-dev/promotion',
      );
      return res.status === 200 ? res : undefined;
    });
    expect(preview.body).toMatchObject({
      version: {
        layout: 'helm-repository',
        chart: 'acme-worker',
        chartVersion: '0.2.0',
        images: [{ name: IMAGE, tag: '1.1.0' }],
        files: ['apps/acme-worker/values-dev.yaml'],
      },
      next: {
        application: { name: 'acme-worker-staging' },
        version: { chartVersion: '0.1.0' },
      },
      changes: [{ name: IMAGE, from: '1.0.0', to: '1.1.0' }],
      chartChanges: [
        { kind: 'chart', name: 'acme-worker', from: '0.1.0', to: '0.2.0' },
      ],
      files: [
        'apps/acme-worker/values-staging.yaml',
        'argocd/acme-worker-staging.yaml',
      ],
      promotable: true,
    });

    const promoted = await asUser(
      ALICE,
      '/applications/acme-worker-dev/promote',
      {},
    );
    expect(promoted.status).toBe(200);
    const number = Number(
      /\/pull\/(\d+)$/.exec(promoted.body.pullRequestUrl)?.[1],
    );
    expect(number).toBeGreaterThan(0);
    const files = await gitHub(
      'arjun',
      `/repos/acme/gitops/pulls/${number}/files`,
    );
    expect(
      files.body.map((f: { filename: string }) => f.filename).sort(),
    ).toEqual([
      'apps/acme-worker/values-staging.yaml',
      'argocd/acme-worker-staging.yaml',
    ]);

    // Staging is not code-owned: the portal's kupe/four-eyes status lets a member merge it.
    const merged = await waitFor(
      'the pull request to merge',
      async () => {
        const res = await gitHub(
          'arjun',
          `/repos/acme/gitops/pulls/${number}/merge`,
          {
            method: 'PUT',
            body: { merge_method: 'merge' },
          },
        );
        return res.status === 200 ? res : undefined;
      },
      30_000,
    );
    const sha = merged.body.sha as string;

    // The values come from Git: staging picks up dev's image on its chart version of now.
    await waitFor('staging to run the promoted image', () => {
      const s = app('acme-worker-staging').status;
      return s?.summary?.images?.[0] === `${IMAGE}:1.1.0` &&
        s.sync?.revisions?.[1] === sha
        ? s
        : undefined;
    });

    // The chart version is in the Application's manifest in Git, which an app-of-apps parent
    // applies (the sandbox has none: the test applies it as `argocd app create --upsert` would).
    const manifest = await gitHub(
      'arjun',
      '/repos/acme/gitops/contents/argocd/acme-worker-staging.yaml?ref=main',
    );
    const applied = parseYaml(
      Buffer.from(manifest.body.content, 'base64').toString('utf8'),
    ) as Application;
    expect(applied.spec.sources?.[0].targetRevision).toBe('0.2.0');
    const upsert = await fetch(
      `${sandbox.url}/api/v1/applications?upsert=true`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${sandbox.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(applied),
      },
    );
    expect(upsert.status).toBe(200);

    const status = await waitFor('staging to run chart 0.2.0', () => {
      const s = app('acme-worker-staging').status;
      return s?.sync?.status === 'Synced' &&
        s.sync.revisions?.[0] === '0.2.0' &&
        s.history?.at(-1)?.revisions?.[0] === '0.2.0'
        ? s
        : undefined;
    });
    expect(status.sync?.revisions).toEqual(['0.2.0', sha]);
    expect(status.summary?.images).toEqual([`${IMAGE}:1.1.0`]);
    expect(status.resources?.map(r => `${r.kind}/${r.name}`).sort()).toEqual([
      'ConfigMap/acme-worker-staging-config',
      'Deployment/acme-worker-staging',
      'Service/acme-worker-staging',
    ]);

    // Nothing left to carry from dev to staging.
    const after = await waitFor(
      'the preview to see staging caught up',
      async () => {
        const res = await asUser(
          ALICE,
          '/applications/acme-worker-dev/promotion',
        );
        return res.body.next?.version?.chartVersion === '0.2.0'
          ? res
          : undefined;
      },
    );
    expect(after.body.chartChanges ?? []).toEqual([]);
    expect(after.body.changes ?? []).toEqual([]);
  });

  it('keeps it within the tenant: a globex user may not promote acme-worker', async () => {
    const res = await asUser(
      'user:default/bob',
      '/applications/acme-worker-dev/promotion',
    );
    expect([403, 404]).toContain(res.status);
  });
});
