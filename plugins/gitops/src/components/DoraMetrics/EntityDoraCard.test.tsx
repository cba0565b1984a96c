import { fireEvent, screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { DoraResponse } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { BASE_URL, makeEntity } from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';
import { EntityDoraCard } from './EntityDoraCard';

const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });

const MIN = 60_000;
const dora = (days: number): DoraResponse => ({
  from: '2026-11-04T12:00:00.000Z',
  to: '2026-12-04T12:00:00.000Z',
  days,
  deploymentFrequency: { value: (2 * 7) / days, count: 2, how: 'freq how' },
  leadTime: { value: 30 * MIN, count: 3, unknown: 0, how: 'lead how' },
  changeFailureRate: { value: 1 / 3, count: 3, unknown: 0, how: 'cfr how' },
  timeToRestore: { value: 60 * MIN, count: 1, unknown: 0, how: 'ttr how' },
  buckets: [
    {
      start: '2026-12-02T12:00:00.000Z',
      end: '2026-12-03T12:00:00.000Z',
      deployments: 2,
      failures: 1,
    },
  ],
  deployments: [
    {
      instance: 'main',
      appNamespace: 'argocd',
      app: 'payments-prod',
      revision: 'c'.repeat(40),
      deployedAt: '2026-12-03T16:30:00.000Z',
      kind: 'change',
      outcome: 'failed',
      failure: { cause: 'rolled-back', detail: 'rolled back to bbbbbbb' },
      leadTimeMs: 30 * MIN,
    },
    {
      instance: 'main',
      appNamespace: 'argocd',
      app: 'payments-prod',
      revision: 'b'.repeat(40),
      deployedAt: '2026-12-03T17:30:00.000Z',
      kind: 'restore',
      outcome: 'succeeded',
    },
  ],
  unknown: ['2 of 2 deployments were not followed'],
  errors: [],
});

describe('EntityDoraCard', () => {
  it('shows the four figures, the chart, and how they were computed', async () => {
    const asked: string[] = [];
    server.use(
      http.get(
        `${BASE_URL}/entities/default/component/payments/dora`,
        ({ request }) => {
          const days = Number(new URL(request.url).searchParams.get('days'));
          asked.push(String(days));
          return HttpResponse.json(dora(days));
        },
      ),
    );
    const { container } = await renderInTestApp(
      <EntityProvider entity={makeEntity()}>
        <EntityDoraCard />
      </EntityProvider>,
      { apis: [[gitOpsApiRef, client()]] },
    );
    // 2 changes in 30 days: 0.47 a week, shown with one decimal.
    expect(
      await screen.findByTestId('dora-Deployment frequency'),
    ).toHaveTextContent('0.5 / week');
    expect(screen.getByTestId('dora-Lead time for changes')).toHaveTextContent(
      '30 min',
    );
    expect(screen.getByTestId('dora-Change failure rate')).toHaveTextContent(
      '33%',
    );
    expect(screen.getByTestId('dora-Time to restore')).toHaveTextContent('1 h');
    expect(
      screen.getByRole('img', {
        name: 'Production changes over time: 2 changes, 1 failed',
      }),
    ).toBeInTheDocument();

    fireEvent.click(
      screen.getByText('How computed, from 2 production deployments'),
    );
    expect(screen.getByText('cfr how')).toBeInTheDocument();
    expect(
      screen.getByText('2 of 2 deployments were not followed'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Deployments counted' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'payments-prodccccccc2026-12-03 16:30 UTCChangeFailed: rolled back to bbbbbbb30 min',
      'payments-prodbbbbbbb2026-12-03 17:30 UTCRestoreSucceeded—',
    ]);
    expect(asked).toEqual(['30']);
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it('says why when the figures cannot be read', async () => {
    server.use(
      http.get(`${BASE_URL}/entities/default/component/payments/dora`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                'Reading DORA figures needs the gitops.metrics.read permission',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderInTestApp(
      <EntityProvider entity={makeEntity()}>
        <EntityDoraCard />
      </EntityProvider>,
      { apis: [[gitOpsApiRef, client()]] },
    );
    // The reason is the panel's title, not only inside its collapsed details.
    expect(
      await screen.findByText(
        'Error: Reading DORA figures needs the gitops.metrics.read permission',
      ),
    ).toBeVisible();
  });
});
