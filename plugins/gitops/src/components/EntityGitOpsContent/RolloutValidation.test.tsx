import { act, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type {
  ApplicationHistoryEntry,
  RolloutRecord,
} from '@kupe/plugin-gitops-common';
import { HistoryTable } from './HistoryTable';
import { ROLLOUT_POLL_MS } from '../../hooks/useRollouts';
import { EnvironmentOverview } from './EnvironmentOverview';
import {
  BASE_URL,
  SHA_DEV,
  SHA_OLD,
  makeApp,
  makeEntity,
} from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';

const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });

const ROLLOUTS_URL = `${BASE_URL}/instances/main/applications/payments-dev/rollouts`;
const app = { instance: 'main', appNamespace: 'argocd', name: 'payments-dev' };

const history: ApplicationHistoryEntry[] = [
  {
    id: 2,
    revision: SHA_OLD,
    deployStartedAt: '2026-01-09T10:00:00Z',
    deployedAt: '2026-01-09T10:00:20Z',
    message: 'Older',
  },
  {
    id: 3,
    revision: SHA_DEV,
    deployStartedAt: '2026-01-10T10:00:00Z',
    deployedAt: '2026-01-10T10:01:30Z',
    message: 'Bump payments to 1.4.0',
  },
];

const rollout = (overrides: Partial<RolloutRecord>): RolloutRecord => ({
  ...app,
  environment: 'dev',
  startedAt: '2026-01-10T10:00:00.000Z',
  bakeTimeMs: 120_000,
  outcome: 'passed',
  ...overrides,
});

function serveRollouts(items: RolloutRecord[], seen: string[] = []) {
  server.use(
    http.get(ROLLOUTS_URL, ({ request }) => {
      seen.push(request.url);
      return HttpResponse.json({ items });
    }),
  );
}

describe('HistoryTable with rollout validation', () => {
  it('shows each deployment’s validation: passed, failed with its reason', async () => {
    const seen: string[] = [];
    serveRollouts(
      [
        rollout({
          revision: SHA_DEV,
          outcome: 'failed',
          reason:
            'Degraded: Back-off pulling image "ghcr.io/acme/payments:broken"',
          timeToSyncedMs: 4_000,
          timeToHealthyMs: 30_000,
        }),
        rollout({
          startedAt: '2026-01-09T10:00:00.000Z',
          revision: SHA_OLD,
          timeToSyncedMs: 5_000,
          timeToHealthyMs: 20_000,
        }),
      ],
      seen,
    );
    const { container } = await renderInTestApp(
      <HistoryTable appName="payments-dev" history={history} app={app} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    const table = await screen.findByRole('table', {
      name: 'Deployment history of payments-dev',
    });
    expect(
      await within(table).findByRole('columnheader', { name: 'Validation' }),
    ).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0]).getByLabelText(
        'Validation: Failed. Degraded: Back-off pulling image "ghcr.io/acme/payments:broken". Synced in 4s, Healthy in 30s, bake time 2m 0s',
      ),
    ).toHaveTextContent('Failed: Degraded: Back-off pulling image');
    expect(
      within(rows[1]).getByLabelText(
        'Validation: Passed. Synced in 5s, Healthy in 20s, bake time 2m 0s',
      ),
    ).toHaveTextContent('Passed');
    expect(seen[0]).toContain('?appNamespace=argocd');
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it('gives a failed sync (no deployment) and a running one rows of their own', async () => {
    serveRollouts([
      rollout({
        startedAt: '2026-01-11T09:00:00.000Z',
        revision: SHA_DEV,
        outcome: 'in-progress',
      }),
      rollout({
        startedAt: '2026-01-10T12:00:00.000Z',
        revision: SHA_DEV,
        outcome: 'failed',
        reason: 'Sync Failed: one or more objects failed to apply',
        operationFinishedAt: '2026-01-10T12:00:07.000Z',
      }),
    ]);
    await renderInTestApp(
      <HistoryTable appName="payments-dev" history={history} app={app} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    const table = await screen.findByRole('table');
    await within(table).findByText('Sync in progress');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(
        r =>
          r.getAttribute('data-outcome') ??
          within(r)
            .queryByTestId('rollout-validation')
            ?.getAttribute('data-outcome'),
      ),
    ).toEqual(['in-progress', 'failed', undefined, undefined]);
    expect(rows[0]).toHaveTextContent('Validating…');
    expect(rows[1]).toHaveTextContent('Not deployed');
    expect(rows[1]).toHaveTextContent(
      'Failed: Sync Failed: one or more objects failed to apply',
    );
    // A deployment without validation says nothing about it: no news is not shown.
    expect(rows[2]).not.toHaveTextContent(/validat/i);
  });

  it('reloads while a rollout is validating, so a failure shows without a summary change', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      let answer = rollout({ revision: SHA_DEV, outcome: 'in-progress' });
      const seen: string[] = [];
      server.use(
        http.get(ROLLOUTS_URL, ({ request }) => {
          seen.push(request.url);
          return HttpResponse.json({ items: [answer] });
        }),
      );
      await renderInTestApp(
        <HistoryTable appName="payments-dev" history={history} app={app} />,
        { apis: [[gitOpsApiRef, client()]] },
      );
      const table = await screen.findByRole('table');
      await within(table).findByText('Validating…');
      answer = rollout({
        revision: SHA_DEV,
        outcome: 'failed',
        reason: 'Degraded: Deployment payments',
      });
      await act(async () => {
        jest.advanceTimersByTime(ROLLOUT_POLL_MS);
      });
      await waitFor(() =>
        expect(within(table).getAllByRole('row')[1]).toHaveTextContent(
          'Failed: Degraded: Deployment payments',
        ),
      );
      expect(seen.length).toBeGreaterThanOrEqual(2);
      const requests = seen.length;
      // Nothing is validating any more: no further reloads.
      await act(async () => {
        jest.advanceTimersByTime(ROLLOUT_POLL_MS * 3);
      });
      expect(seen).toHaveLength(requests);
    } finally {
      jest.useRealTimers();
    }
  });

  it('leaves validation out when the backend has none to give', async () => {
    const asked: string[] = [];
    server.use(
      http.get(ROLLOUTS_URL, ({ request }) => {
        asked.push(request.url);
        return HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'x' } },
          { status: 404 },
        );
      }),
    );
    await renderInTestApp(
      <HistoryTable appName="payments-dev" history={history} app={app} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    await screen.findByText('Bump payments to 1.4.0');
    await waitFor(() => expect(asked).toHaveLength(1));
    expect(
      screen.queryByRole('columnheader', { name: 'Validation' }),
    ).toBeNull();
  });
});

describe('EnvironmentOverview dashboard links', () => {
  it('links each environment to its metrics and alerts from the entity annotations', async () => {
    const entity = makeEntity({
      'argocd/app-selector': 'app=payments',
      'kupe.cloud/metrics-url':
        'https://grafana.example.com/d/svc?var-env={environment}&var-app={app}',
      'kupe.cloud/alerts-url.production':
        'https://alerts.example.com/{tenant}/prod',
      'kupe.cloud/alerts-url': `${'javascript'}:alert(1)`,
    });
    const { container } = await renderInTestApp(
      <EntityProvider entity={entity}>
        <EnvironmentOverview
          apps={[
            makeApp(),
            makeApp({ name: 'payments-prod', environment: 'production' }),
          ]}
          previews={new Map()}
          details={new Map()}
          open={new Set()}
          onToggle={() => {}}
          now={Date.now()}
        />
      </EntityProvider>,
    );
    const dev = screen.getByRole('row', { name: 'dev: payments-dev' });
    expect(
      within(dev).getByRole('link', { name: /^Metrics of dev/ }),
    ).toHaveAttribute(
      'href',
      'https://grafana.example.com/d/svc?var-env=dev&var-app=payments-dev',
    );
    // The javascript: template is never rendered.
    expect(within(dev).queryByRole('link', { name: /Alerts/ })).toBeNull();
    const prod = screen.getByRole('row', { name: 'production: payments-prod' });
    expect(
      within(prod).getByRole('link', { name: /^Alerts of production/ }),
    ).toHaveAttribute('href', 'https://alerts.example.com/acme/prod');
    expect(container.innerHTML).not.toContain('alert(1)');
    expect(await accessibilityViolations(container)).toEqual([]);
  });
});
