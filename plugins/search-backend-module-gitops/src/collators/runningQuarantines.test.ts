import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TestPipeline } from '@backstage/plugin-search-backend-node';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import { DefaultArgoCdService } from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  argoCdMswHandlers,
  buildApplication,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import type {
  ArgoCdApplicationDocument,
  RunningQuarantine,
} from './ArgoCdApplicationDocument';
import { ArgoCdApplicationCollatorFactory } from './ArgoCdApplicationCollatorFactory';
import { readRunningQuarantines } from './readRunningQuarantines';

const URL = 'https://argocd.example.com';
const server = setupServer();
registerMswTestHooks(server);

const broken: RunningQuarantine = {
  instance: 'main',
  appNamespace: 'argocd',
  name: 'acme-api-prod',
  version: '2.0.0-broken',
  reason: 'crashes on start',
  entityRef: 'component:default/acme-api',
};

async function collate(runningQuarantines: () => Promise<RunningQuarantine[]>) {
  const fake = new ArgoCdFake();
  for (const name of ['acme-api-prod', 'acme-api-dev'])
    fake.putApplication(buildApplication({ name, tenant: 'acme' }));
  server.use(...argoCdMswHandlers(fake, URL));
  const logger = mockServices.logger.mock();
  const factory = ArgoCdApplicationCollatorFactory.fromConfig(
    mockServices.rootConfig(),
    {
      argoCd: new DefaultArgoCdService([
        { name: 'main', url: URL, token: ArgoCdFake.adminToken },
      ]),
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
      logger,
      tenantNaming: new TenantNaming(),
      runningQuarantines,
    },
  );
  const { documents } = await TestPipeline.fromCollator(
    await factory.getCollator(),
  ).execute();
  return { documents: documents as ArgoCdApplicationDocument[], logger };
}

describe('quarantined versions in search documents', () => {
  it('says in the document of an app that runs a quarantined version which and why', async () => {
    const { documents } = await collate(async () => [broken]);
    const prod = documents.find(d => d.title === 'acme-api-prod')!;
    expect(prod.quarantinedVersions).toBe('2.0.0-broken');
    expect(prod.text).toContain(
      'runs quarantined version 2.0.0-broken: crashes on start',
    );
    const dev = documents.find(d => d.title === 'acme-api-dev')!;
    expect(dev.quarantinedVersions).toBe('');
    expect(dev.text).not.toContain('quarantined');
  });

  it('still indexes every app when the quarantines cannot be read', async () => {
    const { documents, logger } = await collate(async () => {
      throw new Error('gitops backend unavailable');
    });
    expect(documents.map(d => d.quarantinedVersions)).toEqual(['', '']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('gitops backend unavailable'),
    );
  });
});

describe('readRunningQuarantines', () => {
  it("asks the gitops backend with this plugin's service token", async () => {
    const calls: Array<[string, RequestInit | undefined]> = [];
    const read = readRunningQuarantines({
      discovery: {
        getBaseUrl: async id => `http://localhost:7007/api/${id}`,
      },
      auth: mockServices.auth(),
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push([url, init]);
        return new Response(JSON.stringify({ items: [broken] }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }) as typeof fetch,
    });
    expect(await read()).toEqual([broken]);
    expect(calls[0][0]).toBe(
      'http://localhost:7007/api/gitops/quarantines/running',
    );
    expect(
      (calls[0][1]?.headers as Record<string, string>).Authorization,
    ).toMatch(/^Bearer \S+/);
  });

  it('throws the backend refusal', async () => {
    const read = readRunningQuarantines({
      discovery: { getBaseUrl: async () => 'http://localhost:7007/api/gitops' },
      auth: mockServices.auth(),
      fetch: (async () =>
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'services only' },
          }),
          { status: 403, headers: { 'Content-Type': 'application/json' } },
        )) as unknown as typeof fetch,
    });
    await expect(read()).rejects.toMatchObject({ name: 'ResponseError' });
  });
});
