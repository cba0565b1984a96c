import { screen, waitFor, within } from '@testing-library/react';
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
  ApplicationHistoryEntry,
  ApplicationSummary,
  PromotionPreview,
  RevertPlan,
  RevertRequest,
  RevertResponse,
  RolloutRecord,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import {
  BASE_URL,
  ENTITY_APPS_URL,
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

const APPS = `${BASE_URL}/instances/main/applications`;
const SHA_NEW = 'c0ffee0000000000000000000000000000000001';

const PROMOTION_DIFF = [
  'diff --git a/envs/staging/kustomization.yaml b/envs/staging/kustomization.yaml',
  '--- a/envs/staging/kustomization.yaml',
  '+++ b/envs/staging/kustomization.yaml',
  '@@ -4,3 +4,3 @@',
  ' images:',
  '   - name: ghcr.io/acme/payments',
  '-    newTag: 1.3.0',
  '+    newTag: 1.4.0',
  '',
].join('\n');

const ref = (app: ApplicationSummary) => ({
  instance: app.instance,
  appNamespace: app.appNamespace,
  name: app.name,
});

function version(label: string, revision?: string) {
  return {
    layout: 'kustomize' as const,
    revision,
    images: [{ name: 'ghcr.io/acme/payments', tag: label }],
    label,
    files: ['envs/x/kustomization.yaml'],
  };
}

/** The live summary runs what a preview read from Git, as on a settled backend. */
function runsAsPreviewed(
  app: ApplicationSummary,
  previewed: { images: Array<{ name: string; tag: string }> },
) {
  app.images = previewed.images.map(i => `${i.name}:${i.tag}`);
}

/** The dev → staging preview of a backend that found one commit and one tag to move. */
function devPreview(
  dev: ApplicationSummary,
  staging: ApplicationSummary,
  overrides: Partial<PromotionPreview> = {},
): PromotionPreview {
  return {
    application: ref(dev),
    environment: 'dev',
    version: version('1.4.0', SHA_DEV),
    next: {
      application: ref(staging),
      environment: 'staging',
      version: version('1.3.0', SHA_OLD),
      syncPolicy: staging.syncPolicy,
    },
    commits: [
      {
        sha: SHA_DEV,
        authorName: 'Ada Lovelace',
        authorEmail: 'ada@example.com',
        date: '2026-01-10T09:00:00Z',
        message: 'Bump payments to 1.4.0',
        files: ['envs/dev/kustomization.yaml'],
      },
    ],
    changes: [{ name: 'ghcr.io/acme/payments', from: '1.3.0', to: '1.4.0' }],
    files: ['envs/staging/kustomization.yaml'],
    diff: PROMOTION_DIFF,
    promotable: true,
    requiresApproval: false,
    ...overrides,
  };
}

/** The last environment: its version, nothing after it. */
function lastPreview(app: ApplicationSummary): PromotionPreview {
  return {
    application: ref(app),
    environment: app.environment!,
    version: version('1.3.0', SHA_OLD),
    commits: [],
    changes: [],
    files: [],
    diff: '',
    promotable: false,
    requiresApproval: false,
    reason: `No application of this service in an environment after ${app.environment}`,
  };
}

interface Calls {
  promotes: string[];
  /** The bodies of the promote requests, in order. */
  promoteBodies: unknown[];
  reverts: Array<{ name: string; body: RevertRequest }>;
  revertPlans: string[];
  rollbacks: Array<{ name: string; body: unknown }>;
}

/**
 * A backend with the given apps, each deployed at its `sync.revision` with one earlier
 * deployment at SHA_OLD in its history; previews and answers can be overridden per test.
 */
function serve(
  apps: ApplicationSummary[],
  options: {
    previews: Record<string, PromotionPreview>;
    promote?: () => Response;
    revertPlan?: RevertPlan;
    revert?: (body: RevertRequest) => RevertResponse;
    /** Replaces the default two-deployment history. */
    history?: (app: ApplicationSummary) => ApplicationHistoryEntry[];
    rollouts?: RolloutRecord[];
  },
): Calls {
  const calls: Calls = {
    promotes: [],
    promoteBodies: [],
    reverts: [],
    revertPlans: [],
    rollbacks: [],
  };
  const detail = (app: ApplicationSummary) =>
    makeDetail(app, {
      history: options.history?.(app) ?? [
        {
          id: 1,
          revision: SHA_OLD,
          deployStartedAt: '2026-01-09T10:00:00Z',
          deployedAt: '2026-01-09T10:01:00Z',
          author: 'Grace Hopper',
          message: 'Payments 1.3.0',
          initiatedBy: { automated: true },
        },
        {
          id: 2,
          revision: app.sync.revision,
          deployStartedAt: '2026-01-10T10:00:00Z',
          deployedAt: '2026-01-10T10:01:30Z',
          author: 'Ada Lovelace',
          message: 'Bump payments to 1.4.0',
          initiatedBy: { automated: true },
        },
      ],
    });
  const notFound = () =>
    HttpResponse.json(
      { error: { name: 'NotFoundError', message: 'no' } },
      { status: 404 },
    );
  server.use(
    http.get(ENTITY_APPS_URL, () => HttpResponse.json(makeResponse(apps))),
    // No event stream: the client falls back to (slow) polling, which these tests never reach.
    http.get(
      `${BASE_URL}/events`,
      () => new HttpResponse(null, { status: 503 }),
    ),
    http.get(`${APPS}/:name`, ({ params }) => {
      const app = apps.find(a => a.name === params.name);
      return app ? HttpResponse.json(detail(app)) : notFound();
    }),
    http.get(`${APPS}/:name/rollouts`, () =>
      HttpResponse.json({ items: options.rollouts ?? [] }),
    ),
    http.get(`${APPS}/:name/promotion`, ({ params }) => {
      const preview = options.previews[String(params.name)];
      return preview ? HttpResponse.json(preview) : notFound();
    }),
    http.post(`${APPS}/:name/promote`, async ({ params, request }) => {
      calls.promoteBodies.push(await request.json());
      calls.promotes.push(String(params.name));
      return options.promote
        ? options.promote()
        : HttpResponse.json({
            pullRequestUrl: 'http://localhost:7008/acme/acme-deploy/pull/7',
            branch: 'kupe/promote/payments-staging-abc',
            changedFiles: ['envs/staging/kustomization.yaml'],
            environment: 'staging',
            application: { ...ref(apps[1]) },
          });
    }),
    http.get(`${APPS}/:name/revert-plan`, ({ params, request }) => {
      const url = new URL(request.url);
      calls.revertPlans.push(
        `${params.name}@${url.searchParams.get('toRevision')}`,
      );
      return options.revertPlan
        ? HttpResponse.json(options.revertPlan)
        : notFound();
    }),
    http.post(`${APPS}/:name/revert`, async ({ params, request }) => {
      const body = (await request.json()) as RevertRequest;
      calls.reverts.push({ name: String(params.name), body });
      return HttpResponse.json(options.revert!(body));
    }),
    http.post(`${APPS}/:name/rollback`, async ({ params, request }) => {
      calls.rollbacks.push({
        name: String(params.name),
        body: await request.json(),
      });
      const app = apps.find(a => a.name === params.name)!;
      return HttpResponse.json({ summary: app });
    }),
  );
  return calls;
}

async function renderTab(allow: (permission: string) => boolean = () => true) {
  const client = new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  return renderInTestApp(
    <EntityProvider entity={makeEntity()}>
      <EntityGitOpsContent />
    </EntityProvider>,
    {
      apis: [
        [gitOpsApiRef, client],
        mockApis.permission({
          authorize: request =>
            allow(request.permission.name)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }),
      ],
    },
  );
}

// usePermission caches answers per permission and resource across tests, so every test
// that depends on a permission answer uses apps of its own names.
function pipeline(prefix: string, stagingPolicy: 'auto' | 'manual' = 'auto') {
  const dev = makeApp({ name: `${prefix}-dev` });
  const staging = makeApp({
    name: `${prefix}-staging`,
    environment: 'staging',
    destination: { cluster: 'acme-staging', namespace: 'payments' },
    sync: { status: 'Synced', revision: SHA_NEW },
    syncPolicy: stagingPolicy,
    images: ['ghcr.io/acme/payments:1.3.0'],
  });
  return { dev, staging };
}

/** Opens an app's panel from its row in the overview, as a person does (once). */
async function openApp(name: string) {
  const overview = await screen.findByRole('table', { name: 'Environments' });
  const button = within(overview).getByRole('button', { name });
  if (button.getAttribute('aria-expanded') !== 'true')
    await userEvent.click(button);
  return screen.findByRole('region', { name });
}

async function promotionCard(name: string) {
  const panel = await openApp(name);
  return within(panel).findByRole('region', {
    name: new RegExp(`\\(${name}\\)$`),
  });
}

describe('Promotion panel', () => {
  it('shows each environment’s version and what promoting dev to staging moves', async () => {
    const { dev, staging } = pipeline('show');
    serve([staging, dev], {
      previews: {
        [dev.name]: devPreview(dev, staging),
        [staging.name]: lastPreview(staging),
      },
    });
    await renderTab();
    // the overview lists promotion order, whatever order the backend lists the apps in
    const overview = await screen.findByRole('table', { name: 'Environments' });
    expect(
      within(overview)
        .getAllByTestId('overview-row')
        .map(row => row.getAttribute('aria-label')),
    ).toEqual(['dev: show-dev', 'staging: show-staging']);
    await openApp('show-dev');
    await openApp('show-staging');
    const cards = await screen.findAllByTestId('promotion-card');
    expect(
      cards.map(c => within(c).getAllByRole('heading')[0].textContent),
    ).toEqual([
      'Promotion dev → staging (show-dev)',
      'Promotion staging (show-staging)',
    ]);
    const devCard = await promotionCard('show-dev');
    await waitFor(() =>
      expect(within(devCard).getByTestId('deployed-version')).toHaveTextContent(
        'Deployed version: 1.4.0',
      ),
    );
    expect(within(devCard).getByTestId('next-version')).toHaveTextContent(
      'staging (show-staging) runs 1.3.0',
    );
    expect(
      within(devCard).getByRole('list', {
        name: 'Version change of show-staging',
      }),
    ).toHaveTextContent('ghcr.io/acme/payments: 1.3.0 → 1.4.0');
    const commits = within(devCard).getByRole('list', {
      name: 'Commits a promotion of show-dev moves',
    });
    expect(commits).toHaveTextContent(SHA_DEV.slice(0, 7));
    expect(commits).toHaveTextContent('Bump payments to 1.4.0');
    expect(commits).toHaveTextContent('Ada Lovelace');
    const diff = within(devCard).getByRole('region', {
      name: 'Diff a promotion of show-dev writes',
    });
    const lines = [...diff.querySelectorAll('div')];
    const removed = lines.find(l => l.textContent === '-    newTag: 1.3.0')!;
    const added = lines.find(l => l.textContent === '+    newTag: 1.4.0')!;
    expect(removed.className).not.toBe(added.className);
    expect(removed.className).toBeTruthy();
    expect(
      within(devCard).getByRole('button', { name: 'Promote dev to staging' }),
    ).toBeEnabled();
    expect(devCard).toHaveTextContent(
      'Opens a pull request; merging it deploys.',
    );

    const stagingCard = await promotionCard('show-staging');
    await waitFor(() =>
      expect(
        within(stagingCard).getByTestId('deployed-version'),
      ).toHaveTextContent('Deployed version: 1.3.0'),
    );
    expect(
      within(stagingCard).getByTestId('promotion-reason'),
    ).toHaveTextContent(
      'No application of this service in an environment after staging',
    );
    expect(within(stagingCard).queryByRole('button')).not.toBeInTheDocument();
  });

  it('promotes after confirmation and links the pull request', async () => {
    const { dev, staging } = pipeline('promote');
    const calls = serve([dev, staging], {
      previews: {
        [dev.name]: devPreview(dev, staging),
        [staging.name]: lastPreview(staging),
      },
    });
    await renderTab();
    const card = await promotionCard('promote-dev');
    await userEvent.click(
      await within(card).findByRole('button', {
        name: 'Promote dev to staging',
      }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: 'Promote dev to staging?',
    });
    expect(confirm).toHaveTextContent(
      'A pull request sets promote-staging to 1.4.0 (now 1.3.0), changing envs/staging/kustomization.yaml.',
    );
    expect(calls.promotes).toEqual([]);
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Open pull request' }),
    );
    const outcome = await within(card).findByTestId('promote-outcome');
    expect(calls.promotes).toEqual(['promote-dev']);
    expect(calls.promoteBodies).toEqual([{}]);
    expect(outcome).toHaveAttribute('role', 'status');
    // findBy: the closing dialog keeps the page aria-hidden until its transition ends
    expect(
      await within(outcome).findByRole('link', {
        name: /^http:\/\/localhost:7008\/acme\/acme-deploy\/pull\/7\b/,
      }),
    ).toHaveAttribute('href', 'http://localhost:7008/acme/acme-deploy/pull/7');
  });

  /** dev → staging → production, and the preview of promoting staging into production. */
  function productionPromotion(prefix: string) {
    const { dev, staging } = pipeline(prefix);
    const prod = makeApp({
      name: `${prefix}-prod`,
      environment: 'production',
      destination: { cluster: 'acme-prod', namespace: 'payments' },
    });
    const preview = devPreview(staging, prod, {
      environment: 'staging',
      requiresApproval: true,
    });
    preview.next!.environment = 'production';
    return { dev, staging, prod, preview };
  }

  it('names a downgrade and opens it only after the named confirmation, with allowDowngrade', async () => {
    const { dev, staging, prod, preview } = productionPromotion('downgrade');
    preview.version = version('1.3.0', SHA_DEV);
    preview.next!.version = version('1.4.0', SHA_OLD);
    preview.changes = [
      { name: 'ghcr.io/acme/payments', from: '1.4.0', to: '1.3.0' },
    ];
    preview.downgrades = [
      {
        kind: 'image',
        name: 'ghcr.io/acme/payments',
        from: '1.4.0',
        to: '1.3.0',
        basis: 'semver',
      },
    ];
    const calls = serve([dev, staging, prod], {
      previews: { [staging.name]: preview },
    });
    await renderTab();
    const card = await promotionCard('downgrade-staging');
    expect(
      await within(card).findByTestId('promotion-downgrade'),
    ).toHaveTextContent(
      'This is a downgrade: production (downgrade-prod) would go back from what it runs now (ghcr.io/acme/payments 1.4.0 → 1.3.0).',
    );
    expect(
      within(card).queryByRole('button', {
        name: 'Promote staging to production',
      }),
    ).toBeNull();
    await userEvent.click(
      within(card).getByRole('button', {
        name: "Downgrade production to staging's version",
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: "Downgrade production to staging's version?",
    });
    const open = within(dialog).getByRole('button', {
      name: 'Open downgrade pull request',
    });
    expect(open).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: 'Downgrade production: ghcr.io/acme/payments 1.4.0 → 1.3.0',
      }),
    );
    expect(open).toBeEnabled();
    await userEvent.click(open);
    await within(card).findByTestId('promote-outcome');
    expect(calls.promoteBodies).toEqual([{ allowDowngrade: true }]);
  });

  it('says production promotions need approval', async () => {
    const { dev, staging, prod, preview } = productionPromotion('approval');
    preview.next!.version = version('1.2.0', SHA_OLD);
    runsAsPreviewed(staging, preview.version);
    runsAsPreviewed(prod, preview.next!.version);
    runsAsPreviewed(staging, preview.version);
    runsAsPreviewed(prod, preview.next!.version);
    serve([dev, staging, prod], {
      previews: { [staging.name]: preview },
    });
    await renderTab();
    const card = await promotionCard('approval-staging');
    const button = await within(card).findByRole('button', {
      name: 'Promote staging to production',
    });
    expect(card).toHaveTextContent(
      'Opens a pull request that needs approval before it is merged.',
    );
    // production's files say 1.3.0 already, but it still runs 1.2.0 (not synced)
    expect(
      within(card).getByRole('list', {
        name: 'Version change of approval-prod',
      }),
    ).toHaveTextContent(
      'ghcr.io/acme/payments: 1.3.0 → 1.4.0 (in Git; production still runs 1.2.0)',
    );
    await userEvent.click(button);
    expect(
      await screen.findByRole('dialog', {
        name: 'Promote staging to production?',
      }),
    ).toHaveTextContent(
      'production is production: the pull request needs approval before it can be merged.',
    );
  });

  it('warns that a frozen next environment deploys a merged promotion only after its freeze', async () => {
    const { dev, staging, prod, preview } = productionPromotion('frozen');
    preview.next!.syncWindows = {
      canSync: false,
      active: [
        {
          kind: 'deny',
          schedule: '0 22 * * 5',
          duration: '60h',
          manualSync: false,
          description: 'Weekend freeze',
          active: true,
        },
      ],
      assigned: [],
    };
    runsAsPreviewed(staging, preview.version);
    runsAsPreviewed(prod, preview.next!.version);
    serve([dev, staging, prod], {
      previews: { [staging.name]: preview },
    });
    await renderTab();
    const card = await promotionCard('frozen-staging');
    const button = await within(card).findByRole('button', {
      name: 'Promote staging to production',
    });
    // Promoting stays possible (it is a pull request); the freeze is said before and in the dialog.
    expect(button).toBeEnabled();
    expect(within(card).getByTestId('promotion-sync-window')).toHaveTextContent(
      'production cannot sync now. Sync blocked by a deny window: Weekend freeze',
    );
    expect(within(card).getByTestId('promotion-sync-window')).toHaveTextContent(
      'frozen-prod deploys it only once its sync windows allow a sync.',
    );
    await userEvent.click(button);
    expect(
      await screen.findByRole('dialog', {
        name: 'Promote staging to production?',
      }),
    ).toHaveTextContent('production cannot sync now.');
  });

  it('says nothing of sync windows when the next environment may sync', async () => {
    const { dev, staging } = pipeline('thawed');
    const preview = devPreview(dev, staging);
    preview.next!.syncWindows = { canSync: true, active: [], assigned: [] };
    serve([dev, staging], { previews: { [dev.name]: preview } });
    await renderTab();
    const card = await promotionCard('thawed-dev');
    await within(card).findByRole('button', { name: 'Promote dev to staging' });
    expect(within(card).queryByTestId('promotion-sync-window')).toBeNull();
  });

  it('shows the backend’s reason when there is nothing to promote', async () => {
    const { dev, staging } = pipeline('conflict');
    serve([dev, staging], {
      previews: {
        [dev.name]: devPreview(dev, staging),
        [staging.name]: lastPreview(staging),
      },
      promote: () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'conflict-staging is already at 1.4.0',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
    });
    await renderTab();
    const card = await promotionCard('conflict-dev');
    await userEvent.click(
      await within(card).findByRole('button', {
        name: 'Promote dev to staging',
      }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Open pull request',
      }),
    );
    expect(await within(card).findByRole('alert')).toHaveTextContent(
      'Promotion of conflict-dev to staging failed: conflict-staging is already at 1.4.0',
    );
  });

  it('lists the chart versions a promotion carries, and says why it cannot carry them', async () => {
    const { dev, staging } = pipeline('chart');
    const chartChanges: PromotionPreview['chartChanges'] = [
      { kind: 'chart', name: 'payments', from: '0.1.0', to: '0.2.0' },
      { kind: 'dependency', name: 'redis', from: '18.0.0', to: '18.1.0' },
    ];
    serve([dev, staging], {
      previews: {
        [dev.name]: devPreview(dev, staging, { changes: [], chartChanges }),
        [staging.name]: {
          ...lastPreview(staging),
          chartChanges,
          reason:
            'The chart version of chart-staging (version 0.2.0, redis 18.1.0) cannot be carried over to chart-prod safely: apps/payments/prod/charts holds vendored charts',
        },
      },
    });
    await renderTab();
    const devCard = await promotionCard('chart-dev');
    const change = await within(devCard).findByRole('list', {
      name: 'Version change of chart-staging',
    });
    expect(
      within(change)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'chart payments: 0.1.0 → 0.2.0',
      'chart dependency redis: 18.0.0 → 18.1.0',
    ]);
    expect(
      within(devCard).getByRole('button', { name: 'Promote dev to staging' }),
    ).toBeEnabled();

    const refused = await promotionCard('chart-staging');
    expect(
      await within(refused).findByTestId('promotion-reason'),
    ).toHaveTextContent(
      /cannot be carried over to chart-prod safely: .*vendored charts/,
    );
    expect(within(refused).queryByRole('button')).not.toBeInTheDocument();
  });

  it('hides the promote action from users without gitops.application.promote', async () => {
    const { dev, staging } = pipeline('denied');
    serve([dev, staging], {
      previews: {
        [dev.name]: devPreview(dev, staging),
        [staging.name]: lastPreview(staging),
      },
    });
    await renderTab(permission => permission !== 'gitops.application.promote');
    const card = await promotionCard('denied-dev');
    expect(await within(card).findByTestId('promote-denied')).toHaveTextContent(
      'You do not have permission to promote denied-dev.',
    );
    // the preview itself needs only read access
    expect(within(card).getByTestId('deployed-version')).toHaveTextContent(
      '1.4.0',
    );
    expect(within(card).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows a preview that failed to load as an error', async () => {
    const { dev, staging } = pipeline('broken');
    serve([dev, staging], {
      previews: { [staging.name]: lastPreview(staging) },
    });
    // registered after serve's handlers, so it answers first
    server.use(
      http.get(`${APPS}/broken-dev/promotion`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'git clone failed' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      ),
    );
    await renderTab();
    const card = await promotionCard('broken-dev');
    expect(
      await within(card).findByTestId('promotion-error'),
    ).toHaveTextContent(
      'Could not read the promotion of broken-dev: git clone failed',
    );
  });
});

function revertPlan(overrides: Partial<RevertPlan> = {}): RevertPlan {
  return {
    toRevision: SHA_OLD,
    head: SHA_NEW,
    branch: 'main',
    environment: 'staging',
    commits: [
      {
        sha: SHA_NEW,
        authorName: 'Ada Lovelace',
        authorEmail: 'ada@example.com',
        date: '2026-01-10T09:00:00Z',
        message: 'Promote 1.4.0 from dev to staging',
        files: ['envs/staging/kustomization.yaml'],
      },
    ],
    files: ['envs/staging/kustomization.yaml'],
    diff: PROMOTION_DIFF.replace(
      '-    newTag: 1.3.0',
      '-    newTag: 1.4.0',
    ).replace('+    newTag: 1.4.0', '+    newTag: 1.3.0'),
    directCommitAllowed: true,
    pullRequestAvailable: true,
    ...overrides,
  };
}

async function openRevert(appName: string) {
  const panel = await openApp(appName);
  const history = await within(panel).findByRole('table', {
    name: `Deployment history of ${appName}`,
  });
  const button = await within(history).findByRole('button', {
    name: `Roll back ${appName} to ${SHA_OLD.slice(0, 7)} by Git revert`,
  });
  // only the earlier deployment can be rolled back to, not the one that runs
  expect(
    within(history).getAllByRole('button', { name: /by Git revert$/ }),
  ).toHaveLength(1);
  await userEvent.click(button);
  return screen.findByRole('dialog', {
    name: `Roll back ${appName} to ${SHA_OLD.slice(0, 7)}`,
  });
}

describe('Rollback by revert', () => {
  it('shows the plan and commits the revert directly where allowed', async () => {
    const { dev, staging } = pipeline('direct');
    const calls = serve([dev, staging], {
      previews: {},
      revertPlan: revertPlan(),
      revert: body => ({
        delivery: body.directCommit ? 'direct-commit' : 'pull-request',
        branch: 'main',
        commitSha: 'beef000000000000000000000000000000000002',
        revertedCommits: [SHA_NEW],
        changedFiles: ['envs/staging/kustomization.yaml'],
      }),
    });
    await renderTab();
    const dialog = await openRevert('direct-staging');
    expect(
      await within(dialog).findByTestId('revert-summary'),
    ).toHaveTextContent(
      // commits link to the host, which adds "Opens in a new window" for screen readers
      new RegExp(
        `^Reverts 1 commit on main \\(at ${SHA_NEW.slice(
          0,
          7,
        )}[^)]*\\), returning envs/staging/kustomization.yaml to ${SHA_OLD.slice(
          0,
          7,
        )}`,
      ),
    );
    expect(calls.revertPlans).toEqual([`direct-staging@${SHA_OLD}`]);
    expect(
      within(dialog).getByRole('list', {
        name: 'Commits the revert of direct-staging undoes',
      }),
    ).toHaveTextContent('Promote 1.4.0 from dev to staging');
    expect(
      within(dialog).getByRole('region', {
        name: 'Diff of the revert of direct-staging',
      }),
    ).toHaveTextContent('- newTag: 1.4.0+ newTag: 1.3.0');
    // auto-sync: only the revert is offered, and why
    expect(within(dialog).getByTestId('auto-sync-note')).toHaveTextContent(
      'direct-staging syncs automatically, so Argo CD refuses its own rollback',
    );
    expect(
      screen.queryByRole('button', { name: /^Argo CD rollback/ }),
    ).not.toBeInTheDocument();

    // a pull request is the default; the environment also allows a direct commit
    expect(
      within(dialog).getByRole('radio', { name: /Open a pull request/ }),
    ).toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('radio', {
        name: 'Commit directly to main (allowed in staging)',
      }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Commit revert' }),
    );
    const outcome = await within(dialog).findByTestId('revert-outcome');
    expect(calls.reverts).toEqual([
      {
        name: 'direct-staging',
        body: { toRevision: SHA_OLD, directCommit: true },
      },
    ]);
    expect(outcome).toHaveTextContent(
      /^Reverted 1 commit in commit beef000.* on main\. Argo CD syncs direct-staging to it automatically\.$/,
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('opens a revert pull request and links it', async () => {
    const { dev, staging } = pipeline('revertpr');
    const calls = serve([dev, staging], {
      previews: {},
      revertPlan: revertPlan({ directCommitAllowed: false }),
      revert: () => ({
        delivery: 'pull-request',
        pullRequestUrl: 'http://localhost:7008/acme/acme-deploy/pull/8',
        branch: 'kupe/revert/revertpr-staging-c0ffee0',
        commitSha: 'beef000000000000000000000000000000000003',
        revertedCommits: [SHA_NEW],
        changedFiles: ['envs/staging/kustomization.yaml'],
      }),
    });
    await renderTab();
    const dialog = await openRevert('revertpr-staging');
    await within(dialog).findByTestId('revert-summary');
    expect(
      within(dialog).queryByRole('radio', { name: /Commit directly/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open revert pull request' }),
    );
    const outcome = await within(dialog).findByTestId('revert-outcome');
    expect(calls.reverts).toEqual([
      { name: 'revertpr-staging', body: { toRevision: SHA_OLD } },
    ]);
    expect(
      within(outcome).getByRole('link', {
        name: /^http:\/\/localhost:7008\/acme\/acme-deploy\/pull\/8\b/,
      }),
    ).toBeInTheDocument();
  });

  it('shows a refused revert and an empty plan clearly', async () => {
    const { dev, staging } = pipeline('refused');
    serve([dev, staging], {
      previews: {},
      revertPlan: revertPlan(),
    });
    server.use(
      http.post(`${APPS}/refused-staging/revert`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Pull requests need a GitHub integration',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    await renderTab();
    const dialog = await openRevert('refused-staging');
    await userEvent.click(
      await within(dialog).findByRole('button', {
        name: 'Open revert pull request',
      }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Revert of refused-staging failed: Pull requests need a GitHub integration',
    );
  });

  it('says there is nothing to revert when the files did not change', async () => {
    const { dev, staging } = pipeline('nothing');
    serve([dev, staging], {
      previews: {},
      revertPlan: revertPlan({ commits: [], files: [], diff: '' }),
    });
    await renderTab();
    const dialog = await openRevert('nothing-staging');
    expect(
      await within(dialog).findByTestId('revert-nothing'),
    ).toHaveTextContent(
      `Nothing to revert: nothing-staging's files have not changed on main since ${SHA_OLD.slice(
        0,
        7,
      )}.`,
    );
    expect(
      within(dialog).queryByRole('button', { name: /revert/i }),
    ).not.toBeInTheDocument();
  });

  it('offers Argo CD’s own rollback next to the revert for manual-sync apps', async () => {
    const { dev, staging } = pipeline('manual', 'manual');
    const calls = serve([dev, staging], { previews: {} });
    await renderTab();
    const panel = await openApp('manual-staging');
    await userEvent.click(
      await within(panel).findByRole('button', {
        name: `Argo CD rollback of manual-staging to ${SHA_OLD.slice(0, 7)}`,
      }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: `Argo CD rollback of manual-staging to ${SHA_OLD.slice(0, 7)}?`,
    });
    expect(calls.rollbacks).toEqual([]);
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Confirm Argo CD rollback' }),
    );
    await waitFor(() =>
      expect(calls.rollbacks).toEqual([
        { name: 'manual-staging', body: { id: 1 } },
      ]),
    );
    expect(await within(panel).findByRole('status')).toHaveTextContent(
      `Argo CD rollback of manual-staging to ${SHA_OLD.slice(0, 7)} started.`,
    );
  });

  it('shows one row per deployment, says which changed the app’s files, and offers no rollback to what runs', async () => {
    const { dev, staging } = pipeline('truthful');
    const SHA_API = 'a'.repeat(40);
    const SHA_OLDER = 'b'.repeat(40);
    const ownCommit = (sha: string, message: string) => ({
      sha,
      authorName: 'Ada Lovelace',
      authorEmail: 'ada@example.com',
      date: '2026-01-10T09:00:00Z',
      message,
      files: ['envs/staging/kustomization.yaml'],
    });
    serve([dev, staging], {
      previews: {},
      history: app => [
        {
          id: 1,
          revision: SHA_OLDER,
          deployStartedAt: '2026-01-08T10:00:00Z',
          deployedAt: '2026-01-08T10:01:00Z',
          message: 'Payments 1.2.0',
          ownChange: true,
          ownCommit: ownCommit(SHA_OLDER, 'Payments 1.2.0'),
          runsNow: false,
        },
        {
          id: 2,
          revision: SHA_OLD,
          deployStartedAt: '2026-01-09T10:00:00Z',
          deployedAt: '2026-01-09T10:01:00Z',
          author: 'Ada Lovelace <ada@example.com>',
          message: 'Bump payments to 1.4.0',
          ownChange: true,
          ownCommit: ownCommit(SHA_OLD, 'Bump payments to 1.4.0'),
          runsNow: true,
        },
        {
          // a re-sync of the same revision: no new deployment
          id: 3,
          revision: SHA_OLD,
          deployStartedAt: '2026-01-09T12:00:00Z',
          deployedAt: '2026-01-09T12:00:30Z',
          message: 'Bump payments to 1.4.0',
          ownChange: false,
          ownCommit: ownCommit(SHA_OLD, 'Bump payments to 1.4.0'),
          runsNow: true,
        },
        {
          id: 4,
          revision: app.sync.revision,
          deployStartedAt: '2026-01-10T10:00:00Z',
          deployedAt: '2026-01-10T10:01:30Z',
          author: 'Grace Hopper <grace@example.com>',
          message: 'Roll out payments-api 2.0.0 to staging',
          ownChange: false,
          ownCommit: ownCommit(SHA_OLD, 'Bump payments to 1.4.0'),
          runsNow: true,
        },
      ],
      rollouts: [
        {
          instance: 'main',
          appNamespace: 'argocd',
          name: 'truthful-staging',
          revision: SHA_API,
          startedAt: '2026-01-10T09:59:00Z',
          bakeTimeMs: 0,
          outcome: 'superseded',
          reason: 'a newer operation started',
        },
      ],
    });
    await renderTab();
    const panel = await openApp('truthful-staging');
    const table = await within(panel).findByRole('table', {
      name: 'Deployment history of truthful-staging',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    // another app's commit redeployed it: not shown as this app's change
    expect(rows[0]).toHaveTextContent(
      "No change to truthful-staging's files (still runs Bump payments to 1.4.0)",
    );
    expect(rows[0]).not.toHaveTextContent('Roll out payments-api');
    expect(rows[0]).not.toHaveTextContent('Grace Hopper');
    expect(rows[1]).toHaveTextContent('Bump payments to 1.4.0');
    expect(rows[1]).toHaveTextContent('Ada Lovelace');
    expect(rows[2]).toHaveTextContent('Payments 1.2.0');
    expect(within(table).queryByText('Not deployed')).toBeNull();
    // what runs now (its own files) offers no rollback; the older deployment does
    expect(
      within(rows[1]).queryByRole('button', { name: /Roll back/ }),
    ).toBeNull();
    expect(
      await within(rows[2]).findByRole('button', {
        name: `Roll back truthful-staging to ${SHA_OLDER.slice(
          0,
          7,
        )} by Git revert`,
      }),
    ).toBeInTheDocument();
  });

  it('offers no rollback without gitops.application.rollback', async () => {
    const { dev, staging } = pipeline('norollback', 'manual');
    serve([dev, staging], { previews: {} });
    await renderTab(permission => permission !== 'gitops.application.rollback');
    const panel = await openApp('norollback-staging');
    await within(panel).findByRole('table', {
      name: 'Deployment history of norollback-staging',
    });
    // the sync actions (allowed) render; the rollback ones never do
    await within(panel).findByRole('button', { name: 'Sync' });
    expect(
      within(panel).queryByRole('button', { name: /(rollback|Roll back) /i }),
    ).not.toBeInTheDocument();
  });
});

describe('Git operations accessibility', () => {
  it('passes an automated accessibility check with the promotion panel and the revert dialog', async () => {
    const { dev, staging } = pipeline('a11y');
    serve([dev, staging], {
      previews: {
        [dev.name]: devPreview(dev, staging),
        [staging.name]: lastPreview(staging),
      },
      revertPlan: revertPlan(),
    });
    const { container } = await renderTab();
    const card = await promotionCard('a11y-dev');
    await within(card).findByRole('button', { name: 'Promote dev to staging' });
    expect(await accessibilityViolations(container)).toEqual([]);
    const dialog = await openRevert('a11y-staging');
    await within(dialog).findByTestId('revert-summary');
    expect(await accessibilityViolations(document.body)).toEqual([]);
  });
});
