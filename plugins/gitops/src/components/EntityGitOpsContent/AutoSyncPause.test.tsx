import { useState } from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { useApplicationDetails } from '../../hooks/useApplicationDetails';
import { appKey } from '../../lib/environmentGroups';
import {
  BASE_URL,
  makeApp,
  makeDetail,
  quietTabHandlers,
} from '../../__testUtils__/fixtures';
import { ApplicationRow } from '../EntityGitOpsCard/ApplicationRow';
import { ApplicationPanel } from './ApplicationPanel';

const server = setupServer(...quietTabHandlers());
registerMswTestHooks(server);
beforeEach(() =>
  server.use(
    http.get(`${BASE_URL}/instances/main/applications/:name/rollouts`, () =>
      HttpResponse.json({ items: [] }),
    ),
  ),
);

const NOW = Date.parse('2026-12-04T12:00:00Z');
const appPath = `${BASE_URL}/instances/main/applications/acme-web-staging`;
const running = makeApp({
  name: 'acme-web-staging',
  environment: 'staging',
  syncPolicy: 'auto-prune',
});
const paused: ApplicationSummary = {
  ...running,
  syncPolicy: 'manual',
  autoSyncPause: {
    by: 'user:default/alice',
    at: '2026-12-04T10:00:00Z',
    reason: 'incident INC-42',
  },
};

/** The panel, open, keeping the summary each action answers, as the tab does. */
function Panel(props: { app: ApplicationSummary }) {
  const [app, setApp] = useState(props.app);
  const details = useApplicationDetails([app]);
  return (
    <ApplicationPanel
      app={app}
      now={NOW}
      onUpdated={setApp}
      detail={details.get(appKey(app))}
      open
      onToggle={() => {}}
    />
  );
}

async function renderPanel(
  app: ApplicationSummary,
  authorize: (
    name: string,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY = () =>
    AuthorizeResult.ALLOW,
) {
  const client = new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  await renderInTestApp(<Panel app={app} />, {
    apis: [
      [gitOpsApiRef, client],
      mockApis.permission({
        authorize: request => authorize(request.permission.name),
      }),
    ],
  });
  return screen.findByRole('region', { name: app.name });
}

describe('pausing and resuming auto-sync on the tab', () => {
  it('asks for a reason, pauses, shows who, when and why, and resumes', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get(appPath, () => HttpResponse.json(makeDetail(running))),
      http.post(`${appPath}/auto-sync/pause`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ summary: paused });
      }),
      http.post(`${appPath}/auto-sync/resume`, () =>
        HttpResponse.json({ summary: running }),
      ),
    );
    const panel = await renderPanel(running);
    // Hard refresh sits beside refresh (issue 19).
    expect(
      within(panel).getByRole('button', { name: 'Hard refresh' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(panel).getByRole('button', { name: 'Pause auto-sync' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Pause auto-sync of acme-web-staging?',
    });
    const confirm = within(dialog).getByRole('button', {
      name: 'Pause auto-sync',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      '   ',
    );
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'incident INC-42 ',
    );
    await userEvent.click(confirm);

    expect(
      await within(panel).findByText('Auto-sync of acme-web-staging paused.'),
    ).toBeInTheDocument();
    expect(bodies).toEqual([{ reason: 'incident INC-42' }]);
    expect(within(panel).getByTestId('auto-sync-paused')).toHaveTextContent(
      'Auto-sync paused by alice 2 hours ago: incident INC-42',
    );

    await userEvent.click(
      await within(panel).findByRole('button', { name: 'Resume auto-sync' }),
    );
    expect(
      await within(panel).findByText('Auto-sync of acme-web-staging resumed.'),
    ).toBeInTheDocument();
    expect(within(panel).queryByTestId('auto-sync-paused')).toBeNull();
    expect(
      await within(panel).findByRole('button', { name: 'Pause auto-sync' }),
    ).toBeInTheDocument();
  });

  it("shows the backend's refusal, e.g. an ApplicationSet owning the policy", async () => {
    const message =
      "Cannot pause auto-sync of acme-web-staging here: the ApplicationSet acme-services generates it and would turn auto-sync back on. Change the sync policy in the ApplicationSet's template in Git.";
    server.use(
      http.get(appPath, () => HttpResponse.json(makeDetail(running))),
      http.post(`${appPath}/auto-sync/pause`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message },
            request: { method: 'POST', url: '/' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const panel = await renderPanel(running);
    await userEvent.click(
      within(panel).getByRole('button', { name: 'Pause auto-sync' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'INC-1',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Pause auto-sync' }),
    );
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'the ApplicationSet acme-services generates it',
    );
  });

  it('does not offer Pause for an app whose ApplicationSet manages its sync policy, and says so', async () => {
    // Another app: the permission API's cache keeps the earlier tests' answers per resource.
    const owned: ApplicationSummary = {
      ...running,
      name: 'acme-web-owned',
      parent: { kind: 'ApplicationSet', name: 'acme-services' },
    };
    server.use(
      http.get(`${BASE_URL}/instances/main/applications/acme-web-owned`, () =>
        HttpResponse.json(makeDetail(owned)),
      ),
    );
    const panel = await renderPanel(owned);
    expect(
      await within(panel).findByText(
        'Auto-sync is managed by ApplicationSet acme-services, which would turn it back on: change its sync policy there.',
      ),
    ).toBeInTheDocument();
    expect(
      within(panel).queryByRole('button', { name: /auto-sync/ }),
    ).toBeNull();
  });

  it('offers neither Pause nor Resume without gitops.application.automation', async () => {
    // Another app: the permission API's cache keeps the earlier tests' answers per resource.
    const denied = { ...paused, name: 'acme-web-denied' };
    server.use(
      http.get(`${BASE_URL}/instances/main/applications/acme-web-denied`, () =>
        HttpResponse.json(makeDetail(denied)),
      ),
    );
    const panel = await renderPanel(denied, name =>
      name === 'gitops.application.automation'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    expect(within(panel).getByTestId('auto-sync-paused')).toBeInTheDocument();
    await within(panel).findByRole('button', { name: 'Hard refresh' });
    expect(
      within(panel).queryByRole('button', { name: /auto-sync/ }),
    ).toBeNull();
  });
});

describe('the card row', () => {
  it('says who paused auto-sync, when and why; and when it was paused in Argo CD', async () => {
    await renderInTestApp(
      <Table>
        <TableBody>
          <ApplicationRow app={paused} now={NOW} />
          <ApplicationRow
            app={{ ...paused, name: 'other', autoSyncPause: {} }}
            now={NOW}
          />
          <ApplicationRow app={running} now={NOW} />
        </TableBody>
      </Table>,
      {
        apis: [
          [
            gitOpsApiRef,
            new GitOpsClient({
              discoveryApi: mockApis.discovery({
                baseUrl: 'http://localhost:7007',
              }),
              fetchApi: mockApis.fetch(),
            }),
          ],
        ],
      },
    );
    const notes = screen.getAllByTestId('auto-sync-paused');
    expect(notes.map(n => n.textContent)).toEqual([
      'Auto-sync paused by alice 2 hours ago: incident INC-42',
      'Auto-sync paused in Argo CD',
    ]);
    expect(within(notes[0]).getByText('2 hours ago')).toHaveAttribute(
      'title',
      expect.stringContaining('10:00 UTC'),
    );
  });
});
