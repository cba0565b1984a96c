import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { gitOpsSandboxPlugin } from './plugin';

describe('gitOpsSandboxPlugin', () => {
  it('starts nothing and serves no users when disabled', async () => {
    const backend = await startTestBackend({
      features: [
        gitOpsSandboxPlugin,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const res = await fetch(
      `http://localhost:${backend.server.port()}/api/gitops-sandbox/users`,
    );
    expect(res.status).toBe(404);
    await backend.stop();
  });

  it('starts the sandbox on the configured port and lists the seeded users without auth', async () => {
    const backend = await startTestBackend({
      features: [
        gitOpsSandboxPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { listen: { host: '127.0.0.1' } },
            gitops: { sandbox: { enabled: true, port: 0 } },
          },
        }),
      ],
    });
    try {
      const res = await fetch(
        `http://localhost:${backend.server.port()}/api/gitops-sandbox/users`,
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: Array<{ name: string }> };
      expect(body.items.map((u: { name: string }) => u.name)).toEqual(
        expect.arrayContaining(['alice', 'bob', 'pat']),
      );
      expect(
        body.items.find((u: { name: string }) => u.name === 'pat'),
      ).toMatchObject({
        admin: true,
        groups: ['platform-team'],
      });
    } finally {
      await backend.stop();
    }
  }, 60_000); // seeding real git repositories takes seconds on a loaded machine
});
