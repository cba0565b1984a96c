import { join } from 'node:path';
import type { Application } from '@kupe/plugin-gitops-node';
import {
  ArgoCdSwaggerValidator,
  waitFor,
} from '@kupe/plugin-gitops-node-test-utils';
import { runGit } from '../git/runGit';
import {
  ArgoCdSandbox,
  startArgoCdSandbox,
} from '../server/startArgoCdSandbox';

jest.setTimeout(90_000);

const IMAGE = 'registry.acme.example/acme-worker';
const DANA = { name: 'Dana Test', email: 'dana@acme.example' };

/**
 * acme-worker: a chart from acme's Helm repository (served by the sandbox) with its values
 * from acme's Git repository (`ref: values`), reconciled as Argo CD reconciles multi-source
 * apps.
 */
describe('multi-source applications on the sandbox', () => {
  let sandbox: ArgoCdSandbox;
  const swagger = new ArgoCdSwaggerValidator();

  beforeAll(async () => {
    sandbox = await startArgoCdSandbox({
      port: 0,
      reconcileIntervalMs: 150,
      operationMs: 300,
      progressMs: 400,
    });
  });
  afterAll(() => sandbox?.stop());

  async function api(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ) {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${sandbox.adminToken}`,
        'content-type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, json: (await response.json()) as any };
  }
  const app = (name: string): Application => sandbox.fake.getApplication(name)!;
  const head = async () =>
    (
      await runGit([
        '--git-dir',
        join(sandbox.repositories.root, 'acme/gitops.git'),
        'rev-parse',
        'main',
      ])
    ).trim();
  const kinds = (name: string) =>
    (app(name).status?.resources ?? []).map(r => `${r.kind}/${r.name}`).sort();

  it('reports revisions per source in sync status, history and the sync result, as Argo CD does', async () => {
    const sha = await head();
    const helmRepo = sandbox.helm.urlOf('acme');
    // Seeds that commit after the apps exist (the canary's, the ApplicationSet's) reach this
    // auto-sync app on its next reconcile: wait until it has synced the head.
    await waitFor('acme-worker-dev to compare against the head', () =>
      app('acme-worker-dev').status?.sync?.revisions?.[1] === sha &&
      app('acme-worker-staging').status?.sync?.revisions?.[1] === sha
        ? true
        : undefined,
    );
    // What was synced: the seed's commit, or a later one (a commit that leaves the values
    // alone changes nothing to sync, as with Argo CD).
    const synced =
      app('acme-worker-dev').status?.history?.at(-1)?.revisions?.[1];
    expect(synced).toMatch(/^[0-9a-f]{40}$/);
    const res = await api('/api/v1/applications/acme-worker-dev');
    expect(res.status).toBe(200);
    expect(swagger.validate('v1alpha1Application', res.json)).toEqual([]);
    const dev: Application = res.json;
    expect(dev.spec.sources).toEqual([
      {
        repoURL: helmRepo,
        chart: 'acme-worker',
        targetRevision: '0.2.0',
        helm: { valueFiles: ['$values/apps/acme-worker/values-dev.yaml'] },
      },
      {
        repoURL: sandbox.repositories.urlOf('acme/gitops'),
        targetRevision: 'main',
        ref: 'values',
      },
    ]);
    expect(dev.status?.sync).toEqual({
      status: 'Synced',
      revisions: ['0.2.0', sha],
      comparedTo: {
        sources: dev.spec.sources,
        destination: dev.spec.destination,
      },
    });
    expect(dev.status?.sourceTypes).toEqual(['Helm', '']);
    expect(dev.status?.sourceType).toBeUndefined();
    const entry = dev.status?.history?.at(-1);
    expect(entry).toMatchObject({
      revisions: ['0.2.0', synced],
      sources: dev.spec.sources,
    });
    expect(entry?.revision).toBeUndefined();
    expect(entry?.source).toBeUndefined();
    expect(dev.status?.operationState?.syncResult).toMatchObject({
      revision: '',
      revisions: ['0.2.0', synced],
      sources: dev.spec.sources,
    });
    // What runs is the chart rendered with the environment's values from Git.
    expect(dev.status?.summary?.images).toEqual([`${IMAGE}:1.1.0`]);
    expect(kinds('acme-worker-dev')).toEqual([
      'ConfigMap/acme-worker-dev-config',
      'Deployment/acme-worker-dev',
      'Service/acme-worker-dev',
    ]);
    // Staging runs the older chart (no ConfigMap) and the older image.
    expect(app('acme-worker-staging').status?.sync).toMatchObject({
      status: 'Synced',
      revisions: ['0.1.0', sha],
    });
    expect(app('acme-worker-staging').status?.summary?.images).toEqual([
      `${IMAGE}:1.0.0`,
    ]);
    expect(kinds('acme-worker-staging')).toEqual([
      'Deployment/acme-worker-staging',
      'Service/acme-worker-staging',
    ]);
  });

  it('answers chartdetails for the chart source and commit metadata for the Git source', async () => {
    const details = await api(
      '/api/v1/applications/acme-worker-dev/revisions/0.2.0/chartdetails?sourceIndex=0',
    );
    expect(details.status).toBe(200);
    expect(swagger.validate('v1alpha1ChartDetails', details.json)).toEqual([]);
    expect(details.json).toEqual({
      description: 'Acme background worker',
      home: 'https://acme.example/worker',
      maintainers: ['acme-devs <devs@acme.example>'],
    });
    const missing = await api(
      '/api/v1/applications/acme-worker-dev/revisions/9.9.9/chartdetails',
    );
    expect(missing.status).toBe(500);
    const sha = await head();
    const metadata = await api(
      `/api/v1/applications/acme-worker-dev/revisions/${sha}/metadata?sourceIndex=1`,
    );
    expect(metadata.status).toBe(200);
    expect(metadata.json.message).toBeTruthy();
  });

  it('deploys a values change from Git: the new image runs, the chart version stays', async () => {
    const sha = await sandbox.repositories.commit('acme/gitops', {
      author: DANA,
      message: 'acme-worker dev 1.2.0',
      files: {
        'apps/acme-worker/values-dev.yaml': `image:\n  repository: ${IMAGE}\n  tag: "1.2.0"\n`,
      },
    });
    const status = await waitFor('acme-worker-dev to run 1.2.0', () => {
      const s = app('acme-worker-dev').status;
      return s?.summary?.images?.[0] === `${IMAGE}:1.2.0` &&
        s.sync?.status === 'Synced'
        ? s
        : undefined;
    });
    expect(status.sync?.revisions).toEqual(['0.2.0', sha]);
    expect(status.history?.at(-1)).toMatchObject({
      revisions: ['0.2.0', sha],
      initiatedBy: { automated: true },
    });
    expect(status.operationState?.operation.sync?.revisions).toEqual([
      '0.2.0',
      sha,
    ]);
  });

  it('syncs a chart version chosen by source position, and compares with the spec afterwards', async () => {
    const sha = await head();
    const res = await api('/api/v1/applications/acme-worker-prod/sync', {
      method: 'POST',
      body: { revisions: ['0.2.0'], sourcePositions: [1], prune: false },
    });
    expect(res.status).toBe(200);
    const status = await waitFor('the prod sync to finish', () => {
      const s = app('acme-worker-prod').status;
      return s?.operationState?.phase === 'Succeeded' &&
        s.operationState.syncResult?.revisions?.[0] === '0.2.0'
        ? s
        : undefined;
    });
    expect(status.operationState?.syncResult?.revisions).toEqual([
      '0.2.0',
      sha,
    ]);
    expect(status.history?.at(-1)?.revisions).toEqual(['0.2.0', sha]);
    // The spec still asks for 0.1.0: the 0.2.0 ConfigMap is extra, as Argo CD would see it.
    await waitFor('prod to compare against the spec', () => {
      const s = app('acme-worker-prod').status;
      return s?.sync?.status === 'OutOfSync' &&
        s.sync.revisions?.[0] === '0.1.0' &&
        s.resources?.some(
          r => r.kind === 'ConfigMap' && r.requiresPruning === true,
        )
        ? s
        : undefined;
    });
  });

  it('reports a chart version the repository does not have as a comparison error', async () => {
    sandbox.fake.updateApplication(
      { name: 'acme-worker-staging', namespace: 'argocd' },
      a => {
        a.spec.sources![0].targetRevision = '^7.0.0';
      },
    );
    await sandbox.controller!.reconcile({
      name: 'acme-worker-staging',
      namespace: 'argocd',
    });
    const status = app('acme-worker-staging').status;
    expect(status?.sync?.status).toBe('Unknown');
    expect(status?.conditions?.[0]).toMatchObject({
      type: 'ComparisonError',
      message: expect.stringContaining('no version for constraints'),
    });
  });
});
