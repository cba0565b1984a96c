/*
 * The sandbox's password-less sign-in: a loopback toy that cannot be reached from the network
 * and signs in only the seeded users.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { sandboxAuthModule } from '@kupe/gitops-sandbox';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import request from 'supertest';

const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [] },
});

const config = (listen: string | { host: string; port: number }) =>
  mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: 'http://localhost:7007', listen },
      auth: { providers: { sandbox: {} } },
      gitops: { sandbox: { enabled: true } },
    },
  });

describe('the sandbox sign-in', () => {
  it('refuses to start when the backend listens beyond loopback', async () => {
    for (const listen of [':7007', { host: '0.0.0.0', port: 7007 }]) {
      await expect(
        startTestBackend({
          features: [
            authPlugin,
            sandboxAuthModule,
            catalogServiceMock.factory({ entities: [] }),
            config(listen),
          ],
        }),
      ).rejects.toThrow(/password-less sign-in would be open to the network/);
    }
  });

  it('on loopback, signs in a seeded user and refuses any other catalog user', async () => {
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        sandboxAuthModule,
        // mallory is a User someone registered in the catalog: not a sandbox user
        catalogServiceMock.factory({
          entities: [user('alice'), user('mallory')],
        }),
        config({ host: '127.0.0.1', port: 7007 }),
      ],
    });
    const signIn = (name: string) =>
      request(server)
        .get('/api/auth/sandbox/refresh')
        .set('x-kupe-sandbox-user', name);

    const alice = await signIn('alice');
    expect(alice.status).toBe(200);
    expect(alice.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/alice',
    );
    const mallory = await signIn('mallory');
    expect(mallory.status).toBe(401);
    expect(mallory.body.error.message).toContain(
      "'mallory' is not a sandbox user",
    );
  });

  it('waits for a seeded user the catalog has not read yet, instead of answering 404', async () => {
    // The catalog reads the seed file seconds after the backend reports ready.
    let read = false;
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async () => (read ? user('alice') : undefined),
    });
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        sandboxAuthModule,
        catalog.factory,
        config({ host: '127.0.0.1', port: 7007 }),
      ],
    });
    const signIn = request(server)
      .get('/api/auth/sandbox/refresh')
      .set('x-kupe-sandbox-user', 'alice')
      .then(response => response);
    // It asked the catalog and asks again, with no answer to the browser yet.
    let answered = false;
    signIn.then(() => (answered = true));
    await waitFor(
      'a second lookup of alice',
      () => (catalog.getEntityByRef.mock.calls.length >= 2 ? true : undefined),
      3_000,
    );
    expect(answered).toBe(false);
    read = true;
    const alice = await signIn;
    expect(alice.status).toBe(200);
    expect(alice.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/alice',
    );
  });
});
