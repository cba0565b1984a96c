import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplicationSet } from '@kupe/plugin-gitops-node';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import {
  ArgoCdSandbox,
  startArgoCdSandbox,
} from '../server/startArgoCdSandbox';
import { previewsSet, storefrontFiles } from '../seed/seedApplicationSets';
import {
  directoryParams,
  filterDirectories,
  pathMatch,
  renderString,
} from './applicationSetGenerators';

jest.setTimeout(60_000);

const AUTHOR = { name: 'Carla Test', email: 'carla@acme.example' };

describe('applicationSetGenerators', () => {
  it("matches paths as Go's path.Match: * and ? stop at /", () => {
    expect(pathMatch('previews/*', 'previews/dark-mode')).toBe(true);
    expect(pathMatch('previews/*', 'previews/dark-mode/sub')).toBe(false);
    expect(pathMatch('previews/_*', 'previews/_template')).toBe(true);
    expect(pathMatch('apps/?/x', 'apps/a/x')).toBe(true);
    expect(pathMatch('apps/[ab]*', 'apps/beta')).toBe(true);
    expect(pathMatch('apps/[!ab]*', 'apps/beta')).toBe(false);
    expect(pathMatch('a.b', 'axb')).toBe(false);
  });

  it('leaves out a directory any exclude pattern matches, even when another includes it', () => {
    expect(
      filterDirectories(
        [
          { path: 'previews/*' },
          { path: 'previews/_*', exclude: true },
          { path: 'apps/*/overlays/*' },
        ],
        [
          'previews',
          'previews/_template',
          'previews/a',
          'apps/web/overlays/dev',
          'apps/web/base',
        ],
      ),
    ).toEqual(['previews/a', 'apps/web/overlays/dev']);
  });

  it('names the parameters path, path.basename, path[n] and values.*, with an optional prefix', () => {
    expect(
      directoryParams('apps/web/overlays/dev', undefined, {
        env: 'x-{{path[3]}}',
      }),
    ).toEqual({
      path: 'apps/web/overlays/dev',
      'path.basename': 'dev',
      'path.basenameNormalized': 'dev',
      'path[0]': 'apps',
      'path[1]': 'web',
      'path[2]': 'overlays',
      'path[3]': 'dev',
      'values.env': 'x-dev',
    });
    expect(directoryParams('p/Feature_X', 'src', undefined)).toMatchObject({
      'src.path': 'p/Feature_X',
      'src.path.basenameNormalized': 'feature-x',
    });
    expect(renderString('{{ a }}-{{b}}-{{c}}', { a: '1', b: '2' })).toBe(
      '1-2-{{c}}',
    );
  });
});

describe('ApplicationSetController on the sandbox', () => {
  let sandbox: ArgoCdSandbox;
  let dataDir: string;
  let repoURL: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kupe-appset-'));
    sandbox = await startArgoCdSandbox({
      port: 0,
      dataDir,
      seed: false,
      reconcileIntervalMs: 100,
      operationMs: 100,
      progressMs: 100,
    });
    await sandbox.repositories.create('acme/gitops');
    repoURL = sandbox.repositories.urlOf('acme/gitops');
    await sandbox.repositories.commit('acme/gitops', {
      author: AUTHOR,
      message: 'storefront',
      files: storefrontFiles(repoURL),
    });
    sandbox.fake.putProject({
      metadata: { name: 'tenant-acme' },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ name: '*', namespace: '*' }],
      },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const names = (prefix: string) =>
    sandbox.fake
      .listApplications()
      .map(a => a.metadata.name ?? '')
      .filter(n => n.startsWith(prefix));
  const set = (): ApplicationSet =>
    sandbox.fake.applicationSets.get('acme-storefront-previews')!;

  it('generates an app per matching directory, owned by the set, and reports it', async () => {
    sandbox.fake.applicationSets.put(previewsSet(repoURL));
    await sandbox.applicationSets!.reconcileAll();
    expect(names('acme-storefront-preview-')).toEqual([
      'acme-storefront-preview-checkout-redesign',
      'acme-storefront-preview-dark-mode',
    ]);
    const app = sandbox.fake.getApplication(
      'acme-storefront-preview-dark-mode',
    )!;
    expect(app.spec.source).toMatchObject({ path: 'previews/dark-mode' });
    expect(app.spec.destination.namespace).toBe('acme-storefront-dark-mode');
    expect(app.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'ApplicationSet',
        name: 'acme-storefront-previews',
        uid: set().metadata.uid,
        controller: true,
      }),
    ]);
    expect(
      set().status?.conditions?.map(c => [c.type, c.status, c.reason]),
    ).toEqual([
      ['ErrorOccurred', 'False', 'ApplicationSetUpToDate'],
      ['ParametersGenerated', 'True', 'ParametersGenerated'],
      ['ResourcesUpToDate', 'True', 'ApplicationSetUpToDate'],
    ]);
    expect(set().status?.resourcesCount).toBe(2);
    // The generated app is reconciled and synced like any other.
    await waitFor('the preview to be Synced', () =>
      sandbox.fake.getApplication('acme-storefront-preview-dark-mode')?.status
        ?.sync?.status === 'Synced'
        ? true
        : undefined,
    );
  });

  it('adds an app for a new directory and deletes the app of a removed one, with its resources', async () => {
    await sandbox.repositories.commit('acme/gitops', {
      author: AUTHOR,
      message: 'new preview',
      files: {
        'previews/search/kustomization.yaml':
          'resources:\n  - ../../apps/acme-storefront/base\n',
      },
    });
    await waitFor('a preview app for previews/search', () =>
      names('acme-storefront-preview-').includes(
        'acme-storefront-preview-search',
      )
        ? true
        : undefined,
    );
    await waitFor('the dark-mode preview to run', () =>
      sandbox.controller!.liveObjects('acme-storefront-preview-dark-mode')
        .length > 0
        ? true
        : undefined,
    );
    await sandbox.repositories.commit('acme/gitops', {
      author: AUTHOR,
      message: 'drop a preview',
      files: { 'previews/dark-mode/kustomization.yaml': null },
    });
    await waitFor('the dark-mode preview to be deleted', () =>
      names('acme-storefront-preview-').includes(
        'acme-storefront-preview-dark-mode',
      )
        ? undefined
        : true,
    );
    expect(
      sandbox.controller!.liveObjects('acme-storefront-preview-dark-mode'),
    ).toEqual([]);
    expect(set().status?.resources?.map(r => r.name)).toEqual([
      'acme-storefront-preview-checkout-redesign',
      'acme-storefront-preview-search',
    ]);
  });

  it('reports a generator error as a condition and leaves the apps alone', async () => {
    const before = names('acme-storefront-preview-');
    const stored = sandbox.fake.applicationSets.put({
      ...previewsSet('http://127.0.0.1:1/nowhere.git'),
      metadata: { name: 'broken', namespace: 'argocd' },
    });
    await sandbox.applicationSets!.reconcileSet(stored);
    expect(names('acme-storefront-preview-')).toEqual(before);
    const broken = sandbox.fake.applicationSets.get('broken')!;
    expect(broken.status?.conditions?.[0]).toMatchObject({
      type: 'ErrorOccurred',
      status: 'True',
      message: 'repository not found: http://127.0.0.1:1/nowhere.git',
    });
    expect(broken.status?.health?.status).toBe('Degraded');
    sandbox.fake.applicationSets.remove('broken');
  });

  it('turns an app of apps’ Application manifests into child apps tracked to the parent, and prunes them', async () => {
    sandbox.fake.putApplication({
      metadata: {
        name: 'acme-storefront-envs',
        namespace: 'argocd',
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'tenant-acme',
        source: {
          repoURL,
          path: 'platform/storefront',
          targetRevision: 'main',
        },
        destination: { name: 'acme-dev', namespace: 'argocd' },
        syncPolicy: { automated: { prune: true } },
      },
    });
    await waitFor('the children of the app of apps', () =>
      names('acme-storefront-').includes('acme-storefront-staging')
        ? true
        : undefined,
    );
    expect(
      sandbox.fake.getApplication('acme-storefront-dev')!.metadata
        .annotations?.['argocd.argoproj.io/tracking-id'],
    ).toBe(
      'acme-storefront-envs:argoproj.io/Application:argocd/acme-storefront-dev',
    );
    await sandbox.repositories.commit('acme/gitops', {
      author: AUTHOR,
      message: 'no staging',
      files: { 'platform/storefront/staging.yaml': null },
    });
    await waitFor('staging to be pruned with its parent sync', () =>
      names('acme-storefront-').includes('acme-storefront-staging')
        ? undefined
        : true,
    );
    expect(names('acme-storefront-')).toContain('acme-storefront-dev');
  });
});
