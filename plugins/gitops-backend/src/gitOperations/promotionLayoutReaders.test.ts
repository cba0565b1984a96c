/*
 * gitOpsPromotionLayoutExtensionPoint: a platform's own layout (a version.txt beside
 * manifests whose image has no tag) read and written through a real backend module.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  type PromotionLayoutReader,
  gitOpsPromotionLayoutExtensionPoint,
} from '@kupe/plugin-gitops-node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import request from 'supertest';
import {
  type World,
  deploymentYaml,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Real git over real repositories: seconds per test on a loaded machine.
jest.setTimeout(60_000);

const IMAGE = 'registry.acme.example/acme-ver';

/** `registry/name:tag` of a version.txt. */
function imageOf(content: string): { name: string; tag: string } | undefined {
  const match = /^\s*([^\s:]+(?::\d+)?[^\s:]*):([^\s:/]+)\s*$/.exec(content);
  return match ? { name: match[1], tag: match[2] } : undefined;
}

/** The platform's reader: `version.txt` in the environment's directory names its image. */
const versionFileReader: PromotionLayoutReader = {
  id: 'version-file',
  async recognizes(source, tree) {
    return (await tree.read(`${source.path}/version.txt`)) !== undefined;
  },
  async readVersion(source, tree) {
    const file = `${source.path}/version.txt`;
    const image = imageOf((await tree.read(file)) ?? '');
    return { images: image ? [image] : [], versionFiles: [file] };
  },
  writeVersion({ content }, images) {
    const running = imageOf(content);
    const to = images.find(i => i.name === running?.name)?.tag;
    if (!running || !to || to === running.tag) return { content, changes: [] };
    return {
      content: `${running.name}:${to}\n`,
      changes: [{ name: running.name, from: running.tag, to }],
    };
  },
};

const versionFileModule = createBackendModule({
  pluginId: 'gitops',
  moduleId: 'version-file-layout',
  register(env) {
    env.registerInit({
      deps: { layouts: gitOpsPromotionLayoutExtensionPoint },
      async init({ layouts }) {
        layouts.addLayoutReader(versionFileReader);
      },
    });
  },
});

/** acme-ver in dev (1.5.0) and staging (1.4.0): manifests without a tag, and a version.txt. */
async function addVersionFileService(w: World) {
  const files: Record<string, string> = {};
  for (const [env, tag] of [
    ['dev', '1.5.0'],
    ['staging', '1.4.0'],
  ]) {
    files[`apps/acme-ver/${env}/deployment.yaml`] = deploymentYaml(
      'acme-ver',
      IMAGE,
    );
    files[`apps/acme-ver/${env}/version.txt`] = `${IMAGE}:${tag}\n`;
  }
  const sha = await w.commit('Add acme-ver, versioned by version.txt', files);
  for (const env of ['dev', 'staging']) {
    w.fake.putApplication(
      buildApplication({
        name: `acme-ver-${env}`,
        tenant: 'acme',
        component: 'acme-ver',
        environment: env,
        repoURL: w.acmeUrl,
        path: `apps/acme-ver/${env}`,
        targetRevision: 'main',
        revision: sha,
        syncPolicy: 'auto-self-heal',
      }),
    );
  }
  // The backend's index follows the watch stream.
  for (let i = 0; i < 100; i++) {
    const res = await request(w.server)
      .get(app('acme-ver-staging'))
      .set(as(users.alice));
    if (res.status === 200) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error('acme-ver-staging never reached the index');
}

const previewOf = async (w: World) => {
  const res = await request(w.server)
    .get(`${app('acme-ver-dev')}/promotion`)
    .set(as(users.alice));
  expect(res.status).toBe(200);
  return res.body;
};

describe('promotion layout readers', () => {
  let w: World | undefined;
  afterEach(() => w?.stop());

  it('reads an environment without a module by the built-in layouts (the control)', async () => {
    w = await startGitOperationsWorld();
    await addVersionFileService(w);
    const preview = await previewOf(w);
    // Plain manifests: the image has no tag, so there is nothing to promote.
    expect(preview.version).toMatchObject({
      layout: 'plain',
      images: [{ name: IMAGE, tag: '' }],
    });
    expect(preview.version.layoutReader).toBeUndefined();
    expect(preview.promotable).toBe(false);
  });

  it('reads and writes the version with the reader a module added through gitOpsPromotionLayoutExtensionPoint', async () => {
    w = await startGitOperationsWorld({
      features: [versionFileModule],
      // Promotions are pull requests on the GitHub double.
      github: true,
    });
    await addVersionFileService(w);
    // The built-in layouts still read the other services.
    const web = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(web.body.version.layout).toBe('kustomize');

    const preview = await previewOf(w);
    expect(preview).toMatchObject({
      version: {
        layout: 'custom',
        layoutReader: 'version-file',
        images: [{ name: IMAGE, tag: '1.5.0' }],
        label: 'acme-ver:1.5.0',
        files: ['apps/acme-ver/dev/version.txt'],
      },
      next: {
        application: { name: 'acme-ver-staging' },
        version: {
          layout: 'custom',
          layoutReader: 'version-file',
          label: 'acme-ver:1.4.0',
        },
      },
      changes: [{ name: IMAGE, from: '1.4.0', to: '1.5.0' }],
      files: ['apps/acme-ver/staging/version.txt'],
      promotable: true,
    });
    expect(preview.diff).toContain(`-${IMAGE}:1.4.0\n+${IMAGE}:1.5.0`);
    expect(preview.diff.match(/^diff --git/gm)).toHaveLength(1);

    // The promotion's pull request carries what the reader wrote, and nothing else.
    const promoted = await request(w.server)
      .post(`${app('acme-ver-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(promoted.status).toBe(200);
    expect(promoted.body.changedFiles).toEqual([
      'apps/acme-ver/staging/version.txt',
    ]);
    expect(
      await w.git([
        'show',
        `${promoted.body.branch}:apps/acme-ver/staging/version.txt`,
      ]),
    ).toBe(`${IMAGE}:1.5.0\n`);
  });
});
