import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ApplicationSummary,
  ApplicationsEvent,
  ManagedResourcesResponseBody,
  SyncRequestBody,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import {
  BASE_URL,
  ENTITY_APPS_URL,
  SHA_DEV,
  SHA_OLD,
  SHA_PROD,
  makeApp,
  makeDetail,
  makeEntity,
  makeResponse,
  quietTabHandlers,
} from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';

const server = setupServer(...quietTabHandlers());
registerMswTestHooks(server);

const dev = makeApp();
const prod = makeApp({
  name: 'payments-prod',
  environment: 'production',
  destination: { cluster: 'acme-prod', namespace: 'payments' },
  sync: { status: 'OutOfSync', revision: SHA_PROD },
  deployedRevision: SHA_OLD,
  images: ['ghcr.io/acme/payments:1.3.2'],
});

/** Open event streams, in connection order; the test writes events into them. */
let eventStreams: Array<{
  url: string;
  authorization: string | null;
  send(type: string, data: unknown): void;
}> = [];

function serveApps(
  apps: ApplicationSummary[],
  resources: ManagedResourcesResponseBody = { items: [] },
) {
  const syncs: Array<{ name: string; body: SyncRequestBody }> = [];
  server.use(
    http.get(ENTITY_APPS_URL, () => HttpResponse.json(makeResponse(apps))),
    http.get(`${BASE_URL}/instances/main/applications/:name`, ({ params }) => {
      const app = apps.find(a => a.name === params.name);
      return app
        ? HttpResponse.json(makeDetail(app))
        : HttpResponse.json(
            { error: { name: 'NotFoundError', message: 'no' } },
            { status: 404 },
          );
    }),
    http.get(`${BASE_URL}/instances/main/applications/:name/resources`, () =>
      HttpResponse.json(resources),
    ),
    http.get(`${BASE_URL}/instances/main/applications/:name/rollouts`, () =>
      HttpResponse.json({ items: [] }),
    ),
    // The tab's promotion panel asks too; these tests are not about promotion (see
    // GitOperations.test.tsx), so every app is the last of its line.
    http.get(
      `${BASE_URL}/instances/main/applications/:name/promotion`,
      ({ params }) => {
        const app = apps.find(a => a.name === params.name)!;
        return HttpResponse.json({
          application: {
            instance: app.instance,
            appNamespace: app.appNamespace,
            name: app.name,
          },
          environment: app.environment ?? 'unknown',
          version: {
            layout: 'directory',
            images: [],
            label: 'main',
            files: [],
          },
          commits: [],
          changes: [],
          files: [],
          diff: '',
          promotable: false,
          reason: `${app.environment} is the last environment`,
          requiresApproval: false,
        });
      },
    ),
    http.post(
      `${BASE_URL}/instances/main/applications/:name/sync`,
      async ({ params, request }) => {
        const body = (await request.json()) as SyncRequestBody;
        syncs.push({ name: String(params.name), body });
        const app = apps.find(a => a.name === params.name)!;
        return HttpResponse.json({
          summary: {
            ...app,
            operation: { phase: 'Running', message: 'syncing' },
          },
        });
      },
    ),
    http.get(`${BASE_URL}/events`, ({ request }) => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const send = (type: string, data: unknown) =>
            controller.enqueue(
              encoder.encode(
                `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`,
              ),
            );
          // As the backend does: the list's answer first.
          send('applications', {
            entityRef: 'component:default/payments',
            ...makeResponse(apps),
          });
          eventStreams.push({
            url: request.url,
            authorization: request.headers.get('authorization'),
            send,
          });
        },
      });
      return new HttpResponse(body, {
        headers: { 'Content-Type': 'text/event-stream' },
      });
    }),
  );
  return syncs;
}

async function renderTab(options: { allow?: boolean } = {}) {
  eventStreams = [];
  const client = new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch({ injectIdentityAuth: { token: 'alice-token' } }),
  });
  return renderInTestApp(
    <EntityProvider entity={makeEntity()}>
      <EntityGitOpsContent />
    </EntityProvider>,
    {
      apis: [
        [gitOpsApiRef, client],
        mockApis.permission({
          authorize:
            options.allow === false
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        }),
      ],
    },
  );
}

function panel(name: string) {
  return screen.getByRole('region', { name });
}

/** Opens an app's panel as a person does, from its row in the overview. */
async function openApp(name: string) {
  const overview = await screen.findByRole('table', { name: 'Environments' });
  await userEvent.click(within(overview).getByRole('button', { name }));
  return screen.findByRole('region', { name });
}

describe('EntityGitOpsContent', () => {
  it('shows each source of a multi-source app with its chart version, and the OutOfSync target from sync.revisions', async () => {
    const chart = {
      repoURL: 'https://charts.example.com/stable',
      chart: 'payments',
      targetRevision: '^2.4.0',
    };
    const values = {
      repoURL: 'https://github.com/acme/payments-deploy.git',
      targetRevision: 'main',
      ref: 'values',
    };
    const multi = makeApp({
      sync: { status: 'OutOfSync', revisions: ['2.4.2', SHA_DEV] },
      deployedRevision: '2.4.1',
      source: chart,
      sources: [
        { ...chart, deployedRevision: '2.4.1', syncRevision: '2.4.2' },
        { ...values, deployedRevision: SHA_DEV, syncRevision: SHA_DEV },
      ],
    });
    serveApps([multi]);
    await renderTab();
    const app = await openApp('payments-dev');
    const [chartSource, valuesSource] =
      within(app).getAllByTestId('gitops-source');
    expect(chartSource).toHaveAccessibleName(
      'chart payments 2.4.1, target 2.4.2',
    );
    expect(chartSource).toHaveTextContent(
      'chart payments 2.4.1 (target 2.4.2)',
    );
    expect(valuesSource).toHaveAccessibleName(
      `values acme/payments-deploy ${SHA_DEV}`,
    );
    expect(
      within(valuesSource).queryByTestId('source-target'),
    ).not.toBeInTheDocument();
  });

  it('shows conditions first, then history and resources', async () => {
    serveApps([dev]);
    server.use(
      http.get(`${BASE_URL}/instances/main/applications/payments-dev`, () =>
        HttpResponse.json(
          makeDetail(dev, {
            conditions: [
              {
                type: 'ComparisonError',
                message: 'failed to load target state',
              },
            ],
          }),
        ),
      ),
    );
    await renderTab();
    const app = await openApp('payments-dev');
    const condition = await within(app).findByTestId('condition');
    expect(condition).toHaveTextContent(
      'ComparisonError: failed to load target state',
    );

    const history = within(app).getByRole('table', {
      name: 'Deployment history of payments-dev',
    });
    expect(history).toHaveTextContent('Ada Lovelace');
    expect(history).toHaveTextContent('Bump payments to 1.4.0');
    expect(history).toHaveTextContent('1m 30s');
    const resources = within(app).getByRole('table', {
      name: 'Resources of payments-dev',
    });
    expect(within(resources).getAllByRole('row')).toHaveLength(3);
    expect(resources).toHaveTextContent('Deployment');
    // Problems precede the tables in reading order.
    expect(
      condition.compareDocumentPosition(history) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('renders a line diff of live against desired for OutOfSync resources', async () => {
    const outOfSync = {
      ...dev,
      sync: { status: 'OutOfSync' as const, revision: SHA_DEV },
    };
    serveApps([outOfSync], {
      items: [
        {
          group: 'apps',
          kind: 'Deployment',
          namespace: 'payments',
          name: 'payments',
          modified: true,
          liveManifest: 'spec:\n  replicas: 2\n  image: payments:1.3.2\n',
          desiredManifest: 'spec:\n  replicas: 2\n  image: payments:1.4.0\n',
        },
        {
          kind: 'ConfigMap',
          name: 'unchanged',
          modified: false,
          liveManifest: 'a: 1',
          desiredManifest: 'a: 1',
        },
        // What the backend sends for Synced resources: no manifests at all.
        {
          kind: 'Service',
          namespace: 'payments',
          name: 'payments',
          modified: false,
        },
        {
          kind: 'ConfigMap',
          namespace: 'payments',
          name: 'new-flags',
          modified: true,
          desiredManifest: 'a: 1\n',
        },
        {
          kind: 'Secret',
          namespace: 'payments',
          name: 'old',
          modified: true,
          liveManifest: 'b: 2\n',
        },
      ],
    });
    await renderTab();
    await openApp('payments-dev');
    const diff = await screen.findByRole('region', {
      name: /^Diff of Deployment payments\/payments/,
    });
    const lines = [...diff.querySelectorAll('div')].map(d => d.textContent);
    expect(lines).toEqual([
      '  spec:',
      '    replicas: 2',
      '-   image: payments:1.3.2',
      '+   image: payments:1.4.0',
    ]);
    expect(
      screen.queryByRole('region', { name: /^Diff of ConfigMap unchanged/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: /^Diff of Service/ }),
    ).not.toBeInTheDocument();
    const diffs = screen.getAllByTestId('manifest-diff');
    expect(diffs.map(d => d.querySelector('h4')?.textContent)).toEqual([
      'Deployment payments/payments',
      'ConfigMap payments/new-flags',
      'Secret payments/old',
    ]);
    expect(
      screen.getAllByText('Not in the cluster yet: a sync creates it.'),
    ).toHaveLength(1);
    expect(diffs[1]).toHaveTextContent(
      'Not in the cluster yet: a sync creates it.',
    );
    expect(diffs[2]).toHaveTextContent(
      'No longer in Git: a sync with prune deletes it.',
    );
  });

  it('syncs with prune only after confirmation and shows the outcome', async () => {
    const syncs = serveApps([dev]);
    await renderTab();
    const app = await openApp('payments-dev');
    await userEvent.click(within(app).getByRole('button', { name: 'Sync' }));

    const options = await screen.findByRole('dialog', {
      name: 'Sync payments-dev',
    });
    await userEvent.click(
      within(options).getByRole('checkbox', { name: /Prune/ }),
    );
    await userEvent.click(
      within(options).getByRole('button', { name: 'Start sync' }),
    );

    const confirm = await screen.findByRole('dialog', {
      name: 'Sync payments-dev?',
    });
    expect(confirm).toHaveTextContent(
      'Prune deletes every resource of payments-dev',
    );
    expect(syncs).toHaveLength(0);
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Confirm sync' }),
    );

    await waitFor(() =>
      expect(syncs).toEqual([
        {
          name: 'payments-dev',
          body: {
            prune: true,
            dryRun: false,
            force: false,
            applyOnly: false,
            applyOutOfSyncOnly: false,
            serverSideApply: false,
          },
        },
      ]),
    );
    expect(await within(app).findByTestId('action-outcome')).toHaveTextContent(
      'Sync of payments-dev started with prune.',
    );
    // The returned summary shows at once, before any event.
    expect(
      await within(app).findByRole('button', { name: 'Terminate' }),
    ).toBeInTheDocument();
  });

  it('syncs a non-production app without prune straight away', async () => {
    const syncs = serveApps([dev]);
    await renderTab();
    const app = await openApp('payments-dev');
    await userEvent.click(within(app).getByRole('button', { name: 'Sync' }));
    const options = await screen.findByRole('dialog', {
      name: 'Sync payments-dev',
    });
    await userEvent.click(
      within(options).getByRole('button', { name: 'Start sync' }),
    );
    await waitFor(() => expect(syncs).toHaveLength(1));
    expect(
      screen.queryByRole('dialog', { name: 'Sync payments-dev?' }),
    ).not.toBeInTheDocument();
  });

  it('asks before any action on production and can be cancelled', async () => {
    const refreshes: string[] = [];
    serveApps([prod]);
    server.use(
      http.post(
        `${BASE_URL}/instances/main/applications/:name/refresh`,
        async ({ request }) => {
          refreshes.push(JSON.stringify(await request.json()));
          return HttpResponse.json({ summary: prod });
        },
      ),
    );
    await renderTab();
    const app = await openApp('payments-prod');
    await userEvent.click(
      within(app).getByRole('button', { name: 'Hard refresh' }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: 'Hard refresh payments-prod?',
    });
    expect(confirm).toHaveTextContent('runs in production');
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Cancel' }),
    );
    expect(refreshes).toHaveLength(0);

    await userEvent.click(
      await within(app).findByRole('button', { name: 'Hard refresh' }),
    );
    await userEvent.click(
      within(
        await screen.findByRole('dialog', {
          name: 'Hard refresh payments-prod?',
        }),
      ).getByRole('button', {
        name: 'Confirm hard refresh',
      }),
    );
    await waitFor(() => expect(refreshes).toEqual(['{"hard":true}']));
  });

  it('shows a failed action as an error', async () => {
    serveApps([dev]);
    server.use(
      http.post(
        `${BASE_URL}/instances/main/applications/payments-dev/refresh`,
        () =>
          HttpResponse.json(
            {
              error: { name: 'NotAllowedError', message: 'denied by policy' },
              response: { statusCode: 403 },
            },
            { status: 403 },
          ),
      ),
    );
    await renderTab();
    const app = await openApp('payments-dev');
    await userEvent.click(within(app).getByRole('button', { name: 'Refresh' }));
    expect(await within(app).findByRole('alert')).toHaveTextContent(
      'Refresh of payments-dev failed: denied by policy',
    );
  });

  it('offers Terminate only while an operation runs', async () => {
    serveApps([
      dev,
      {
        ...prod,
        sync: { status: 'Synced', revision: SHA_DEV },
        operation: { phase: 'Running' },
      },
    ]);
    await renderTab();
    const devPanel = await openApp('payments-dev');
    expect(
      within(devPanel).queryByRole('button', { name: 'Terminate' }),
    ).not.toBeInTheDocument();
    expect(
      within(await openApp('payments-prod')).getByRole('button', {
        name: 'Terminate',
      }),
    ).toBeInTheDocument();
  });

  it('hides the actions from users without the sync permission', async () => {
    // usePermission caches answers per request across tests, so this app has its own ref.
    const locked = makeApp({ name: 'payments-locked' });
    serveApps([locked]);
    await renderTab({ allow: false });
    const app = await openApp('payments-locked');
    expect(await within(app).findByTestId('actions-denied')).toHaveTextContent(
      'You do not have permission to sync or refresh payments-locked',
    );
    expect(
      within(app).queryByRole('button', { name: 'Sync' }),
    ).not.toBeInTheDocument();
  });

  it('updates live from server-sent events', async () => {
    serveApps([dev]);
    await renderTab();
    const app = await openApp('payments-dev');
    expect(within(app).getAllByTestId('health-status')[0]).toHaveTextContent(
      'Health: Healthy',
    );
    await waitFor(() => expect(eventStreams).toHaveLength(1));
    const stream = eventStreams[0];
    expect(stream.url).toBe(
      `${BASE_URL}/events?entityRef=${encodeURIComponent(
        'component:default/payments',
      )}`,
    );
    // The events route reads the catalog as the user, so the stream carries the user's token.
    expect(stream.authorization).toBe('Bearer alice-token');

    const event: ApplicationsEvent = {
      entityRef: 'component:default/payments',
      items: [{ ...dev, health: { status: 'Degraded' } }],
      errors: [],
    };
    act(() => stream.send('applications', event));
    await waitFor(() =>
      expect(
        within(panel('payments-dev')).getAllByTestId('health-status')[0],
      ).toHaveTextContent('Health: Degraded'),
    );
  });

  it('passes an automated accessibility check', async () => {
    serveApps([dev, prod], {
      items: [
        {
          kind: 'Deployment',
          name: 'payments',
          namespace: 'payments',
          modified: true,
          liveManifest: 'a: 1\n',
          desiredManifest: 'a: 2\n',
        },
      ],
    });
    const { container } = await renderTab();
    await openApp('payments-prod');
    await screen.findByRole('region', { name: /^Diff of Deployment/ });
    await screen.findByRole('table', { name: 'Resources of payments-prod' });
    expect(await accessibilityViolations(container)).toEqual([]);
  });
});
