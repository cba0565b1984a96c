import { test, expect } from '@playwright/test';
import { restoreSeededAcmeWeb } from './acmeWebState';
import { openApp } from './gitopsTab';
import { signInAs } from './signInAs';

test('alice dry-runs a prune on dev, syncs production with options but without force, and sees herself in the history', async ({
  page,
}) => {
  // prod runs 1.3.0 with 1.4.0 waiting for a manual sync, as seeded
  await restoreSeededAcmeWeb(page.request, ['dev', 'prod']);
  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-web/gitops');
  const dev = await openApp(page, 'acme-web-dev');
  await dev.getByRole('button', { name: 'Sync', exact: true }).click();
  const devOptions = page.getByRole('dialog', { name: 'Sync acme-web-dev' });
  await devOptions.getByRole('checkbox', { name: /Prune/ }).check();
  await devOptions.getByRole('checkbox', { name: /Dry run/ }).check();
  await devOptions.getByRole('button', { name: 'Start sync' }).click();
  // prune asks once more, and says that a dry run changes nothing
  const confirmDev = page.getByRole('dialog', {
    name: 'Dry-run sync acme-web-dev?',
  });
  await expect(confirmDev).toContainText('This is a dry run');
  await confirmDev
    .getByRole('button', { name: 'Confirm dry-run sync' })
    .click();
  await expect(dev.getByTestId('action-outcome')).toHaveText(
    'Dry-run sync of acme-web-dev started with prune; nothing is changed.',
  );

  // Force in production is the platform team's: offered to alice, but disabled with why.
  const prod = await openApp(page, 'acme-web-prod');
  await prod.getByRole('button', { name: 'Sync', exact: true }).click();
  const prodOptions = page.getByRole('dialog', { name: 'Sync acme-web-prod' });
  await expect(
    prodOptions.getByRole('checkbox', { name: /Force/ }),
  ).toBeDisabled();
  await expect(prodOptions).toContainText(
    'Needs the gitops.application.sync.force permission',
  );
  await prodOptions
    .getByRole('checkbox', { name: /Apply out of sync only/ })
    .check();
  await prodOptions
    .getByRole('checkbox', { name: /Server-side apply/ })
    .check();
  await prodOptions.getByRole('button', { name: 'Start sync' }).click();
  await page
    .getByRole('dialog', { name: 'Sync acme-web-prod?' })
    .getByRole('button', { name: 'Confirm sync' })
    .click();
  await expect(prod.getByTestId('action-outcome')).toHaveText(
    'Sync of acme-web-prod started with out-of-sync resources only, server-side apply.',
  );
  await expect(prod.getByTestId('sync-status').first()).toHaveText(/Synced/, {
    timeout: 60_000,
  });

  // Argo CD records the portal's account; the history names alice, who asked.
  const history = prod.getByRole('table', {
    name: 'Deployment history of acme-web-prod',
  });
  await expect(history.getByRole('row').nth(1)).toContainText(
    'alice (portal)',
    { timeout: 30_000 },
  );
});
