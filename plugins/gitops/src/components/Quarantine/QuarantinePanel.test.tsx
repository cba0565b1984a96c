import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import type { Quarantine } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { BASE_URL, ENTITY_REF, SHA_PROD } from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';
import { quarantinesChanged } from '../../hooks/useEntityQuarantines';
import { QuarantineBanner } from './QuarantineBanner';
import { QuarantinePanel } from './QuarantinePanel';

const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
const URL = `${BASE_URL}/entities/default/component/payments/quarantines`;
const NOW = Date.parse('2026-12-04T16:00:00Z');

const broken: Quarantine = {
  id: 'q1',
  tenant: 'acme',
  entityRef: ENTITY_REF,
  version: '2.0.0-broken',
  reason: 'crashes on start',
  createdBy: 'user:default/alice',
  createdAt: '2026-12-04T15:00:00Z',
  active: true,
  runningIn: [
    {
      instance: 'main',
      appNamespace: 'argocd',
      name: 'payments-prod',
      environment: 'production',
    },
  ],
  deployedIn: [
    {
      instance: 'main',
      appNamespace: 'argocd',
      name: 'payments-prod',
      environment: 'production',
      historyId: 1,
      revision: SHA_PROD,
    },
  ],
};
const lifted: Quarantine = {
  ...broken,
  id: 'q0',
  version: '1.9.0',
  active: false,
  runningIn: [],
  deployedIn: undefined,
  liftedBy: 'user:default/arjun',
  liftedAt: '2026-12-04T14:00:00Z',
  liftReason: 'false alarm',
};

describe('QuarantinePanel', () => {
  it('lists the quarantined versions, where they run and which history entries ran them', async () => {
    server.use(
      http.get(URL, ({ request }) => {
        expect(
          new globalThis.URL(request.url).searchParams.get('includeLifted'),
        ).toBe('true');
        return HttpResponse.json({ items: [broken, lifted] });
      }),
    );
    const { container } = await renderInTestApp(
      <QuarantinePanel entityRef={ENTITY_REF} now={NOW} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    const table = await screen.findByRole('table', {
      name: 'Quarantined versions',
    });
    const [row] = within(table).getAllByRole('row').slice(1);
    expect(row).toHaveTextContent('2.0.0-broken');
    expect(row).toHaveTextContent('alice: crashes on start');
    expect(row).toHaveTextContent('production');
    expect(row).toHaveTextContent('payments-prod #1 (0f9e8d7)');
    expect(
      screen.getByText(/1\.9\.0, lifted by arjun: false alarm/),
    ).toBeInTheDocument();
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it('quarantines a version with a reason and shows the refusal of a duplicate', async () => {
    const posted: unknown[] = [];
    server.use(
      http.get(URL, () => HttpResponse.json({ items: [] })),
      http.post(URL, async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message:
                '2.0.0-broken of component:default/payments is quarantined already',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        );
      }),
    );
    await renderInTestApp(
      <QuarantinePanel entityRef={ENTITY_REF} now={NOW} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    expect(await screen.findByText('No version is quarantined.')).toBeVisible();
    fireEvent.click(
      screen.getByRole('button', { name: 'Quarantine a version' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Version \(image tag/), {
      target: { value: '2.0.0-broken' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'crashes on start' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Quarantine' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /quarantined already/,
    );
    expect(posted).toEqual([
      { version: '2.0.0-broken', reason: 'crashes on start' },
    ]);
  });

  it('lifts a quarantine with a reason and reads the list again', async () => {
    let items = [broken];
    const lifts: unknown[] = [];
    server.use(
      http.get(URL, () => HttpResponse.json({ items })),
      http.post(`${URL}/q1/lift`, async ({ request }) => {
        lifts.push(await request.json());
        items = [{ ...lifted, id: 'q1', version: '2.0.0-broken' }];
        return HttpResponse.json(items[0]);
      }),
    );
    await renderInTestApp(
      <QuarantinePanel entityRef={ENTITY_REF} now={NOW} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Lift the quarantine of 2.0.0-broken',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'fixed' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lift' }));
    await waitFor(() =>
      expect(screen.getByText('No version is quarantined.')).toBeVisible(),
    );
    expect(lifts).toEqual([{ reason: 'fixed' }]);
  });
});

describe('QuarantineBanner', () => {
  it('warns of a quarantined version that still runs, and of nothing else', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json({
          items: [
            broken,
            { ...broken, id: 'q2', version: '3.0.0', runningIn: [] },
          ],
        }),
      ),
    );
    await renderInTestApp(<QuarantineBanner entityRef={ENTITY_REF} />, {
      apis: [[gitOpsApiRef, client()]],
    });
    const banner = await screen.findByTestId('quarantine-banner');
    expect(banner).toHaveTextContent(
      'Quarantined 2.0.0-broken still runs in production',
    );
    expect(banner).not.toHaveTextContent('3.0.0');
  });

  it('asks nothing while the applications answer says none runs, until they change on the page', async () => {
    let asked = 0;
    server.use(
      http.get(URL, () => {
        asked++;
        return HttpResponse.json({ items: [broken] });
      }),
    );
    await renderInTestApp(
      <QuarantineBanner entityRef={ENTITY_REF} runningQuarantines={0} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(asked).toBe(0);
    expect(screen.queryByTestId('quarantine-banner')).toBeNull();
    // The panel on the page quarantined a version: the banner reads them now.
    act(() => quarantinesChanged(ENTITY_REF));
    expect(await screen.findByTestId('quarantine-banner')).toHaveTextContent(
      'Quarantined 2.0.0-broken still runs in production',
    );
    expect(asked).toBe(1);
  });
});
