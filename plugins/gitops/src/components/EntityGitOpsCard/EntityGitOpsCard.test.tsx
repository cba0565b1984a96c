import { act, screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import type {
  ApplicationSummary,
  EntityApplicationsResponse,
  HealthStatusValue,
  OperationPhaseValue,
  SyncStatusValue,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { EntityGitOpsCard } from './EntityGitOpsCard';
import {
  ENTITY_APPS_URL,
  SHA_DEV,
  SHA_OLD,
  SHA_PROD,
  makeApp,
  makeEntity,
  makeResponse,
} from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';

const server = setupServer();
registerMswTestHooks(server);

function serve(body: EntityApplicationsResponse) {
  const calls: string[] = [];
  server.use(
    http.get(ENTITY_APPS_URL, ({ request }) => {
      calls.push(request.url);
      return HttpResponse.json(body);
    }),
    // No event stream: the client falls back to polling, whose first poll is 5 s away.
    http.get('http://localhost:7007/api/gitops/events', () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'nope' } },
        { status: 404 },
      ),
    ),
  );
  return calls;
}

async function renderCard(
  entity: Entity = makeEntity(),
  config: NonNullable<Parameters<typeof mockApis.config>[0]>['data'] = {},
) {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const fetchApi = mockApis.fetch();
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityGitOpsCard />
    </EntityProvider>,
    {
      apis: [
        [gitOpsApiRef, new GitOpsClient({ discoveryApi, fetchApi })],
        [
          scmIntegrationsApiRef,
          ScmIntegrationsApi.fromConfig(mockApis.config({ data: config })),
        ],
      ],
    },
  );
}

/** The card's row of an application (its name is a cell's whole text). */
function row(name: string): HTMLElement {
  const found = screen
    .getAllByTestId('gitops-app-row')
    .find(r => within(r).queryByText(name) !== null);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
}

async function findRow(name: string): Promise<HTMLElement> {
  await screen.findAllByTestId('gitops-app-row');
  return row(name);
}

describe('EntityGitOpsCard', () => {
  it('groups applications by environment in promotion order with one request', async () => {
    const calls = serve(
      makeResponse([
        makeApp({
          name: 'payments-prod',
          environment: 'prod',
          sync: { status: 'Synced', revision: SHA_PROD },
        }),
        makeApp({ name: 'payments-dev', environment: 'dev' }),
        makeApp({ name: 'payments-stg', environment: 'staging' }),
      ]),
    );
    await renderCard();

    await findRow('payments-dev');
    const region = screen.getByRole('region', { name: 'GitOps' });
    const environments = within(region)
      .getAllByRole('rowgroup', { name: /^Environment / })
      .map(g => g.getAttribute('aria-label'));
    expect(environments).toEqual([
      'Environment dev',
      'Environment staging',
      'Environment production',
    ]);
    expect(within(region).getAllByTestId('gitops-app-row')).toHaveLength(3);
    expect(calls).toHaveLength(1);
    expect(within(region).getByTestId('rollup-status')).toHaveTextContent(
      'Overall: Healthy',
    );
  });

  it('shows revision, link, last sync and destination of a row', async () => {
    serve(
      makeResponse([
        makeApp(),
        makeApp({
          name: 'payments-onprem',
          environment: 'staging',
          source: { repoURL: 'https://git.internal.example/acme/deploy.git' },
        }),
      ]),
    );
    await renderCard();

    const dev = await findRow('payments-dev');
    const link = within(dev).getByRole('link', {
      name: new RegExp(`^Commit ${SHA_DEV.slice(0, 7)}`),
    });
    expect(link).toHaveAttribute(
      'href',
      `https://github.com/acme/payments-deploy/commit/${SHA_DEV}`,
    );
    // relative, with the absolute UTC time as tooltip
    const synced = within(dev).getByTestId('last-synced');
    expect(synced).toHaveTextContent('5 minutes ago');
    expect(synced.getAttribute('title')).toMatch(
      /^\w{3} \d+ \w{3} \d{4}, \d\d:\d\d UTC$/,
    );
    expect(within(dev).getByTestId('running-version')).toHaveTextContent(
      '1.4.0',
    );
    expect(within(dev).getByTestId('destination')).toHaveTextContent(
      'acme-dev / payments',
    );

    const onprem = row('payments-onprem');
    expect(
      within(onprem).queryByRole('link', { name: /^Commit/ }),
    ).not.toBeInTheDocument();
    expect(within(onprem).getByTestId('revision')).toHaveTextContent(
      SHA_DEV.slice(0, 7),
    );
  });

  it('shows the deployed revision of an OutOfSync app, with the target next to it', async () => {
    serve(
      makeResponse([
        makeApp({
          sync: { status: 'OutOfSync', revision: SHA_DEV },
          deployedRevision: SHA_OLD,
        }),
        makeApp({
          name: 'payments-prod',
          environment: 'production',
          sync: { status: 'OutOfSync', revision: SHA_PROD },
          deployedRevision: SHA_PROD,
        }),
      ]),
    );
    await renderCard();
    const dev = await findRow('payments-dev');
    expect(within(dev).getByTestId('revision')).toHaveTextContent(
      SHA_OLD.slice(0, 7),
    );
    expect(
      within(dev).getByRole('link', {
        name: new RegExp(`^Commit ${SHA_OLD.slice(0, 7)}`),
      }),
    ).toHaveAttribute(
      'href',
      `https://github.com/acme/payments-deploy/commit/${SHA_OLD}`,
    );
    expect(within(dev).getByTestId('target-revision')).toHaveTextContent(
      `(target ${SHA_DEV.slice(0, 7)}`,
    );
    // OutOfSync by drift only: the target is what runs, so no separate target.
    const prod = row('payments-prod');
    expect(within(prod).getByTestId('revision')).toHaveTextContent(
      SHA_PROD.slice(0, 7),
    );
    expect(
      within(prod).queryByTestId('target-revision'),
    ).not.toBeInTheDocument();
  });

  it('shows every source of a multi-source app with its chart version and values commit, and the OutOfSync targets', async () => {
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
    serve(
      makeResponse([
        makeApp({
          sync: { status: 'Synced', revisions: ['2.4.1', SHA_DEV] },
          deployedRevision: '2.4.1',
          source: chart,
          sources: [
            { ...chart, deployedRevision: '2.4.1', syncRevision: '2.4.1' },
            { ...values, deployedRevision: SHA_DEV, syncRevision: SHA_DEV },
          ],
        }),
        makeApp({
          name: 'payments-prod',
          environment: 'production',
          sync: { status: 'OutOfSync', revisions: ['2.4.2', SHA_PROD] },
          deployedRevision: '2.4.0',
          source: chart,
          sources: [
            { ...chart, deployedRevision: '2.4.0', syncRevision: '2.4.2' },
            { ...values, deployedRevision: SHA_OLD, syncRevision: SHA_PROD },
          ],
        }),
      ]),
    );
    await renderCard();
    const dev = await findRow('payments-dev');
    const devSources = within(dev).getAllByTestId('gitops-source');
    expect(devSources[0]).toHaveAccessibleName('chart payments 2.4.1');
    expect(devSources[0]).toHaveTextContent('chart payments 2.4.1');
    expect(devSources[1]).toHaveAccessibleName(
      `values acme/payments-deploy ${SHA_DEV}`,
    );
    expect(devSources[1]).toHaveTextContent(
      `values acme/payments-deploy ${SHA_DEV.slice(0, 7)}`,
    );
    expect(
      within(devSources[1]).getByRole('link', {
        name: new RegExp(`^Commit ${SHA_DEV.slice(0, 7)}`),
      }),
    ).toHaveAttribute(
      'href',
      `https://github.com/acme/payments-deploy/commit/${SHA_DEV}`,
    );
    expect(within(dev).queryByTestId('source-target')).not.toBeInTheDocument();

    const prod = row('payments-prod');
    const [prodChart, prodValues] =
      within(prod).getAllByTestId('gitops-source');
    expect(prodChart).toHaveAccessibleName(
      'chart payments 2.4.0, target 2.4.2',
    );
    expect(within(prodChart).getByTestId('source-version')).toHaveTextContent(
      '2.4.0',
    );
    expect(
      within(prodChart).getByTestId('source-target-version'),
    ).toHaveTextContent('2.4.2');
    expect(prodValues).toHaveAccessibleName(
      `values acme/payments-deploy ${SHA_OLD}, target ${SHA_PROD}`,
    );
    expect(
      within(prodValues).getByRole('link', {
        name: new RegExp(`^Target commit ${SHA_PROD.slice(0, 7)}`),
      }),
    ).toHaveAttribute(
      'href',
      `https://github.com/acme/payments-deploy/commit/${SHA_PROD}`,
    );
  });

  it('shows the chart version of a Helm chart app, not a commit', async () => {
    const chart = {
      repoURL: 'https://charts.example.com/stable',
      chart: 'redis',
      targetRevision: '19.6.x',
    };
    serve(
      makeResponse([
        makeApp({
          sync: { status: 'Synced', revision: '19.6.2' },
          deployedRevision: '19.6.2',
          source: chart,
          sources: [
            { ...chart, deployedRevision: '19.6.2', syncRevision: '19.6.2' },
          ],
        }),
      ]),
    );
    await renderCard();
    const dev = await findRow('payments-dev');
    expect(within(dev).getByTestId('gitops-source')).toHaveTextContent(
      'chart redis 19.6.2',
    );
    expect(
      within(dev).queryByRole('link', { name: /^Commit/ }),
    ).not.toBeInTheDocument();
  });

  it('links to the GitOps tab of the entity', async () => {
    serve(makeResponse([makeApp()]));
    await renderCard();
    await findRow('payments-dev');
    expect(
      screen.getByRole('link', { name: /View GitOps details/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments/gitops');
  });

  const syncs: SyncStatusValue[] = ['Synced', 'OutOfSync'];
  const healths: HealthStatusValue[] = [
    'Healthy',
    'Progressing',
    'Degraded',
    'Missing',
    'Unknown',
  ];
  const expectedRollup: Record<string, string> = {
    'Synced/Healthy': 'Healthy',
    'Synced/Progressing': 'Progressing',
    'Synced/Degraded': 'Degraded',
    // gitops-engine's health order: Missing ranks below Degraded, Unknown above it.
    'Synced/Missing': 'Missing',
    'Synced/Unknown': 'Unknown',
    'OutOfSync/Healthy': 'Out of sync',
    'OutOfSync/Progressing': 'Out of sync',
    'OutOfSync/Degraded': 'Degraded',
    'OutOfSync/Missing': 'Missing',
    'OutOfSync/Unknown': 'Unknown',
  };
  it.each(syncs.flatMap(s => healths.map(h => [s, h] as const)))(
    'shows %s / %s and rolls it up',
    async (sync, health) => {
      serve(
        makeResponse([
          makeApp({
            sync: { status: sync, revision: SHA_DEV },
            health: { status: health },
          }),
        ]),
      );
      await renderCard();
      const dev = await findRow('payments-dev');
      expect(within(dev).getByTestId('sync-status')).toHaveTextContent(
        `Sync: ${sync}`,
      );
      expect(within(dev).getByTestId('health-status')).toHaveTextContent(
        `Health: ${health}`,
      );
      expect(screen.getByTestId('rollup-status')).toHaveTextContent(
        `Overall: ${expectedRollup[`${sync}/${health}`]}`,
      );
    },
  );

  it.each<[OperationPhaseValue, string, string]>([
    [
      'Running',
      'Sync running: waiting for healthy state of apps/Deployment/payments',
      'Progressing',
    ],
    [
      'Failed',
      'Last sync failed: one or more objects failed to apply',
      'Sync failed',
    ],
  ])('shows an operation %s', async (phase, text, rollup) => {
    const message =
      phase === 'Running'
        ? 'waiting for healthy state of apps/Deployment/payments'
        : 'one or more objects failed to apply';
    serve(makeResponse([makeApp({ operation: { phase, message } })]));
    await renderCard();
    const dev = await findRow('payments-dev');
    expect(within(dev).getByTestId('operation')).toHaveTextContent(text);
    expect(screen.getByTestId('rollup-status')).toHaveTextContent(
      `Overall: ${rollup}`,
    );
  });

  it('says never deployed for an app that never synced, and does not call the entity Degraded', async () => {
    serve(
      makeResponse([
        makeApp(),
        makeApp({
          name: 'payments-prod',
          environment: 'production',
          // What Argo CD reports before the first sync: no history, Missing, OutOfSync.
          sync: { status: 'OutOfSync', revision: SHA_PROD },
          health: { status: 'Missing' },
          lastSyncedAt: undefined,
          deployedRevision: undefined,
          images: [],
        }),
      ]),
    );
    await renderCard();
    const prod = await findRow('payments-prod');
    expect(within(prod).getByTestId('never-deployed')).toHaveTextContent(
      'never deployed',
    );
    expect(within(prod).getByTestId('last-synced')).toHaveTextContent('never');
    const dev = row('payments-dev');
    expect(within(dev).queryByTestId('never-deployed')).toBeNull();
    expect(screen.getByTestId('rollup-status')).toHaveTextContent(
      'Overall: Missing (1 of 2)',
    );
  });

  it('says the deployed revision is loading, not never deployed, while the history is pending', async () => {
    // Right after the portal's start: listed, OutOfSync, history not re-sent by Argo CD yet.
    serve(
      makeResponse([
        makeApp({
          sync: { status: 'OutOfSync', revision: SHA_PROD },
          lastSyncedAt: undefined,
          deployedRevision: undefined,
          historyPending: true,
        }),
      ]),
    );
    await renderCard();
    const dev = await findRow('payments-dev');
    expect(within(dev).getByTestId('history-pending')).toHaveTextContent(
      'deployed revision loading…',
    );
    expect(within(dev).queryByTestId('never-deployed')).toBeNull();
    expect(within(dev).getByTestId('last-synced')).toHaveTextContent('…');
    expect(within(dev).getByTestId('last-synced')).not.toHaveTextContent(
      'never',
    );
  });

  it('does not hide a Synced-but-Degraded app behind healthy siblings', async () => {
    serve(
      makeResponse([
        makeApp(),
        makeApp({
          name: 'payments-prod',
          environment: 'production',
          health: { status: 'Degraded' },
        }),
      ]),
    );
    await renderCard();
    expect(await screen.findByTestId('rollup-status')).toHaveTextContent(
      'Overall: Degraded (1 of 2)',
    );
  });

  it('marks apps OutOfSync for longer than 15 minutes', async () => {
    serve(
      makeResponse([
        makeApp({
          sync: { status: 'OutOfSync', revision: SHA_DEV },
          outOfSyncSince: new Date(Date.now() - 42 * 60_000).toISOString(),
        }),
        makeApp({
          name: 'payments-stg',
          environment: 'staging',
          sync: { status: 'OutOfSync', revision: SHA_DEV },
          outOfSyncSince: new Date(Date.now() - 2 * 60_000).toISOString(),
        }),
      ]),
    );
    await renderCard();
    const dev = await findRow('payments-dev');
    expect(within(dev).getByTestId('long-out-of-sync-mark')).toHaveTextContent(
      'OutOfSync since 42 minutes ago',
    );
    expect(
      within(row('payments-stg')).queryByTestId('long-out-of-sync-mark'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('rollup-drift')).toHaveTextContent(
      '1 application has been OutOfSync for more than 15 minutes',
    );
  });

  it('marks stale data with its age', async () => {
    serve(makeResponse([makeApp({ stale: true, ageMs: 3 * 60_000 })]));
    await renderCard();
    const dev = await findRow('payments-dev');
    expect(within(dev).getByTestId('stale-mark')).toHaveTextContent(
      'Stale data, 3 minutes old',
    );
  });

  it('shows the apps that answered and names the unreachable instance and since when', async () => {
    const since = new Date(Date.now() - 3 * 60_000).toISOString();
    serve(
      makeResponse(
        [makeApp()],
        [
          {
            instance: 'edge',
            message:
              'Its applications show their last known state; sync and health may have changed since.',
            since,
          },
        ],
      ),
    );
    await renderCard();
    expect(await findRow('payments-dev')).toBeInTheDocument();
    const warning = screen.getByTestId('instance-error');
    expect(warning).toHaveTextContent(
      /Argo CD instance edge is unreachable since \w{3} \d+ \w{3} \d{4}, \d\d:\d\d UTC \(3 minutes ago\)/,
    );
    expect(warning).toHaveTextContent('show their last known state');
  });

  it('says which tenant the applications belong to when the user is not a member', async () => {
    serve({
      items: [],
      errors: [],
      withheld: { reason: 'not-a-member', tenant: 'acme' },
    });
    await renderCard();
    expect(
      await screen.findByText('Applications of tenant acme'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "payments's Argo CD applications belong to tenant acme, which you are not a member of. Ask that tenant's team for access to see them.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('No Argo CD applications')).toBeNull();
    expect(screen.queryByTestId('rollup-status')).toBeNull();
  });

  it('says an entity without a tenant shows its applications to the platform team only', async () => {
    serve({ items: [], errors: [], withheld: { reason: 'no-tenant' } });
    await renderCard();
    expect(await screen.findByText('No tenant')).toBeInTheDocument();
  });

  it('links a commit on a GitHub Enterprise host the app integrates with', async () => {
    serve(
      makeResponse([
        makeApp({
          source: { repoURL: 'https://ghe.acme.example/acme/deploy.git' },
        }),
      ]),
    );
    await renderCard(makeEntity(), {
      integrations: {
        github: [
          {
            host: 'ghe.acme.example',
            apiBaseUrl: 'https://ghe.acme.example/api/v3',
          },
        ],
      },
    });
    const dev = await findRow('payments-dev');
    expect(
      within(dev).getByRole('link', {
        name: new RegExp(`^Commit ${SHA_DEV.slice(0, 7)}`),
      }),
    ).toHaveAttribute(
      'href',
      `https://ghe.acme.example/acme/deploy/commit/${SHA_DEV}`,
    );
  });

  it('names the annotations to add when the entity has none', async () => {
    const calls = serve(makeResponse([]));
    await renderCard(makeEntity({}));
    expect(await screen.findByText(/argocd\/app-selector/)).toBeInTheDocument();
    expect(screen.getAllByText(/argocd\/app-name/).length).toBeGreaterThan(0);
    expect(calls).toHaveLength(0);
    // Without annotations the entity has no GitOps tab to link to.
    expect(
      screen.queryByRole('link', { name: /View GitOps details/ }),
    ).not.toBeInTheDocument();
  });

  it('says so when no application matches', async () => {
    serve(makeResponse([]));
    await renderCard();
    expect(
      await screen.findByText('No Argo CD applications'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    server.use(
      http.get(ENTITY_APPS_URL, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'Argo CD exploded' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      ),
    );
    await renderCard();
    // The error panel shows the message and again inside its collapsible response body.
    expect(
      (await screen.findAllByText(/Argo CD exploded/))[0],
    ).toBeInTheDocument();
  });

  describe('with an event stream', () => {
    const EVENTS_URL = 'http://localhost:7007/api/gitops/events';
    const QUARANTINES_URL = ENTITY_APPS_URL.replace(
      /applications$/,
      'quarantines',
    );
    /** An open stream that sends `frames` and stays open, as the backend keeps it. */
    const openStream = (...frames: string[]) =>
      new HttpResponse(
        new ReadableStream({
          start(controller) {
            for (const frame of frames)
              controller.enqueue(new TextEncoder().encode(frame));
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    const applications = (body: EntityApplicationsResponse) =>
      `event: applications\ndata: ${JSON.stringify({
        entityRef: 'component:default/payments',
        ...body,
      })}\n\n`;
    /** The requests the card sends besides its stream. */
    function serveStream(
      frames: string[],
      list: () => Response = () =>
        HttpResponse.json({ error: { name: 'Error' } }, { status: 500 }),
    ) {
      const sent: string[] = [];
      server.use(
        http.get(EVENTS_URL, () => openStream(...frames)),
        http.get(ENTITY_APPS_URL, () => {
          sent.push('list');
          return list();
        }),
        http.get(QUARANTINES_URL, () => {
          sent.push('quarantines');
          return HttpResponse.json({
            items: [
              {
                id: 'q1',
                tenant: 'acme',
                entityRef: 'component:default/payments',
                version: '2.0.0-broken',
                reason: 'crashes on start',
                createdBy: 'user:default/alice',
                createdAt: '2026-12-04T15:00:00Z',
                active: true,
                runningIn: [
                  {
                    instance: 'main',
                    appNamespace: 'argocd',
                    name: 'payments-dev',
                    environment: 'dev',
                  },
                ],
              },
            ],
          });
        }),
      );
      return sent;
    }
    const settle = () =>
      act(() => new Promise(resolve => setTimeout(resolve, 300)));

    it("shows the stream's first state and sends nothing else when no quarantine runs", async () => {
      const sent = serveStream([
        applications({ ...makeResponse([makeApp()]), runningQuarantines: 0 }),
      ]);
      await renderCard();
      await findRow('payments-dev');
      await settle();
      expect(sent).toEqual([]);
      expect(screen.queryByTestId('quarantine-banner')).toBeNull();
    });

    it('asks for the quarantines when the stream says one runs', async () => {
      const sent = serveStream([
        applications({ ...makeResponse([makeApp()]), runningQuarantines: 1 }),
      ]);
      await renderCard();
      expect(await screen.findByTestId('quarantine-banner')).toHaveTextContent(
        'Quarantined 2.0.0-broken still runs in dev',
      );
      expect(sent).toEqual(['quarantines']);
    });

    it('reads the list when the stream errors before its first state', async () => {
      const sent = serveStream(
        ['event: error\ndata: {"message":"catalog down"}\n\n'],
        () => HttpResponse.json(makeResponse([makeApp()])),
      );
      await renderCard();
      await findRow('payments-dev');
      await settle();
      // The list's answer does not say how many quarantines run: the banner asks.
      expect(sent).toEqual(['list', 'quarantines']);
    });

    it('shows the error when the stream errors before its first state and the list fails', async () => {
      serveStream(['event: error\ndata: {"message":"catalog down"}\n\n'], () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'Argo CD exploded' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      );
      await renderCard();
      expect(
        (await screen.findAllByText(/Argo CD exploded/))[0],
      ).toBeInTheDocument();
    });
  });

  it('passes an automated accessibility check', async () => {
    serve(
      makeResponse(
        [
          makeApp({ operation: { phase: 'Running', message: 'syncing' } }),
          makeApp({
            name: 'payments-prod',
            environment: 'production',
            stale: true,
            ageMs: 120_000,
          }),
        ] as ApplicationSummary[],
        [{ instance: 'edge', message: 'timeout' }],
      ),
    );
    const { container } = await renderCard();
    await findRow('payments-dev');
    expect(await accessibilityViolations(container)).toEqual([]);
  });
});
