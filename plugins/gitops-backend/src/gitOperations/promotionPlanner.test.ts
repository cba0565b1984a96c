import type { PromotionLayoutReader } from '@kupe/plugin-gitops-node';
import { historyOf, memoryTree } from './__testUtils__/memoryTree';
import type { ApplicationSource } from './environmentVersion';
import {
  type PromotionInput,
  type PromotionPlan,
  planPromotion,
} from './promotionPlanner';

const kustomization = (tag: string) =>
  [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - ../../base',
    'images:',
    '  - name: registry.acme.example/acme-web',
    `    newTag: "${tag}"`,
    '',
  ].join('\n');
const deploymentYaml = (name: string, image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n`;

const REPO = 'https://github.example/acme/gitops.git';
const overlay = (env: string): ApplicationSource => ({
  repoURL: REPO,
  path: `apps/web/overlays/${env}`,
  targetRevision: 'main',
});
const base = {
  'apps/web/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'apps/web/base/deployment.yaml': deploymentYaml(
    'web',
    'registry.acme.example/acme-web:1.0.0',
  ),
};
const tree = (dev: string, staging: string) =>
  memoryTree({
    ...base,
    'apps/web/overlays/dev/kustomization.yaml': kustomization(dev),
    'apps/web/overlays/staging/kustomization.yaml': kustomization(staging),
  });

/** dev runs 1.5.0, staging 1.4.0 at the head: a promotion from dev to staging. */
function input(
  overrides: {
    app?: Partial<PromotionInput['app']>;
    next?: Partial<NonNullable<PromotionInput['next']>> | null;
    history?: PromotionInput['history'];
  } = {},
): PromotionInput {
  const files = tree('1.5.0', '1.4.0');
  return {
    app: {
      name: 'web-dev',
      environment: 'dev',
      neverDeployed: false,
      source: overlay('dev'),
      runs: files,
      revision: 'c4c4c4c4c4c4',
      ...overrides.app,
    },
    next:
      overrides.next === null
        ? undefined
        : {
            name: 'web-staging',
            environment: 'staging',
            neverDeployed: false,
            source: overlay('staging'),
            sameBranch: true,
            runs: files,
            head: files,
            ...overrides.next,
          },
    history: overrides.history ?? historyOf(),
  };
}

const codeOf = (plan: PromotionPlan) => plan.blocked?.code;

describe('planPromotion', () => {
  it('writes the image tag into the next environment and names the change', async () => {
    const plan = await planPromotion(input());
    expect(plan.blocked).toBeUndefined();
    expect(plan.changes).toEqual([
      { name: 'registry.acme.example/acme-web', from: '1.4.0', to: '1.5.0' },
    ]);
    expect(Object.keys(plan.writes)).toEqual([
      'apps/web/overlays/staging/kustomization.yaml',
    ]);
    expect(plan.writes['apps/web/overlays/staging/kustomization.yaml']).toBe(
      kustomization('1.5.0'),
    );
    expect(plan.nextVersion?.images).toEqual([
      { name: 'registry.acme.example/acme-web', tag: '1.4.0' },
    ]);
    expect(plan.downgrades).toEqual([]);
  });

  it('names a downgrade by semver, and by commit order where tags are not semver', async () => {
    const semver = await planPromotion(
      input({
        app: { runs: tree('1.3.0', '1.4.0') },
        next: { head: tree('1.3.0', '1.4.0') },
      }),
    );
    expect(semver.downgrades).toEqual([
      expect.objectContaining({ from: '1.4.0', to: '1.3.0', basis: 'semver' }),
    ]);
    const files = tree('build-7', 'build-9');
    const byCommits = await planPromotion(
      input({
        app: { runs: files },
        next: { runs: files, head: files },
        history: historyOf(['build-7', 'build-9']),
      }),
    );
    expect(byCommits.downgrades).toEqual([
      expect.objectContaining({
        from: 'build-9',
        to: 'build-7',
        basis: 'commit-order',
      }),
    ]);
  });

  it('moves nothing backwards in a never-deployed environment', async () => {
    const files = tree('1.3.0', '1.4.0');
    const plan = await planPromotion(
      input({
        app: { runs: files },
        next: { runs: files, head: files, neverDeployed: true },
      }),
    );
    expect(plan.blocked).toBeUndefined();
    expect(plan.downgrades).toEqual([]);
  });

  it('refuses an app that deploys a chart from a Helm repository, naming both versions', async () => {
    const chart = (version: string): ApplicationSource => ({
      repoURL: 'https://charts.example.com',
      chart: 'nginx',
      targetRevision: version,
    });
    const plan = await planPromotion(
      input({
        app: { source: chart('15.1.0') },
        next: { source: chart('15.0.0') },
      }),
    );
    expect(codeOf(plan)).toBe('helm-repository');
    expect(plan.blocked?.message).toContain(
      'web-staging runs nginx 15.0.0, web-dev nginx 15.1.0',
    );
    expect(plan.writes).toEqual({});
  });

  it('refuses an app without an environment', async () => {
    const plan = await planPromotion(
      input({ app: { environment: undefined } }),
    );
    expect(codeOf(plan)).toBe('no-environment');
    expect(plan.nextVersion).toBeUndefined();
  });

  it('refuses an app that has never been deployed', async () => {
    const plan = await planPromotion(input({ app: { neverDeployed: true } }));
    expect(codeOf(plan)).toBe('never-deployed');
    expect(plan.blocked?.message).toBe(
      'web-dev has never been deployed: there is no running version to promote',
    );
  });

  it('refuses when no later environment runs the service', async () => {
    const plan = await planPromotion(input({ next: null }));
    expect(codeOf(plan)).toBe('no-next-environment');
    expect(plan.blocked?.message).toBe(
      'No application of this service in an environment after dev',
    );
  });

  it('refuses a next environment on another repository or branch, still reading what it runs', async () => {
    const plan = await planPromotion(input({ next: { sameBranch: false } }));
    expect(codeOf(plan)).toBe('other-branch');
    expect(plan.nextVersion?.images[0].tag).toBe('1.4.0');
  });

  it('refuses a next environment that deploys a chart from a Helm repository', async () => {
    const plan = await planPromotion(
      input({
        next: {
          source: {
            repoURL: 'https://charts.example.com',
            chart: 'web',
            targetRevision: '1.0.0',
          },
        },
      }),
    );
    expect(codeOf(plan)).toBe('next-helm-repository');
  });

  it('refuses a chart version that cannot be carried over (a chart shared at another version)', async () => {
    const chart = (version: string) =>
      memoryTree({
        'apps/api/Chart.yaml': `apiVersion: v2\nname: api\nversion: ${version}\n`,
        'apps/api/values.yaml':
          'image:\n  repository: registry/api\n  tag: "1.0.0"\n',
        'apps/api/values-dev.yaml': 'image:\n  tag: "1.9.0"\n',
        'apps/api/values-staging.yaml': 'image:\n  tag: "1.7.0"\n',
      });
    const source = (env: string): ApplicationSource => ({
      repoURL: REPO,
      path: 'apps/api',
      targetRevision: 'main',
      valueFiles: [`values-${env}.yaml`],
    });
    const plan = await planPromotion(
      input({
        app: { source: source('dev'), runs: chart('0.4.0') },
        next: {
          source: source('staging'),
          runs: chart('0.5.0'),
          head: chart('0.5.0'),
        },
      }),
    );
    expect(codeOf(plan)).toBe('chart-not-carried');
    expect(plan.blocked?.message).toContain(
      'shares the chart apps/api/Chart.yaml',
    );
    expect(plan.writes).toEqual({});
  });

  it('refuses when this environment names no version in its files', async () => {
    const plain = memoryTree({
      'apps/web/dev/service.yaml': 'kind: Service\n',
    });
    const plan = await planPromotion(
      input({
        app: { source: { repoURL: REPO, path: 'apps/web/dev' }, runs: plain },
        next: {
          source: { repoURL: REPO, path: 'apps/web/staging' },
          runs: plain,
          head: plain,
        },
      }),
    );
    expect(codeOf(plan)).toBe('no-version');
    expect(plan.blocked?.message).toBe(
      "No image tag found in web-dev's files (plain layout); its version is the revision c4c4c4c",
    );
  });

  it('refuses when the next environment has no file to write the version to', async () => {
    const files = memoryTree({
      'apps/web/overlays/dev/kustomization.yaml': kustomization('1.5.0'),
    });
    const plan = await planPromotion(
      input({ app: { runs: files }, next: { runs: files, head: files } }),
    );
    expect(codeOf(plan)).toBe('no-version-file');
    expect(plan.blocked?.message).toBe(
      'No version file found for web-staging (directory layout)',
    );
  });

  it('says when the next environment already runs the version, with nothing to write', async () => {
    const files = tree('1.5.0', '1.5.0');
    const plan = await planPromotion(
      input({ app: { runs: files }, next: { runs: files, head: files } }),
    );
    expect(codeOf(plan)).toBe('already-there');
    expect(plan.writes).toEqual({});
    expect(plan.blocked?.message).toBe(
      'web-staging is already at acme-web:1.5.0',
    );
  });

  it('asks the layout readers it is given before the built-in layouts, each side on its own', async () => {
    // A platform pins dev by a release.txt beside the overlay; staging is plain kustomize.
    const release: PromotionLayoutReader = {
      id: 'release-file',
      recognizes: async (source, files) =>
        (await files.read(`${source.path}/release.txt`)) !== undefined,
      readVersion: async (source, files) => {
        const tag = (await files.read(`${source.path}/release.txt`))!.trim();
        return {
          images: [{ name: 'registry.acme.example/acme-web', tag }],
          versionFiles: [`${source.path}/release.txt`],
        };
      },
      writeVersion: () => {
        throw new Error('staging is not in this layout');
      },
    };
    const files = memoryTree({
      ...base,
      'apps/web/overlays/dev/kustomization.yaml': kustomization('1.5.0'),
      'apps/web/overlays/dev/release.txt': '1.6.0\n',
      'apps/web/overlays/staging/kustomization.yaml': kustomization('1.4.0'),
    });
    const plan = await planPromotion({
      ...input({ app: { runs: files }, next: { runs: files, head: files } }),
      readers: [release],
    });
    expect(plan.version).toMatchObject({
      layout: 'custom',
      layoutReader: 'release-file',
      versionFiles: ['apps/web/overlays/dev/release.txt'],
    });
    expect(plan.nextVersion?.layout).toBe('kustomize');
    expect(plan.changes).toEqual([
      { name: 'registry.acme.example/acme-web', from: '1.4.0', to: '1.6.0' },
    ]);
    expect(plan.writes['apps/web/overlays/staging/kustomization.yaml']).toBe(
      kustomization('1.6.0'),
    );
  });
});
