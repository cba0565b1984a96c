import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ApplicationSummary,
  ApplicationSyncWindows,
  SyncWindowSummary,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { useApplicationDetails } from '../../hooks/useApplicationDetails';
import { appKey } from '../../lib/environmentGroups';
import { ApplicationPanel } from './ApplicationPanel';
import {
  BASE_URL,
  makeApp,
  makeDetail,
  quietTabHandlers,
} from '../../__testUtils__/fixtures';
import { englishTranslate } from '../../__testUtils__/translate';
import { syncBlockedReason } from '../common/SyncWindowNotice';

const server = setupServer(...quietTabHandlers());
registerMswTestHooks(server);

const NOW = Date.parse('2026-11-26T12:00:00Z');
const freeze: SyncWindowSummary = {
  kind: 'deny',
  schedule: '0 22 * * *',
  duration: '14h',
  manualSync: false,
  description: 'Change freeze',
  active: true,
  activeUntil: '2026-11-26T20:00:00Z',
};

function serve(app: ApplicationSummary, syncWindows: ApplicationSyncWindows) {
  const syncs: string[] = [];
  server.use(
    http.get(`${BASE_URL}/instances/main/applications/${app.name}`, () =>
      HttpResponse.json(makeDetail(app, { syncWindows })),
    ),
    http.post(
      `${BASE_URL}/instances/main/applications/${app.name}/sync`,
      () => {
        syncs.push(app.name);
        return HttpResponse.json({ summary: app });
      },
    ),
  );
  return syncs;
}

/** The app's panel, open, with its detail read as the tab reads it. */
function OpenPanel(props: { app: ApplicationSummary }) {
  const details = useApplicationDetails([props.app]);
  return (
    <ApplicationPanel
      app={props.app}
      now={NOW}
      onUpdated={() => {}}
      detail={details.get(appKey(props.app))}
      open
      onToggle={() => {}}
    />
  );
}

async function renderPanel(app: ApplicationSummary) {
  const client = new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  await renderInTestApp(<OpenPanel app={app} />, {
    apis: [
      [gitOpsApiRef, client],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
  });
  return screen.findByRole('region', { name: app.name });
}

describe('sync windows on the GitOps tab', () => {
  it('disables Sync in a freeze and says which window blocks it and until when', async () => {
    const app = makeApp({ name: 'shop-prod', environment: 'production' });
    const syncs = serve(app, {
      canSync: false,
      assigned: [freeze],
      active: [freeze],
    });
    const panel = await renderPanel(app);

    const notice = await within(panel).findByTestId('sync-windows');
    const reason =
      'Sync blocked by a deny window: Change freeze until Thu 20:00 UTC (in 8 hours), recurring daily at 22:00 UTC';
    expect(within(notice).getByRole('alert')).toHaveTextContent(reason);
    expect(
      within(notice).getByRole('list', { name: 'Sync windows of shop-prod' }),
    ).toHaveTextContent(
      'Change freeze (deny), daily at 22:00 UTC for 14 hours: open until Thu 20:00 UTC (in 8 hours)',
    );
    const sync = within(panel).getByRole('button', { name: 'Sync' });
    expect(sync).toBeDisabled();
    expect(sync).toHaveAccessibleDescription(reason);
    // Refresh is no sync: windows do not stop it.
    expect(
      within(panel).getByRole('button', { name: 'Refresh' }),
    ).toBeEnabled();
    expect(syncs).toEqual([]);
  });

  it('names the closed allow windows and when the next one opens', async () => {
    const nightly: SyncWindowSummary = {
      kind: 'allow',
      schedule: '0 2 * * *',
      duration: '2h',
      manualSync: false,
      timeZone: 'Europe/Berlin',
      active: false,
      nextStart: '2026-11-27T01:00:00Z',
    };
    const app = makeApp({ name: 'shop-nightly' });
    serve(app, { canSync: false, assigned: [nightly], active: [] });
    const panel = await renderPanel(app);
    const reason =
      'Sync blocked until an allow window opens: Deployment window opens Fri 01:00 UTC (in 13 hours), recurring daily at 02:00 Europe/Berlin';
    expect(await within(panel).findByRole('alert')).toHaveTextContent(reason);
    expect(
      within(panel).getByRole('button', { name: 'Sync' }),
    ).toHaveAccessibleDescription(reason);
  });

  it('keeps Sync for a deny window that allows manual syncs, and says so', async () => {
    const manual = { ...freeze, manualSync: true };
    const app = makeApp({ name: 'shop-manual' });
    const syncs = serve(app, {
      canSync: true,
      assigned: [manual],
      active: [manual],
    });
    const panel = await renderPanel(app);
    const notice = await within(panel).findByTestId('sync-windows');
    expect(notice).toHaveTextContent(
      'Manual syncs only: Change freeze until Thu 20:00 UTC (in 8 hours), recurring daily at 22:00 UTC. Automated syncs wait until it closes.',
    );
    expect(within(notice).queryByRole('alert')).not.toBeInTheDocument();
    const sync = within(panel).getByRole('button', { name: 'Sync' });
    expect(sync).toBeEnabled();
    await userEvent.click(sync);
    await userEvent.click(
      within(
        await screen.findByRole('dialog', { name: 'Sync shop-manual' }),
      ).getByRole('button', { name: 'Start sync' }),
    );
    expect(
      await within(panel).findByTestId('action-outcome'),
    ).toHaveTextContent('Sync of shop-manual started.');
    expect(syncs).toEqual(['shop-manual']);
  });

  it('reports unknown windows without blocking Sync', async () => {
    const app = makeApp({ name: 'shop-unknown' });
    serve(app, {
      assigned: [],
      active: [],
      error: 'Argo CD main is unreachable: ECONNREFUSED',
    });
    const panel = await renderPanel(app);
    expect(await within(panel).findByTestId('sync-windows')).toHaveTextContent(
      'The sync windows of shop-unknown could not be read; Argo CD checks them when you sync.',
    );
    expect(within(panel).getByRole('button', { name: 'Sync' })).toBeEnabled();
  });

  it('shows nothing when no window applies', async () => {
    const app = makeApp({ name: 'shop-free' });
    serve(app, { canSync: true, assigned: [], active: [] });
    const panel = await renderPanel(app);
    await within(panel).findByText('History');
    expect(within(panel).queryByTestId('sync-windows')).not.toBeInTheDocument();
    expect(within(panel).getByRole('button', { name: 'Sync' })).toBeEnabled();
  });

  it('says a block without a foreseeable end never ends', () => {
    expect(
      syncBlockedReason(
        englishTranslate(),
        {
          canSync: false,
          assigned: [{ ...freeze, activeUntil: undefined }],
          active: [{ ...freeze, activeUntil: undefined }],
        },
        NOW,
      ),
    ).toBe('Sync blocked by a deny window: Change freeze, which never ends');
  });
});
