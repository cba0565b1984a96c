import { DORA_SEED } from '../seed/seedDoraHistory';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '@kupe/plugin-gitops-node';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import {
  SANDBOX_GITHUB_TOKEN,
  SANDBOX_GITHUB_USER_TOKENS,
} from '../github/sandboxGitHub';
import { identityEnv, runGit } from '../git/runGit';
import { ArgoCdSandbox, startArgoCdSandbox } from './startArgoCdSandbox';

jest.setTimeout(90_000);

const CARLA = { name: 'Carla Test', email: 'carla@acme.example' };

describe('startArgoCdSandbox', () => {
  let sandbox: ArgoCdSandbox;
  let startedAt: number;

  beforeAll(async () => {
    startedAt = Date.now();
    sandbox = await startArgoCdSandbox({
      port: 0,
      reconcileIntervalMs: 150,
      operationMs: 300,
      progressMs: 400,
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  async function api(
    path: string,
    init: { method?: string; body?: unknown; token?: string } = {},
  ) {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.token ?? sandbox.adminToken}`,
        ...(init.method && init.method !== 'GET'
          ? { 'content-type': 'application/json' }
          : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  const app = (name: string): Application => sandbox.fake.getApplication(name)!;
  const lastHistory = (name: string) => app(name).status?.history?.at(-1);
  const headOf = async (repo: string) =>
    (
      await runGit([
        '--git-dir',
        join(sandbox.repositories.root, `${repo}.git`),
        'rev-parse',
        'main',
      ])
    ).trim();

  it('serves the seeded applications over loopback HTTP, in their seeded states', async () => {
    const list = await api('/api/v1/applications');
    expect(list.status).toBe(200);
    expect(list.json.items.map((a: Application) => a.metadata.name)).toEqual([
      'acme-api-dev',
      'acme-api-prod',
      'acme-checkout-staging',
      'acme-storefront-dev',
      'acme-storefront-envs',
      'acme-storefront-preview-checkout-redesign',
      'acme-storefront-preview-dark-mode',
      'acme-storefront-staging',
      'acme-web-dev',
      'acme-web-prod',
      'acme-web-staging',
      'acme-worker-dev',
      'acme-worker-prod',
      'acme-worker-staging',
      'globex-billing-dev',
      'globex-billing-prod',
      'globex-shop-dev',
      'globex-shop-prod',
    ]);
    const acmeOnly = await api('/api/v1/applications', {
      token: sandbox.projectTokens.acme,
    });
    expect(
      acmeOnly.json.items.every(
        (a: Application) => a.spec.project === 'tenant-acme',
      ),
    ).toBe(true);

    const head = await headOf('acme/gitops');
    // The ApplicationSet's and the canary's seeds commit after the apps are created: the
    // next reconcile (150 ms here) compares against them, as Argo CD's would.
    const prod = await waitFor(
      'acme-web-prod to compare against the head',
      () =>
        app('acme-web-prod').status?.sync?.revision === head
          ? app('acme-web-prod')
          : undefined,
    );
    expect(prod.status?.sync).toMatchObject({
      status: 'OutOfSync',
      revision: head,
    });
    expect(prod.status?.history?.at(-1)?.revision).not.toBe(head);
    // Like Argo CD, images come from the live objects: still the deployed 1.3.0, not Git's 1.4.0.
    expect(prod.status?.summary?.images).toEqual([
      'registry.acme.example/acme-web:1.3.0',
    ]);
    expect(app('acme-web-dev').status).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    expect(app('acme-web-dev').status?.sourceType).toBe('Kustomize');
    expect(app('acme-api-prod').status?.health?.status).toBe('Degraded');
    expect(app('acme-api-prod').status?.summary?.images).toEqual([
      'registry.acme.example/acme-api:2.0.0-broken',
    ]);
    expect(app('globex-billing-dev').status?.health?.status).toBe('Degraded');
    // Never synced: compared (OutOfSync against the head), nothing deployed.
    const billingProd = app('globex-billing-prod').status;
    expect(billingProd).toMatchObject({
      sync: { status: 'OutOfSync', revision: await headOf('globex/gitops') },
      health: { status: 'Missing' },
    });
    expect(billingProd?.history).toBeUndefined();
    expect(billingProd?.operationState).toBeUndefined();
    expect(billingProd?.summary?.images).toBeUndefined();
    await waitFor('acme-api-dev to auto-sync and become healthy', () => {
      const s = app('acme-api-dev').status;
      return s?.sync?.status === 'Synced' && s.health?.status === 'Healthy'
        ? s
        : undefined;
    });
    expect(lastHistory('acme-api-dev')?.initiatedBy).toEqual({
      automated: true,
    });
  });

  it('dates the seeded commits and history hours to days before its start', async () => {
    const fiveDays = 5 * 24 * 3600_000;
    const recent = (date: string | undefined) => {
      const t = Date.parse(date ?? '');
      return t > startedAt - fiveDays && t <= Date.now();
    };
    const prodHistory = app('acme-web-prod').status?.history ?? [];
    // c1, c2, then the DORA seed's c3 rolled back to c2 an hour later (seedDoraHistory).
    expect(prodHistory).toHaveLength(4);
    const [c1, c2, c3, back] = prodHistory;
    expect(new Set([c1.revision, c2.revision, c3.revision]).size).toBe(3);
    expect(back.revision).toBe(c2.revision);
    expect(Date.parse(back.deployedAt) - Date.parse(c3.deployedAt)).toBe(
      DORA_SEED.timeToRestoreMs,
    );
    for (const name of [
      'acme-web-prod',
      'acme-web-staging',
      'globex-shop-dev',
    ]) {
      for (const entry of app(name).status?.history ?? []) {
        expect(recent(entry.deployedAt)).toBe(true);
        const metadata = await api(
          `/api/v1/applications/${name}/revisions/${entry.revision}/metadata`,
        );
        expect(recent(metadata.json.date)).toBe(true);
        // A deployment never predates the commit it deployed.
        expect(Date.parse(metadata.json.date)).toBeLessThanOrEqual(
          Date.parse(entry.deployedAt),
        );
      }
    }
  });

  it('makes an auto-sync app OutOfSync on a commit, then syncs it with the real SHA and metadata', async () => {
    const seen = new Set<string>();
    const sha = await sandbox.repositories.commit('acme/gitops', {
      author: CARLA,
      message: 'Bump acme-web dev to 1.5.0',
      files: {
        'apps/acme-web/overlays/dev/kustomization.yaml': [
          'resources:',
          '  - ../../base',
          'images:',
          '  - name: registry.acme.example/acme-web',
          '    newTag: "1.5.0"',
          '',
        ].join('\n'),
      },
    });
    await waitFor('acme-web-dev to deploy the commit', () => {
      const s = app('acme-web-dev').status;
      seen.add(s?.sync?.status ?? '');
      // The sync status settles on the reconcile after the operation, as in Argo CD.
      return lastHistory('acme-web-dev')?.revision === sha &&
        s?.sync?.status === 'Synced' &&
        s?.health?.status === 'Healthy'
        ? s
        : undefined;
    });
    expect(seen).toContain('OutOfSync');
    expect(app('acme-web-dev').status?.sync).toMatchObject({
      status: 'Synced',
      revision: sha,
    });
    expect(app('acme-web-dev').status?.summary?.images).toEqual([
      'registry.acme.example/acme-web:1.5.0',
    ]);
    const metadata = await api(
      `/api/v1/applications/acme-web-dev/revisions/${sha}/metadata?project=tenant-acme`,
    );
    expect(metadata.json).toMatchObject({
      author: 'Carla Test <carla@acme.example>',
      message: 'Bump acme-web dev to 1.5.0',
    });
    expect(metadata.json.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('holds back automated syncs in a change freeze, and deploys once the freeze is lifted', async () => {
    // globex-shop-prod turned to auto-sync while its cluster is frozen.
    const policy = app('globex-shop-prod').spec.syncPolicy;
    sandbox.fake.updateApplication('globex-shop-prod', a => {
      a.spec.syncPolicy = { automated: { prune: false, selfHeal: false } };
    });
    const path = 'apps/globex-shop/prod/deployment.yaml';
    const manifest = await runGit([
      '--git-dir',
      join(sandbox.repositories.root, 'globex/gitops.git'),
      'show',
      `main:${path}`,
    ]);
    expect(manifest).toContain('registry.globex.example/shop:3.1.4');
    const sha = await sandbox.repositories.commit('globex/gitops', {
      author: CARLA,
      message: 'Ship shop 3.2.0 to production',
      files: { [path]: manifest.replace('shop:3.1.4', 'shop:3.2.0') },
    });
    await waitFor('globex-shop-prod to see the commit', () => {
      const sync = app('globex-shop-prod').status?.sync;
      return sync?.status === 'OutOfSync' && sync.revision === sha
        ? sync
        : undefined;
    });
    // Many reconcile intervals (150 ms) and operation times (300 ms) later: still held back.
    await new Promise(resolve => setTimeout(resolve, 2_000));
    expect(app('globex-shop-prod').operation).toBeUndefined();
    expect(app('globex-shop-prod').status?.sync?.status).toBe('OutOfSync');
    expect(lastHistory('globex-shop-prod')?.revision).not.toBe(sha);

    // The freeze is lifted: the next reconcile deploys the commit.
    const project = sandbox.fake.getProject('tenant-globex')!;
    const windows = project.spec?.syncWindows;
    sandbox.fake.putProject({
      ...project,
      spec: { ...project.spec, syncWindows: [] },
    });
    try {
      await waitFor('globex-shop-prod to deploy the commit', () =>
        lastHistory('globex-shop-prod')?.revision === sha ? true : undefined,
      );
    } finally {
      sandbox.fake.putProject({
        ...project,
        spec: { ...project.spec, syncWindows: windows },
      });
      sandbox.fake.updateApplication('globex-shop-prod', a => {
        a.spec.syncPolicy = policy;
      });
    }
  });

  it("keeps globex's production in a change freeze and acme free of sync windows", async () => {
    const frozen = await api(
      '/api/v1/applications/globex-shop-prod/syncwindows?project=tenant-globex',
      { token: sandbox.projectTokens.globex },
    );
    expect(frozen.json).toEqual({
      activeWindows: [
        {
          kind: 'deny',
          schedule: '* * * * *',
          duration: '1h',
          manualSync: false,
        },
      ],
      assignedWindows: [
        {
          kind: 'deny',
          schedule: '* * * * *',
          duration: '1h',
          manualSync: false,
        },
      ],
      canSync: false,
    });
    const sync = await api('/api/v1/applications/globex-shop-prod/sync', {
      method: 'POST',
      token: sandbox.projectTokens.globex,
      body: { project: 'tenant-globex' },
    });
    expect(sync.status).toBe(403);
    expect(sync.json.message).toBe('cannot sync: blocked by sync window');
    const globexDev = await api(
      '/api/v1/applications/globex-shop-dev/syncwindows',
    );
    expect(globexDev.json).toEqual({ canSync: true });
    const { json: acmeProject } = await api('/api/v1/projects/tenant-acme');
    expect(acmeProject.spec.syncWindows).toBeUndefined();
  });

  it('keeps a manual app OutOfSync until a sync request, then deploys the branch tip', async () => {
    const before = app('acme-web-prod').status?.history?.length ?? 0;
    await new Promise(r => setTimeout(r, 800));
    expect(app('acme-web-prod').status?.sync?.status).toBe('OutOfSync');
    expect(app('acme-web-prod').operation).toBeUndefined();

    const sync = await api('/api/v1/applications/acme-web-prod/sync', {
      method: 'POST',
      token: sandbox.projectTokens.acme,
      body: { project: 'tenant-acme', prune: false },
    });
    expect(sync.status).toBe(200);
    expect(sync.json.operation.sync.revision).toBe(await headOf('acme/gitops'));
    await waitFor('acme-web-prod to be synced', () =>
      app('acme-web-prod').status?.sync?.status === 'Synced' &&
      !app('acme-web-prod').operation
        ? true
        : undefined,
    );
    expect(app('acme-web-prod').status?.history).toHaveLength(before + 1);
    expect(lastHistory('acme-web-prod')).toMatchObject({
      revision: await headOf('acme/gitops'),
      initiatedBy: { username: 'proj:tenant-acme:backstage' },
    });
    const diff = await api(
      '/api/v1/applications/acme-web-prod/managed-resources',
    );
    for (const item of diff.json.items)
      expect(item.liveState).toBe(item.targetState);
  });

  it('reverts drift injected into a self-heal app', async () => {
    const replicasOf = () =>
      (
        sandbox
          .controller!.liveObjects('acme-web-dev')
          .find(o => o.kind === 'Deployment')?.spec as any
      )?.replicas;
    const original = replicasOf();
    sandbox.controller!.injectDrift(
      'acme-web-dev',
      { kind: 'Deployment', name: 'acme-web' },
      o => {
        (o.spec as any).replicas = 7;
      },
    );
    expect(replicasOf()).toBe(7);
    await waitFor('self-heal to restore replicas', () =>
      replicasOf() === original ? true : undefined,
    );
    expect(
      app('acme-web-dev').status?.operationState?.operation.initiatedBy,
    ).toEqual({ automated: true });
  });

  it('prunes removed objects of an auto-prune app and reports a broken image as Degraded', async () => {
    const hasConfigMap = () =>
      sandbox
        .controller!.liveObjects('globex-shop-dev')
        .some(o => o.kind === 'ConfigMap');
    expect(hasConfigMap()).toBe(true);
    await sandbox.repositories.commit('globex/gitops', {
      author: { name: 'Bob Okafor', email: 'bob@globex.example' },
      message: 'Drop the checkout flag and ship 3.3.0-broken',
      files: {
        'apps/globex-shop/dev/config.yaml': null,
        'apps/globex-shop/dev/deployment.yaml': (
          await runGit([
            '--git-dir',
            join(sandbox.repositories.root, 'globex/gitops.git'),
            'show',
            'main:apps/globex-shop/dev/deployment.yaml',
          ])
        ).replace('shop:3.2.0', 'shop:3.3.0-broken'),
      },
    });
    await waitFor('the ConfigMap to be pruned', () =>
      hasConfigMap() ? undefined : true,
    );
    await waitFor('globex-shop-dev to be Degraded', () =>
      app('globex-shop-dev').status?.health?.status === 'Degraded'
        ? true
        : undefined,
    );
    expect(
      app('globex-shop-dev').status?.operationState?.syncResult?.resources,
    ).toContainEqual(
      expect.objectContaining({ kind: 'ConfigMap', status: 'Pruned' }),
    );
  });

  /** The URL of a repository with HTTP Basic credentials, as a user types it for git. */
  const gitUrl = (repo: string, user: string, token: string, prefix = '') =>
    `${sandbox.url.replace(
      'http://',
      `http://${user}:${token}@`,
    )}${prefix}/${repo}.git`;

  it('serves its repositories over smart HTTP: a clone and a push, which is then reconciled', async () => {
    const work = await mkdtemp(join(tmpdir(), 'sandbox-clone-'));
    try {
      // the portal's service token, as Backstage's GitHub integration gives it to git
      await runGit([
        'clone',
        '--quiet',
        gitUrl('acme/gitops', 'x-access-token', SANDBOX_GITHUB_TOKEN),
        work,
      ]);
      // the older /git/ prefix still serves the same repository
      expect(
        await runGit([
          'ls-remote',
          gitUrl('acme/gitops', 'x-access-token', SANDBOX_GITHUB_TOKEN, '/git'),
          'main',
        ]),
      ).toBe(await runGit(['ls-remote', 'origin', 'main'], { cwd: work }));
      const file = join(
        work,
        'apps/acme-web/overlays/staging/kustomization.yaml',
      );
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace('1.3.0', '1.6.0'),
      );
      const env = identityEnv({
        name: 'Scaffolder Bot',
        email: 'scaffolder@kupe.example',
      });
      await runGit(
        ['commit', '--quiet', '-am', 'Promote acme-web 1.6.0 to staging'],
        { cwd: work, env },
      );
      await runGit(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: work });
      const pushed = (
        await runGit(['rev-parse', 'HEAD'], { cwd: work })
      ).trim();
      expect(await headOf('acme/gitops')).toBe(pushed);
      // Live images follow the history entry by a reconcile, as in Argo CD: wait for both.
      await waitFor('acme-web-staging to deploy the pushed commit', () =>
        lastHistory('acme-web-staging')?.revision === pushed &&
        app('acme-web-staging').status?.summary?.images?.[0]?.endsWith(':1.6.0')
          ? true
          : undefined,
      );
      expect(app('acme-web-staging').status?.summary?.images).toEqual([
        'registry.acme.example/acme-web:1.6.0',
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  it('reconciles an application created through its API at runtime, pointing at a path pushed after start', async () => {
    const path = 'apps/runtime-svc/dev';
    const sha = await sandbox.repositories.commit('acme/gitops', {
      files: {
        [`${path}/deployment.yaml`]: [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: runtime-svc}',
          'spec:',
          '  replicas: 1',
          '  selector: {matchLabels: {app: runtime-svc}}',
          '  template:',
          '    metadata: {labels: {app: runtime-svc}}',
          '    spec: {containers: [{name: app, image: registry.acme.example/runtime-svc:1.0.0}]}',
          '',
        ].join('\n'),
      },
      author: CARLA,
      message: 'Add runtime-svc',
    });
    const created = await api('/api/v1/applications', {
      method: 'POST',
      token: sandbox.projectTokens.acme,
      body: {
        metadata: {
          name: 'runtime-svc-dev',
          labels: { 'backstage.io/kubernetes-id': 'runtime-svc' },
        },
        spec: {
          project: 'tenant-acme',
          source: {
            repoURL: sandbox.repositories.urlOf('acme/gitops'),
            path,
            targetRevision: 'main',
          },
          destination: { name: 'acme-dev', namespace: 'runtime-svc' },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true'],
          },
        },
      },
    });
    expect(created.status).toBe(200);
    const status = await waitFor(
      'runtime-svc-dev to become Synced and Healthy',
      () => {
        const s = sandbox.fake.getApplication('runtime-svc-dev')?.status;
        return s?.sync?.status === 'Synced' && s.health?.status === 'Healthy'
          ? s
          : undefined;
      },
    );
    expect(status.sync?.revision).toBe(sha);
    expect(status.history?.at(-1)).toMatchObject({
      revision: sha,
      initiatedBy: { automated: true },
    });
    expect(status.summary?.images).toEqual([
      'registry.acme.example/runtime-svc:1.0.0',
    ]);
  });

  it('serves single files of its repositories read-only under /raw/, refusing bad paths', async () => {
    const sha = await sandbox.repositories.commit('acme/gitops', {
      files: { 'apps/raw-check/catalog-info.yaml': 'kind: Component\n' },
      author: CARLA,
      message: 'Add a catalog file',
    });
    // Backstage's GitHub integration sends `Authorization: Bearer <token>`
    const get = (path: string, method = 'GET') =>
      fetch(`${sandbox.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${SANDBOX_GITHUB_TOKEN}` },
      });

    const byBranch = await get(
      '/raw/acme/gitops/main/apps/raw-check/catalog-info.yaml',
    );
    expect(byBranch.status).toBe(200);
    expect(await byBranch.text()).toBe('kind: Component\n');
    expect(
      sandbox.repositories.rawUrlOf(
        'acme/gitops',
        'main',
        'apps/raw-check/catalog-info.yaml',
      ),
    ).toBe(
      `${sandbox.url}/raw/acme/gitops/main/apps/raw-check/catalog-info.yaml`,
    );
    const bySha = await get(
      `/raw/acme/gitops/${sha}/apps/raw-check/catalog-info.yaml`,
    );
    expect(await bySha.text()).toBe('kind: Component\n');

    // a directory, a missing file, an unknown repository or ref
    for (const path of [
      '/raw/acme/gitops/main/apps/raw-check',
      '/raw/acme/gitops/main/apps/raw-check/missing.yaml',
      '/raw/acme/nope/main/README.md',
      '/raw/acme/gitops/no-such-branch/apps/raw-check/catalog-info.yaml',
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
    // traversal and invalid names, also percent-encoded
    for (const path of [
      '/raw/acme/gitops/main/apps/%2E%2E/%2E%2E/kupe-gitops.yaml',
      '/raw/acme/gitops/main/apps/..%2F..%2Fetc/passwd',
      '/raw/acme/%2E%2E/main/README.md',
      '/raw/acme/gitops/main..x/README.md',
      '/raw/acme/gitops/main%3AREADME.md/x',
      '/raw/Acme/gitops/main/README.md',
      '/raw/acme/gitops/-main/README.md',
      '/raw/acme/gitops/main',
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 400]);
    }
    expect(
      (
        await get(
          '/raw/acme/gitops/main/apps/raw-check/catalog-info.yaml',
          'POST',
        )
      ).status,
    ).toBe(405);
  });
  it('serves raw files only with the token of a user who may read the repository, as GitHub serves private ones', async () => {
    const path = '/raw/globex/gitops/main/CODEOWNERS';
    const read = (authorization?: string) =>
      fetch(`${sandbox.url}${path}`, {
        headers: authorization ? { authorization } : {},
      });
    const basic = (user: string, token: string) =>
      `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
    // anonymous, an unknown token, another tenant's member: the 404 of a missing file
    for (const authorization of [
      undefined,
      'token ghp_notAKnownToken',
      `token ${SANDBOX_GITHUB_USER_TOKENS.alice}`,
      basic('alice', SANDBOX_GITHUB_USER_TOKENS.alice),
    ]) {
      const response = await read(authorization);
      expect([authorization, response.status]).toEqual([authorization, 404]);
      expect(await response.text()).not.toContain('@globex');
    }
    // globex's member (GitHub's `token` scheme), the platform team (site admin, Basic) and
    // the portal's service account
    for (const authorization of [
      `token ${SANDBOX_GITHUB_USER_TOKENS.bob}`,
      basic('pat', SANDBOX_GITHUB_USER_TOKENS.pat),
      `Bearer ${SANDBOX_GITHUB_TOKEN}`,
    ]) {
      const response = await read(authorization);
      expect([authorization, response.status]).toEqual([authorization, 200]);
      expect(await response.text()).toContain('@globex/globex-devs');
    }
  });

  describe('git access, as GitHub gives it to private repositories', () => {
    /** A request of git's smart HTTP protocol, to see the status and headers git gets. */
    const infoRefs = (
      repo: string,
      service: 'git-upload-pack' | 'git-receive-pack',
      credentials?: { user: string; token: string },
    ) =>
      fetch(`${sandbox.url}/${repo}.git/info/refs?service=${service}`, {
        headers: credentials
          ? {
              authorization: `Basic ${Buffer.from(
                `${credentials.user}:${credentials.token}`,
              ).toString('base64')}`,
            }
          : {},
      });
    const alice = { user: 'alice', token: SANDBOX_GITHUB_USER_TOKENS.alice };
    const bob = { user: 'bob', token: SANDBOX_GITHUB_USER_TOKENS.bob };

    it('asks anonymous clones and pushes for credentials (401, Basic realm "GitHub"), also for unknown tokens and repositories', async () => {
      for (const [repo, service, credentials] of [
        ['acme/gitops', 'git-upload-pack', undefined],
        ['acme/gitops', 'git-receive-pack', undefined],
        ['globex/gitops', 'git-upload-pack', undefined],
        ['acme/no-such-repo', 'git-upload-pack', undefined],
        ['acme/gitops', 'git-upload-pack', { user: 'alice', token: 'wrong' }],
        ['acme/gitops', 'git-receive-pack', { user: 'x', token: 'ghp_x' }],
      ] as const) {
        const response = await infoRefs(repo, service, credentials);
        const what = `${service} ${repo} as ${
          credentials?.user ?? 'anonymous'
        }`;
        expect([what, response.status]).toEqual([what, 401]);
        expect(response.headers.get('www-authenticate')).toBe(
          'Basic realm="GitHub"',
        );
      }
      // real git: refused, nothing cloned, nothing pushed
      const work = await mkdtemp(join(tmpdir(), 'sandbox-anonymous-'));
      try {
        await expect(
          runGit([
            'clone',
            '--quiet',
            `${sandbox.url}/acme/gitops.git`,
            join(work, 'clone'),
          ]),
        ).rejects.toThrow(/could not read Username|Authentication failed/);
        const before = await headOf('acme/gitops');
        await runGit(['init', '--quiet', '--initial-branch=main', work]);
        await runGit(
          ['commit', '--quiet', '--allow-empty', '-m', 'Anonymous push'],
          { cwd: work, env: identityEnv(CARLA) },
        );
        await expect(
          runGit(
            ['push', '--quiet', `${sandbox.url}/acme/gitops.git`, 'HEAD:x'],
            { cwd: work },
          ),
        ).rejects.toThrow(/could not read Username|Authentication failed/);
        expect(await headOf('acme/gitops')).toBe(before);
        expect(
          (
            await runGit([
              '--git-dir',
              join(sandbox.repositories.root, 'acme/gitops.git'),
              'branch',
              '--list',
              'x',
            ])
          ).trim(),
        ).toBe('');
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });

    it("answers 404 to a user outside the repository's tenant, as for a repository that does not exist", async () => {
      for (const [repo, credentials] of [
        ['acme/gitops', bob],
        ['globex/gitops', alice],
        ['acme/no-such-repo', alice],
      ] as const) {
        for (const service of [
          'git-upload-pack',
          'git-receive-pack',
        ] as const) {
          const response = await infoRefs(repo, service, credentials);
          const what = `${service} ${repo} as ${credentials.user}`;
          expect([what, response.status]).toEqual([what, 404]);
          expect(await response.text()).toBe('Repository not found.\n');
        }
      }
      const work = await mkdtemp(join(tmpdir(), 'sandbox-cross-tenant-'));
      try {
        await expect(
          runGit([
            'clone',
            '--quiet',
            gitUrl('acme/gitops', 'bob', bob.token),
            join(work, 'clone'),
          ]),
        ).rejects.toThrow(/not found/);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });

    it("clones for the tenant's members, the platform team and the portal", async () => {
      const work = await mkdtemp(join(tmpdir(), 'sandbox-member-'));
      try {
        for (const [repo, user, token] of [
          ['acme/gitops', 'alice', alice.token],
          ['globex/gitops', 'bob', bob.token],
          ['globex/gitops', 'pat', SANDBOX_GITHUB_USER_TOKENS.pat],
          ['acme/gitops', 'x-access-token', SANDBOX_GITHUB_TOKEN],
        ]) {
          const dir = join(work, `${user}-${repo.replace('/', '-')}`);
          await runGit(['clone', '--quiet', gitUrl(repo, user, token), dir]);
          expect(
            (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).trim(),
          ).toBe(await headOf(repo));
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });

    /** A clone as `user`, a change to `files` committed, and `git push origin HEAD:<ref>`. */
    async function pushChange(options: {
      user: string;
      token: string;
      files: Record<string, (content: string) => string>;
      ref: string;
    }): Promise<{ sha: string; pushed: Promise<string> }> {
      const work = await mkdtemp(join(tmpdir(), 'sandbox-push-'));
      await runGit([
        'clone',
        '--quiet',
        gitUrl('acme/gitops', options.user, options.token),
        work,
      ]);
      for (const [path, change] of Object.entries(options.files)) {
        const file = join(work, path);
        await writeFile(file, change(await readFile(file, 'utf8')));
      }
      await runGit(['commit', '--quiet', '-am', `Change as ${options.user}`], {
        cwd: work,
        env: identityEnv(CARLA),
      });
      const sha = (await runGit(['rev-parse', 'HEAD'], { cwd: work })).trim();
      const pushed = runGit(['push', 'origin', `HEAD:${options.ref}`], {
        cwd: work,
      });
      pushed
        .catch(() => undefined)
        .finally(() => rm(work, { recursive: true, force: true }));
      return { sha, pushed };
    }
    const prodOverlay = 'apps/acme-web/overlays/prod/kustomization.yaml';
    const devOverlay = 'apps/acme-web/overlays/dev/kustomization.yaml';
    const retag = (tag: string) => (content: string) =>
      content.replace(/newTag: ['"]?[\w.-]+['"]?/, `newTag: "${tag}"`);

    it('refuses a direct push to main that changes a code-owned production file (GH006), even by a team member', async () => {
      const before = await headOf('acme/gitops');
      for (const [user, token] of [
        ['alice', alice.token],
        ['x-access-token', SANDBOX_GITHUB_TOKEN],
      ]) {
        const { pushed } = await pushChange({
          user,
          token,
          files: {
            [devOverlay]: retag('9.9.9'),
            [prodOverlay]: retag('9.9.9'),
          },
          ref: 'main',
        });
        const refusal = await pushed.then(
          () => 'accepted',
          (error: Error) => error.message,
        );
        expect(refusal).toContain(
          'GH006: Protected branch update failed for refs/heads/main.',
        );
        expect(refusal).toContain(
          'Waiting on code owner review from @acme/acme-devs.',
        );
        expect(refusal).toContain('pre-receive hook declined');
      }
      expect(await headOf('acme/gitops')).toBe(before);
    });

    it("accepts the portal's direct commit to dev on main, and a production change on a branch for its pull request", async () => {
      const dev = await pushChange({
        user: 'x-access-token',
        token: SANDBOX_GITHUB_TOKEN,
        files: { [devOverlay]: retag('1.3.1') },
        ref: 'main',
      });
      await dev.pushed;
      expect(await headOf('acme/gitops')).toBe(dev.sha);

      const prod = await pushChange({
        user: 'alice',
        token: alice.token,
        files: { [prodOverlay]: retag('1.3.1') },
        ref: 'refs/heads/promote-acme-web-prod',
      });
      await prod.pushed;
      expect(
        (
          await runGit([
            '--git-dir',
            join(sandbox.repositories.root, 'acme/gitops.git'),
            'rev-parse',
            'promote-acme-web-prod',
          ])
        ).trim(),
      ).toBe(prod.sha);
      expect(await headOf('acme/gitops')).toBe(dev.sha);
    });
  });
});
