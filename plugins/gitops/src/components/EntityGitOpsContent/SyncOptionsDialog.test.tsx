import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { ApplicationHistoryEntry } from '@kupe/plugin-gitops-common';
import { SyncOptionsDialog, type SyncOptions } from './SyncOptionsDialog';
import { HistoryTable } from './HistoryTable';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';

const resources = [
  { kind: 'Service', namespace: 'shop', name: 'web', modified: false },
  {
    group: 'apps',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    modified: true,
  },
];

async function renderDialog(
  props: Partial<Parameters<typeof SyncOptionsDialog>[0]> = {},
) {
  const submitted: SyncOptions[] = [];
  const loadResources = jest.fn(async () => resources);
  await renderInTestApp(
    <SyncOptionsDialog
      open
      appName="shop-dev"
      loadResources={loadResources}
      onSubmit={o => submitted.push(o)}
      onCancel={() => {}}
      {...props}
    />,
  );
  const dialog = await screen.findByRole('dialog', { name: 'Sync shop-dev' });
  return { dialog, submitted, loadResources };
}

describe('SyncOptionsDialog', () => {
  it('offers Argo CD’s sync options, all off, and sends the chosen ones', async () => {
    const { dialog, submitted, loadResources } = await renderDialog();
    const boxes = within(dialog).getAllByRole('checkbox');
    expect(boxes.map(b => (b as HTMLInputElement).checked)).toEqual(
      boxes.map(() => false),
    );
    for (const name of [
      /Prune/,
      /Force/,
      /Apply out of sync only/,
      /Server-side apply/,
    ])
      await userEvent.click(within(dialog).getByRole('checkbox', { name }));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start sync' }),
    );
    expect(submitted).toEqual([
      {
        prune: true,
        dryRun: false,
        force: true,
        applyOnly: false,
        applyOutOfSyncOnly: true,
        serverSideApply: true,
        resources: undefined,
      },
    ]);
    // Resources are only read when someone chooses among them.
    expect(loadResources).not.toHaveBeenCalled();
  });

  it('syncs only the chosen resources, the OutOfSync ones preselected', async () => {
    const { dialog, submitted } = await renderDialog();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Only selected resources' }),
    );
    const deployment = await within(dialog).findByRole('checkbox', {
      name: 'Deployment shop/web (OutOfSync)',
    });
    const service = within(dialog).getByRole('checkbox', {
      name: 'Service shop/web',
    });
    expect(deployment).toBeChecked();
    expect(service).not.toBeChecked();
    await userEvent.click(deployment);
    expect(
      within(dialog).getByRole('button', { name: 'Start sync' }),
    ).toBeDisabled();
    await userEvent.click(service);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start sync' }),
    );
    expect(submitted[0].resources).toEqual([
      { group: undefined, kind: 'Service', namespace: 'shop', name: 'web' },
    ]);
  });

  it('disables an option the user may not use, saying why', async () => {
    const { dialog } = await renderDialog({
      unavailable: {
        force:
          'Needs the gitops.application.sync.force permission in production.',
      },
    });
    expect(
      within(dialog).getByRole('checkbox', { name: /Force/ }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('checkbox', { name: /Prune/ }),
    ).toBeEnabled();
    expect(dialog).toHaveTextContent(
      'Needs the gitops.application.sync.force permission in production.',
    );
    // A dry run may simulate it; leaving the dry run drops it again.
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: /Dry run/ }),
    );
    const force = within(dialog).getByRole('checkbox', { name: /Force/ });
    await userEvent.click(force);
    expect(force).toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: /Dry run/ }),
    );
    expect(force).not.toBeChecked();
    expect(force).toBeDisabled();
  });

  it('says when the resources cannot be loaded', async () => {
    const { dialog } = await renderDialog({
      loadResources: async () => {
        throw new Error('Argo CD main is not reachable');
      },
    });
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Only selected resources' }),
    );
    await waitFor(() =>
      expect(dialog).toHaveTextContent(
        'Could not load the resources: Argo CD main is not reachable',
      ),
    );
  });
});

describe('HistoryTable’s Started by column', () => {
  const entry = (
    id: number,
    extra: Partial<ApplicationHistoryEntry>,
  ): ApplicationHistoryEntry => ({
    id,
    revision: `${id}`.repeat(40),
    deployedAt: `2026-01-0${id}T10:00:00Z`,
    message: `Change ${id}`,
    ...extra,
  });

  it('names the portal user, an automated sync, or the Argo CD user', async () => {
    await renderInTestApp(
      <HistoryTable
        appName="shop-dev"
        history={[
          entry(1, { initiatedBy: { username: 'admin' } }),
          entry(2, { initiatedBy: { automated: true } }),
          entry(3, {
            initiatedBy: { username: 'proj:tenant-acme:backstage' },
            requestedBy: 'user:default/alice',
          }),
        ]}
      />,
      {
        apis: [
          [
            gitOpsApiRef,
            new GitOpsClient({
              discoveryApi: mockApis.discovery(),
              fetchApi: mockApis.fetch(),
            }),
          ],
        ],
      },
    );
    const table = await screen.findByRole('table', {
      name: 'Deployment history of shop-dev',
    });
    const column = within(table)
      .getAllByRole('columnheader')
      .findIndex(h => h.textContent === 'Started by');
    expect(column).toBeGreaterThan(-1);
    const startedBy = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('cell')[column]);
    expect(startedBy.map(c => c.textContent)).toEqual([
      'alice (portal)',
      'Automated sync',
      'admin',
    ]);
    expect(
      within(startedBy[0]).getByTitle(/through the portal/),
    ).toHaveAttribute(
      'title',
      'user:default/alice through the portal (Argo CD account proj:tenant-acme:backstage)',
    );
  });
});
