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
  PromotionPreview,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import {
  BASE_URL,
  ENTITY_APPS_URL,
  ENTITY_REF,
  SHA_DEV,
  SHA_OLD,
  makeApp,
  makeDetail,
  makeEntity,
  makeResponse,
  quietTabHandlers,
} from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';

const server = setupServer(...quietTabHandlers());
registerMswTestHooks(server);

const IMAGE = 'ghcr.io/acme/payments';
const SHA_NEXT = 'c0ffee0000000000000000000000000000000001';

const ref = (app: ApplicationSummary) => ({
  instance: app.instance,
  appNamespace: app.appNamespace,
  name: app.name,
});

const version = (tag: string, revision: string) => ({
  layout: 'kustomize' as const,
  revision,
  images: [{ name: IMAGE, tag }],
  label: tag,
  files: ['kustomization.yaml'],
});

// Every test gets apps of its own names: usePermission caches its answers per app.
function line(prefix: string, devTag = '1.4.0', stagingTag = '1.3.0') {
  const dev = makeApp({
    name: `${prefix}-dev`,
    images: [`${IMAGE}:${devTag}`],
    deployedRevision: SHA_DEV,
  });
  const staging = makeApp({
    name: `${prefix}-staging`,
    environment: 'staging',
    destination: { cluster: 'acme-staging', namespace: 'payments' },
    sync: { status: 'Synced', revision: SHA_OLD },
    deployedRevision: SHA_OLD,
    images: [`${IMAGE}:${stagingTag}`],
  });
  return { dev, staging };
}

/** What the backend's preview says for dev → staging, given what each runs. */
function devPreview(
  dev: ApplicationSummary,
  staging: ApplicationSummary,
): PromotionPreview {
  const tag = (app: ApplicationSummary) => app.images[0].split(':')[1];
  const from = tag(staging);
  const to = tag(dev);
  const moves = from !== to;
  return {
    application: ref(dev),
    environment: 'dev',
    version: version(to, dev.deployedRevision!),
    next: {
      application: ref(staging),
      environment: 'staging',
      version: version(from, staging.deployedRevision!),
      syncPolicy: 'auto',
    },
    commits: [],
    changes: moves ? [{ name: IMAGE, from, to }] : [],
    files: moves ? ['envs/staging/kustomization.yaml'] : [],
    diff: moves ? `-    newTag: "${from}"\n+    newTag: "${to}"\n` : '',
    promotable: moves,
    ...(moves ? {} : { reason: `${staging.name} is already at ${to}` }),
    requiresApproval: false,
    downgrades: [],
  };
}

function lastPreview(app: ApplicationSummary): PromotionPreview {
  return {
    application: ref(app),
    environment: app.environment!,
    version: version(app.images[0].split(':')[1], app.deployedRevision!),
    commits: [],
    changes: [],
    files: [],
    diff: '',
    promotable: false,
    reason: `No application of this service in an environment after ${app.environment}`,
    requiresApproval: false,
    downgrades: [],
  };
}

let stream: ((event: ApplicationsEvent) => void) | undefined;

/**
 * A backend for one dev → staging line whose previews answer from `current()`, the apps as
 * the backend sees them; `hold` keeps preview answers back until released.
 */
function serve(
  initial: ApplicationSummary[],
  options: {
    current?: () => ApplicationSummary[];
    hold?: () => Promise<void>;
    missing?: string;
  } = {},
) {
  const current = options.current ?? (() => initial);
  stream = undefined;
  server.use(
    http.get(ENTITY_APPS_URL, () => HttpResponse.json(makeResponse(initial))),
    http.get(`${BASE_URL}/instances/main/applications/:name`, ({ params }) => {
      const app = current().find(a => a.name === params.name);
      if (!app || params.name === options.missing)
        return HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: `Application ${params.name} not found`,
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        );
      return HttpResponse.json(makeDetail(app));
    }),
    http.get(`${BASE_URL}/instances/main/applications/:name/rollouts`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(
      `${BASE_URL}/instances/main/applications/:name/promotion`,
      async ({ params }) => {
        await options.hold?.();
        const apps = current();
        const [dev, staging] = [
          apps.find(a => a.environment === 'dev')!,
          apps.find(a => a.environment === 'staging')!,
        ];
        return HttpResponse.json(
          params.name === dev.name
            ? devPreview(dev, staging)
            : lastPreview(staging),
        );
      },
    ),
    http.get(`${BASE_URL}/events`, () => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          stream = event =>
            controller.enqueue(
              encoder.encode(
                `event: applications\ndata: ${JSON.stringify(event)}\n\n`,
              ),
            );
          // As the backend does: the list's answer first.
          stream({ entityRef: ENTITY_REF, ...makeResponse(initial) });
        },
      });
      return new HttpResponse(body, {
        headers: { 'Content-Type': 'text/event-stream' },
      });
    }),
  );
}

async function renderTab(route = '/') {
  const client = new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  return renderInTestApp(
    <EntityProvider entity={makeEntity()}>
      <EntityGitOpsContent />
    </EntityProvider>,
    {
      initialRouteEntries: [route],
      apis: [
        [gitOpsApiRef, client],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    },
  );
}

const overview = () => screen.findByRole('table', { name: 'Environments' });
const row = async (label: string) =>
  within(await overview()).getByRole('row', { name: label });

describe('the GitOps tab overview', () => {
  it('shows each environment in promotion order at a glance, with every panel collapsed', async () => {
    const { dev, staging } = line('glance');
    serve([staging, dev]);
    const { container } = await renderTab();
    const rows = within(await overview()).getAllByTestId('overview-row');
    expect(rows.map(r => r.getAttribute('aria-label'))).toEqual([
      'dev: glance-dev',
      'staging: glance-staging',
    ]);
    const stagingRow = await row('staging: glance-staging');
    expect(within(stagingRow).getByTestId('sync-status')).toHaveTextContent(
      'Synced',
    );
    expect(within(stagingRow).getByTestId('health-status')).toHaveTextContent(
      'Healthy',
    );
    expect(within(stagingRow).getByTestId('overview-runs')).toHaveTextContent(
      '1.3.0',
    );
    // the last deploy: who wrote the change, and when it was deployed
    await waitFor(() =>
      expect(
        within(stagingRow).getByTestId('overview-last-deploy'),
      ).toHaveTextContent(/^Ada Lovelace, .+ ago$/),
    );
    // behind dev by what each runs, and dev's version waits for a promotion
    await waitFor(() =>
      expect(
        within(stagingRow).getByTestId('pipeline-comparison'),
      ).toHaveTextContent('Behind dev: payments 1.3.0 (dev 1.4.0)'),
    );
    expect(
      within(stagingRow).getByTestId('overview-waiting'),
    ).toHaveTextContent('1.4.0 from dev: deploys when promoted');
    expect(
      within(await row('dev: glance-dev')).getByTestId('pipeline-comparison'),
    ).toHaveTextContent('First environment');

    // Collapsed: names, chips and nothing else until opened.
    expect(
      screen.queryByRole('table', { name: /^Deployment history/ }),
    ).not.toBeInTheDocument();
    expect(screen.queryByTestId('promotion-card')).not.toBeInTheDocument();
    expect(await accessibilityViolations(container)).toEqual([]);

    // One click on the name opens the app's detail, promotion included.
    const open = within(await row('dev: glance-dev')).getByRole('button', {
      name: 'glance-dev',
    });
    expect(open).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(open);
    expect(open).toHaveAttribute('aria-expanded', 'true');
    const panel = screen.getByRole('region', { name: 'glance-dev' });
    expect(
      await within(panel).findByRole('table', {
        name: 'Deployment history of glance-dev',
      }),
    ).toBeInTheDocument();
    // the comparison and the promotion panel read the same preview
    expect(
      await within(panel).findByRole('button', {
        name: 'Promote dev to staging',
      }),
    ).toBeEnabled();
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it('says the same, and offers no promotion, when both environments run one version', async () => {
    const { dev, staging } = line('same', '1.4.0', '1.4.0');
    serve([dev, staging]);
    await renderTab();
    const stagingRow = await row('staging: same-staging');
    await waitFor(() =>
      expect(
        within(stagingRow).getByTestId('pipeline-comparison'),
      ).toHaveTextContent('Runs what dev runs'),
    );
    expect(
      within(stagingRow).getByTestId('overview-waiting'),
    ).toHaveTextContent('Nothing');
    await userEvent.click(
      within(stagingRow).getByRole('button', { name: 'same-staging' }),
    );
    await userEvent.click(
      within(await row('dev: same-dev')).getByRole('button', {
        name: 'same-dev',
      }),
    );
    const card = await within(
      screen.getByRole('region', { name: 'same-dev' }),
    ).findByTestId('promotion-reason');
    expect(card).toHaveTextContent('same-staging is already at 1.4.0');
    expect(
      screen.queryByRole('button', { name: /^Promote / }),
    ).not.toBeInTheDocument();
  });

  it('opens the application that ?application= names and scrolls it into view', async () => {
    const scrolled: string[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function scrollIntoView(this: Element) {
      scrolled.push(this.id);
    };
    try {
      const { dev, staging } = line('linked');
      serve([dev, staging]);
      await renderTab(
        `/?application=${encodeURIComponent('main:argocd/linked-staging')}`,
      );
      const panel = await screen.findByRole('region', {
        name: 'linked-staging',
      });
      expect(
        await within(panel).findByRole('table', {
          name: 'Deployment history of linked-staging',
        }),
      ).toBeInTheDocument();
      expect(
        within(await row('dev: linked-dev')).getByRole('button', {
          name: 'linked-dev',
        }),
      ).toHaveAttribute('aria-expanded', 'false');
      await waitFor(() => expect(scrolled).toContain(panel.id));
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });

  it('marks the promotion out of date and disables Promote until the preview follows the live state', async () => {
    const { dev, staging } = line('stale');
    let apps = [dev, staging];
    const held: Array<() => void> = [];
    let holding = false;
    serve(apps, {
      current: () => apps,
      hold: () =>
        holding
          ? new Promise(resolve => {
              held.push(resolve);
            })
          : Promise.resolve(),
    });
    await renderTab();
    await userEvent.click(
      within(await row('dev: stale-dev')).getByRole('button', {
        name: 'stale-dev',
      }),
    );
    const panel = screen.getByRole('region', { name: 'stale-dev' });
    const promote = await within(panel).findByRole('button', {
      name: 'Promote dev to staging',
    });
    expect(promote).toBeEnabled();
    expect(within(panel).getByTestId('deployed-version')).toHaveTextContent(
      'Deployed version: 1.4.0',
    );

    // dev deploys 1.5.0: the event arrives before the backend's new preview does
    holding = true;
    apps = [
      {
        ...dev,
        images: [`${IMAGE}:1.5.0`],
        deployedRevision: SHA_NEXT,
        sync: { status: 'Synced', revision: SHA_NEXT },
      },
      staging,
    ];
    await waitFor(() => expect(stream).toBeDefined());
    act(() =>
      stream!({
        entityRef: 'component:default/payments',
        items: apps,
        errors: [],
      }),
    );
    expect(
      await within(panel).findByTestId('promotion-stale'),
    ).toHaveTextContent('Out of date');
    expect(
      within(panel).getByRole('button', { name: 'Promote dev to staging' }),
    ).toBeDisabled();
    // the overview does not claim a comparison it has not read yet
    expect(
      within(await row('staging: stale-staging')).getByTestId(
        'pipeline-comparison',
      ),
    ).toHaveTextContent('Comparing…');

    holding = false;
    act(() => held.forEach(release => release()));
    await waitFor(() =>
      expect(within(panel).getByTestId('deployed-version')).toHaveTextContent(
        'Deployed version: 1.5.0',
      ),
    );
    expect(
      within(panel).queryByTestId('promotion-stale'),
    ).not.toBeInTheDocument();
    expect(
      within(panel).getByRole('button', { name: 'Promote dev to staging' }),
    ).toBeEnabled();
    expect(
      within(await row('staging: stale-staging')).getByTestId(
        'pipeline-comparison',
      ),
    ).toHaveTextContent('Behind dev: payments 1.3.0 (dev 1.5.0)');
  });

  it('shows the chart version a multi-source app runs beside its images', async () => {
    const { dev, staging } = line('chart');
    const charted = {
      ...dev,
      sources: [
        {
          repoURL: 'http://charts.acme.example',
          chart: 'worker',
          targetRevision: '0.2.0',
          deployedRevision: '0.2.0',
        },
        {
          repoURL: 'https://github.com/acme/gitops.git',
          ref: 'values',
          deployedRevision: SHA_DEV,
        },
      ],
    };
    serve([charted, staging]);
    await renderTab();
    expect(
      within(await row('dev: chart-dev')).getByTestId('overview-runs'),
    ).toHaveTextContent('1.4.0, chart worker 0.2.0');
  });

  it('says what is missing when Argo CD no longer has an app, and offers no action on it', async () => {
    const { dev, staging } = line('gone');
    serve([dev, staging], { missing: 'gone-staging' });
    await renderTab();
    await userEvent.click(
      within(await row('staging: gone-staging')).getByRole('button', {
        name: 'gone-staging',
      }),
    );
    const panel = screen.getByRole('region', { name: 'gone-staging' });
    expect(
      await within(panel).findByText(
        /gone-staging is not in Argo CD instance main$/,
      ),
    ).toBeInTheDocument();
    expect(panel).toHaveTextContent('Application gone-staging not found');
    for (const action of ['Sync', 'Refresh', 'Hard refresh'])
      expect(
        within(panel).queryByRole('button', { name: action }),
      ).not.toBeInTheDocument();
  });
});
