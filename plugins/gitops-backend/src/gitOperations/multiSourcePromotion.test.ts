import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import request from 'supertest';
import {
  type World,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Real git over real repositories (and HTTP): seconds per test on a loaded machine.
jest.setTimeout(120_000);

const CHARTS = 'https://charts.acme.example';
const values = (tag: string) =>
  `image:\n  repository: registry.acme.example/acme-helm\n  tag: "${tag}"\n`;
/** The Application as an app-of-apps repository keeps it. */
const manifest = (name: string, env: string, version: string, git: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    `  name: ${name}`,
    '  namespace: argocd',
    'spec:',
    '  project: tenant-acme',
    '  sources:',
    `    - repoURL: ${CHARTS}`,
    '      chart: acme-helm',
    `      targetRevision: ${version}`,
    '      helm:',
    '        valueFiles:',
    `          - $values/envs/${env}/values.yaml`,
    `    - repoURL: ${git}`,
    '      targetRevision: main',
    '      ref: values',
    '',
  ].join('\n');

/**
 * A chart from a Helm repository with values from the acme repository (`$values`), in dev
 * (chart 2.4.1, image 1.5.0) and staging (2.4.0, 1.4.0). acme-helm-staging's Application is
 * kept in Git; acme-live-staging's only in Argo CD.
 */
async function chartWithValues(w: World) {
  const sha = await w.commit('Add acme-helm and acme-live: chart + values', {
    'envs/dev/values.yaml': values('1.5.0'),
    'envs/staging/values.yaml': values('1.4.0'),
    'argocd/acme-helm-staging.yaml': manifest(
      'acme-helm-staging',
      'staging',
      '2.4.0',
      w.acmeUrl,
    ),
  });
  for (const component of ['acme-helm', 'acme-live']) {
    for (const [env, version] of [
      ['dev', '2.4.1'],
      ['staging', '2.4.0'],
    ]) {
      w.fake.putApplication(
        buildApplication({
          name: `${component}-${env}`,
          tenant: 'acme',
          component,
          environment: env,
          sources: [
            {
              repoURL: CHARTS,
              chart: 'acme-helm',
              targetRevision: version,
              helm: { valueFiles: [`$values/envs/${env}/values.yaml`] },
            },
            { repoURL: w.acmeUrl, targetRevision: 'main', ref: 'values' },
          ],
          revisions: [version, sha],
        }),
      );
    }
  }
  // The backend's index follows the watch stream.
  for (let i = 0; i < 100; i++) {
    const res = await request(w.server)
      .get(app('acme-live-staging'))
      .set(as(users.alice));
    if (res.status === 200) return sha;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error('the multi-source apps never reached the index');
}

describe('promotion of a chart from a Helm repository with values from Git', () => {
  let w: World;
  beforeAll(async () => {
    w = await startGitOperationsWorld({ github: true });
  });
  afterAll(() => w.stop());

  it('previews and opens a pull request moving the chart version in Git and the image tag in the values', async () => {
    const sha = await chartWithValues(w);
    const preview = await request(w.server)
      .get(`${app('acme-helm-dev')}/promotion`)
      .set(as(users.alice));
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      version: {
        layout: 'helm-repository',
        chart: 'acme-helm',
        chartVersion: '2.4.1',
        revision: sha,
        images: [{ name: 'registry.acme.example/acme-helm', tag: '1.5.0' }],
        files: ['envs/dev/values.yaml'],
      },
      next: {
        application: { name: 'acme-helm-staging' },
        version: { chartVersion: '2.4.0' },
      },
      changes: [
        { name: 'registry.acme.example/acme-helm', from: '1.4.0', to: '1.5.0' },
      ],
      chartChanges: [
        { kind: 'chart', name: 'acme-helm', from: '2.4.0', to: '2.4.1' },
      ],
      files: ['argocd/acme-helm-staging.yaml', 'envs/staging/values.yaml'],
      promotable: true,
      downgrades: [],
    });
    expect(preview.body.diff).toContain('-      targetRevision: 2.4.0');
    expect(preview.body.diff).toContain('+      targetRevision: 2.4.1');

    const main = (await w.git(['rev-parse', 'refs/heads/main'])).trim();
    const res = await request(w.server)
      .post(`${app('acme-helm-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.changedFiles).toEqual([
      'argocd/acme-helm-staging.yaml',
      'envs/staging/values.yaml',
    ]);
    const branch = res.body.branch as string;
    expect(
      (await w.git(['diff', '--name-only', main, branch]))
        .split('\n')
        .filter(Boolean),
    ).toEqual(['argocd/acme-helm-staging.yaml', 'envs/staging/values.yaml']);
    expect(
      await w.git(['show', `${branch}:argocd/acme-helm-staging.yaml`]),
    ).toBe(manifest('acme-helm-staging', 'staging', '2.4.1', w.acmeUrl));
    expect(await w.git(['show', `${branch}:envs/staging/values.yaml`])).toBe(
      values('1.5.0'),
    );
  });

  it('says why an Application whose chart version lives only in Argo CD cannot be promoted', async () => {
    const preview = await request(w.server)
      .get(`${app('acme-live-dev')}/promotion`)
      .set(as(users.alice));
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      promotable: false,
      files: [],
      reason:
        'The chart version of acme-live-staging (acme-helm 2.4.0) is set only in its live Application, not in Git, so a pull request cannot move it to 2.4.1: set spec.sources[0].targetRevision of acme-live-staging in Argo CD, or keep the Application in this repository',
    });
    const res = await request(w.server)
      .post(`${app('acme-live-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'is set only in its live Application',
    );
  });
});
