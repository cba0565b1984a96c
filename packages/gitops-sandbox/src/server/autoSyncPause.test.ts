import { join } from 'node:path';
import type { Application } from '@kupe/plugin-gitops-node';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import { runGit } from '../git/runGit';
import { ArgoCdSandbox, startArgoCdSandbox } from './startArgoCdSandbox';

jest.setTimeout(90_000);

/** What the portal sends to pause and resume (see @kupe/plugin-gitops-node autoSyncPause). */
const patchOf = (enabled: boolean) => ({
  name: 'acme-web-staging',
  project: 'tenant-acme',
  patchType: 'merge',
  patch: JSON.stringify({
    metadata: {
      annotations: enabled
        ? { 'kupe.cloud/auto-sync-paused-by': null }
        : { 'kupe.cloud/auto-sync-paused-by': 'user:default/alice' },
    },
    spec: { syncPolicy: { automated: { enabled } } },
  }),
});

describe('pausing auto-sync on the sandbox', () => {
  let sandbox: ArgoCdSandbox;
  beforeAll(async () => {
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

  const app = (): Application =>
    sandbox.fake.getApplication('acme-web-staging')!;
  const patch = async (enabled: boolean) => {
    const response = await fetch(
      `${sandbox.url}/api/v1/applications/acme-web-staging`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${sandbox.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(patchOf(enabled)),
      },
    );
    expect(response.status).toBe(200);
  };

  it("stops staging's auto-sync while paused and deploys the waiting commit on resume", async () => {
    await patch(false);
    expect(app().spec.syncPolicy?.automated?.enabled).toBe(false);
    const path = 'apps/acme-web/overlays/staging/kustomization.yaml';
    const kustomization = await runGit([
      '--git-dir',
      join(sandbox.repositories.root, 'acme/gitops.git'),
      'show',
      `main:${path}`,
    ]);
    const tag = /newTag: "?([^"\n]+)"?/.exec(kustomization)?.[1];
    expect(tag).toBeDefined();
    const sha = await sandbox.repositories.commit('acme/gitops', {
      author: { name: 'Carla Test', email: 'carla@acme.example' },
      message: 'Bump acme-web staging to 9.9.9',
      files: { [path]: kustomization.replace(tag!, '9.9.9') },
    });
    await waitFor('acme-web-staging to see the commit', () => {
      const sync = app().status?.sync;
      return sync?.status === 'OutOfSync' && sync.revision === sha
        ? sync
        : undefined;
    });
    // Many reconcile intervals and operation times later: nothing deployed it.
    await new Promise(resolve => setTimeout(resolve, 2_000));
    expect(app().operation).toBeUndefined();
    expect(app().status?.history?.at(-1)?.revision).not.toBe(sha);

    await patch(true);
    await waitFor('acme-web-staging to deploy the commit after resuming', () =>
      app().status?.history?.at(-1)?.revision === sha ? true : undefined,
    );
    expect(app().status?.history?.at(-1)?.initiatedBy).toEqual({
      automated: true,
    });
  });
});
