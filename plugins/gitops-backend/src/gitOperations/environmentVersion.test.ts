import {
  type TreeReader,
  isOwnFile,
  parseImage,
  readEnvironmentVersion,
  sourceDir,
  versionLabel,
} from './environmentVersion';
import { planChartPromotion } from './chartPromotion';
import { setImageTags } from './imageTags';

const treeOf = (files: Record<string, string>): TreeReader => ({
  read: async file => files[file],
  list: async dir =>
    Object.keys(files).filter(f => !dir || f.startsWith(`${dir}/`)),
});

const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
# pinned by the release train
resources:
  - ../../base
images:
  - name: registry.acme.example/acme-web # the web image
    newTag: "1.3.0"
  - name: registry.acme.example/sidecar
    newTag: 2.10
`;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop # keep
spec:
  template:
    spec:
      containers:
        - name: shop
          image: ${image}
---
apiVersion: v1
kind: Service
metadata:
  name: shop
`;

describe('environment versions', () => {
  it('reads kustomize image tags as written (2.10 stays 2.10)', async () => {
    const version = await readEnvironmentVersion(
      { repoURL: 'r', path: 'apps/web/overlays/dev' },
      treeOf({ 'apps/web/overlays/dev/kustomization.yaml': kustomization }),
    );
    expect(version).toEqual({
      layout: 'kustomize',
      images: [
        { name: 'registry.acme.example/acme-web', tag: '1.3.0' },
        { name: 'registry.acme.example/sidecar', tag: '2.10' },
      ],
      versionFiles: ['apps/web/overlays/dev/kustomization.yaml'],
    });
    expect(versionLabel(version)).toBe('acme-web:1.3.0, sidecar:2.10');
  });

  it('reads Helm image.tag from the last value file that sets it, and the chart version', async () => {
    const tree = treeOf({
      'apps/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.3.1\n',
      'apps/api/values.yaml':
        'image:\n  repository: registry.acme.example/api\n  tag: "1.0.0"\n',
      'apps/api/values-dev.yaml': 'image:\n  tag: "1.8.0"\n',
      'apps/api/values-prod.yaml': 'image:\n  tag: "1.7.2"\n',
    });
    expect(
      await readEnvironmentVersion(
        { repoURL: 'r', path: 'apps/api', valueFiles: ['values-dev.yaml'] },
        tree,
      ),
    ).toEqual({
      layout: 'helm',
      images: [{ name: 'registry.acme.example/api', tag: '1.8.0' }],
      chartVersion: '0.3.1',
      chartFile: 'apps/api/Chart.yaml',
      chartDependencies: [],
      versionFiles: ['apps/api/values-dev.yaml'],
    });
  });

  it('reads plain container images, and reports Helm-repository charts without files', async () => {
    expect(
      await readEnvironmentVersion(
        { repoURL: 'r', path: 'apps/shop/dev' },
        treeOf({
          'apps/shop/dev/deployment.yaml': deployment('reg.example/shop:3.1.0'),
          'apps/shop/dev/nested/ignored.yaml': deployment('reg.example/x:9'),
          'apps/shop/prod/deployment.yaml': deployment(
            'reg.example/shop:3.0.0',
          ),
        }),
      ),
    ).toEqual({
      layout: 'plain',
      images: [{ name: 'reg.example/shop', tag: '3.1.0' }],
      versionFiles: ['apps/shop/dev/deployment.yaml'],
    });
    const chart = await readEnvironmentVersion(
      {
        repoURL: 'https://charts.example',
        chart: 'nginx',
        targetRevision: '15.1.0',
      },
      treeOf({}),
    );
    expect(chart).toMatchObject({
      layout: 'helm-repository',
      chart: 'nginx',
      chartVersion: '15.1.0',
      versionFiles: [],
    });
    expect(versionLabel(chart)).toBe('nginx 15.1.0');
    expect(versionLabel({ images: [] }, 'abcdef1234')).toBe('abcdef1');
  });

  it('parses image references', () => {
    expect(parseImage('localhost:5000/a/b:1.2@sha256:ff')).toEqual({
      name: 'localhost:5000/a/b',
      tag: '1.2',
    });
    expect(parseImage('localhost:5000/a/b')).toEqual({
      name: 'localhost:5000/a/b',
      tag: '',
    });
  });

  it('refuses source paths that leave the repository', () => {
    expect(sourceDir('./apps/web/')).toBe('apps/web');
    expect(sourceDir(undefined)).toBe('');
    expect(() => sourceDir('apps/../../etc')).toThrow(/leaves the repository/);
  });
});

describe('setting image tags', () => {
  it('edits kustomize newTag in place, keeping comments and quoting, and adds missing images', () => {
    const { content, changes } = setImageTags('kustomize', kustomization, [
      { name: 'registry.acme.example/acme-web', tag: '1.4.0' },
      { name: 'registry.acme.example/sidecar', tag: '2.11' },
      { name: 'registry.acme.example/new', tag: 'v1' },
    ]);
    expect(content).toBe(
      kustomization
        .replace('newTag: "1.3.0"', 'newTag: "1.4.0"')
        .replace('newTag: 2.10', 'newTag: "2.11"')
        .concat('  - name: registry.acme.example/new\n    newTag: v1\n'),
    );
    expect(changes).toEqual([
      { name: 'registry.acme.example/acme-web', from: '1.3.0', to: '1.4.0' },
      { name: 'registry.acme.example/sidecar', from: '2.10', to: '2.11' },
      { name: 'registry.acme.example/new', to: 'v1' },
    ]);
  });

  it('changes nothing when the tags are already there', () => {
    expect(
      setImageTags('kustomize', kustomization, [
        { name: 'registry.acme.example/acme-web', tag: '1.3.0' },
      ]),
    ).toEqual({ content: kustomization, changes: [] });
  });

  it('edits Helm image.tag of an environment values file, adding it when absent', () => {
    const values =
      "# prod values\nreplicaCount: 3\nimage:\n  tag: '1.7.2' # pinned\n";
    expect(
      setImageTags('helm', values, [{ name: 'registry/api', tag: '1.8.0' }]),
    ).toEqual({
      content: values.replace("'1.7.2'", "'1.8.0'"),
      changes: [{ name: 'registry/api', from: '1.7.2', to: '1.8.0' }],
    });
    const added = setImageTags('helm', 'replicaCount: 3\n', [
      { name: 'registry/api', tag: '1.8.0' },
    ]);
    expect(added.content).toBe('replicaCount: 3\nimage:\n  tag: 1.8.0\n');
  });

  it('edits only matching plain container images, in every document', () => {
    const source = deployment('reg.example/shop:3.0.0');
    const { content, changes } = setImageTags('plain', source, [
      { name: 'reg.example/shop', tag: '3.1.0' },
      { name: 'reg.example/other', tag: '9' },
    ]);
    expect(content).toBe(deployment('reg.example/shop:3.1.0'));
    expect(changes).toEqual([
      { name: 'reg.example/shop', from: '3.0.0', to: '3.1.0' },
    ]);
  });
});

describe('own files of an application', () => {
  const helm = {
    repoURL: 'r',
    path: 'apps/api',
    valueFiles: ['values-staging.yaml'],
  };
  it('excludes the other environments values files of a shared Helm chart', () => {
    expect(isOwnFile(helm, 'helm', 'apps/api/values-staging.yaml')).toBe(true);
    expect(isOwnFile(helm, 'helm', 'apps/api/values.yaml')).toBe(true);
    expect(isOwnFile(helm, 'helm', 'apps/api/templates/deployment.yaml')).toBe(
      true,
    );
    expect(isOwnFile(helm, 'helm', 'apps/api/values-prod.yaml')).toBe(false);
    expect(isOwnFile(helm, 'helm', 'apps/api/values-dev.yml')).toBe(false);
    expect(isOwnFile(helm, 'helm', 'apps/api-v2/values.yaml')).toBe(false);
  });

  it('keeps everything under the path of other layouts', () => {
    const overlay = { repoURL: 'r', path: 'apps/web/overlays/dev' };
    expect(
      isOwnFile(overlay, 'kustomize', 'apps/web/overlays/dev/values-x.yaml'),
    ).toBe(true);
    expect(
      isOwnFile(overlay, 'kustomize', 'apps/web/base/deployment.yaml'),
    ).toBe(false);
  });
});

describe('carrying a chart version over', () => {
  const chart = (version: string, deps: string[]) =>
    [
      'apiVersion: v2',
      'name: cache',
      `version: ${version}`,
      ...(deps.length ? ['dependencies:', ...deps] : []),
      '',
    ].join('\n');
  const redis = (version: string, repository = 'https://charts.example.com') =>
    `  - name: redis\n    version: "${version}"\n    repository: ${repository}`;

  async function plan(
    files: Record<string, string>,
    fromPath = 'cache/dev',
    toPath = 'cache/staging',
  ) {
    const tree = treeOf(files);
    return planChartPromotion({
      from: await readEnvironmentVersion(
        { repoURL: 'r', path: fromPath },
        tree,
      ),
      fromTree: tree,
      fromName: 'cache-dev',
      to: await readEnvironmentVersion({ repoURL: 'r', path: toPath }, tree),
      toTree: tree,
      toName: 'cache-staging',
    });
  }

  it('sets dependency versions in place (quoting kept) and leaves a chart without a lock alone', async () => {
    const result = await plan({
      'cache/dev/Chart.yaml': chart('1.0.0', [redis('18.1.0')]),
      'cache/staging/Chart.yaml': chart('1.0.0', [redis('18.0.0')]),
    });
    expect(result).toEqual({
      writes: {
        'cache/staging/Chart.yaml': chart('1.0.0', [redis('18.1.0')]),
      },
      changes: [
        { kind: 'dependency', name: 'redis', from: '18.0.0', to: '18.1.0' },
      ],
    });
  });

  it('refuses what it cannot carry safely, naming each reason', async () => {
    const missing = await plan({
      'cache/dev/Chart.yaml': chart('1.0.0', [redis('18.1.0')]),
      'cache/staging/Chart.yaml': chart('1.0.0', []),
    });
    expect(missing.writes).toEqual({});
    expect(missing.blocker).toMatch(
      /cannot be carried over to cache-staging safely: dependency redis 18.1.0 is not in cache\/staging\/Chart.yaml$/,
    );

    const otherRepository = await plan({
      'cache/dev/Chart.yaml': chart('1.0.0', [redis('18.1.0')]),
      'cache/staging/Chart.yaml': chart('1.0.0', [
        redis('18.0.0', 'oci://mirror.example/charts'),
      ]),
    });
    expect(otherRepository.blocker).toMatch(
      /dependency redis is redis from https:\/\/charts.example.com in cache\/dev\/Chart.yaml but redis from oci:\/\/mirror.example\/charts in cache\/staging\/Chart.yaml/,
    );

    // The own version of charts with templates is not the chart: setting it would lie.
    const templates = await plan({
      'cache/dev/Chart.yaml': chart('1.1.0', []),
      'cache/dev/templates/deployment.yaml': 'kind: Deployment\n',
      'cache/staging/Chart.yaml': chart('1.0.0', []),
      'cache/staging/templates/deployment.yaml': 'kind: Deployment\n',
    });
    expect(templates.writes).toEqual({});
    expect(templates.blocker).toMatch(
      /cache\/dev\/Chart.yaml \(version 1.1.0\) and cache\/staging\/Chart.yaml \(version 1.0.0\) are separate charts with templates of their own/,
    );

    // The next lock would pin old versions, and dev has no lock to take over.
    const lock = await plan({
      'cache/dev/Chart.yaml': chart('1.0.0', [redis('18.1.0')]),
      'cache/staging/Chart.yaml': chart('1.0.0', [redis('18.0.0')]),
      'cache/staging/Chart.lock': 'dependencies: []\ndigest: sha256:0\n',
    });
    expect(lock.writes).toEqual({});
    expect(lock.blocker).toMatch(
      /cache\/staging\/Chart.lock pins the dependencies and cache-dev's lock does not fit them after the change \(run helm dependency update in cache\/staging\)/,
    );
  });

  it('has nothing to do for other layouts or an unchanged chart', async () => {
    expect(
      await plan({
        'cache/dev/kustomization.yaml': kustomization,
        'cache/staging/kustomization.yaml': kustomization,
      }),
    ).toEqual({ writes: {}, changes: [] });
    expect(
      await plan({
        'cache/dev/Chart.yaml': chart('1.0.0', [redis('18.0.0')]),
        'cache/staging/Chart.yaml': chart('1.0.0', [redis('18.0.0')]),
      }),
    ).toEqual({ writes: {}, changes: [] });
  });
});
