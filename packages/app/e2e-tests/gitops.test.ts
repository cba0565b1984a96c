import { test, expect } from '@playwright/test';
import { restoreSeededAcmeWeb } from './acmeWebState';
import { openApp } from './gitopsTab';
import { signInAs } from './signInAs';

test('a developer sees each environment, opens a diff and syncs an OutOfSync manual app without reloading', async ({
  page,
}) => {
  // dev and staging in sync, prod running 1.3.0 with 1.4.0 waiting for a manual sync, as
  // seeded: an earlier attempt of this journey synced prod, others release to dev and staging
  await restoreSeededAcmeWeb(page.request, ['dev', 'staging', 'prod']);
  await signInAs(page, 'Alice Schmidt');

  await page.goto('/catalog/default/component/acme-web');
  const card = page.getByTestId('gitops-card');
  await expect(card.getByTestId('rollup-status')).toBeVisible();
  const row = (name: string) =>
    card.getByTestId('gitops-app-row').filter({ hasText: name });
  await expect(row('acme-web-dev').getByTestId('sync-status')).toHaveText(
    /Synced/,
  );
  await expect(row('acme-web-staging').getByTestId('health-status')).toHaveText(
    /Healthy/,
  );
  await expect(row('acme-web-prod').getByTestId('sync-status')).toHaveText(
    /OutOfSync/,
  );

  await page.goto('/catalog/default/component/acme-web/gitops');
  const panel = await openApp(page, 'acme-web-prod');
  await expect(panel.getByTestId('manifest-diff').first()).toContainText(
    'acme-web:1.4.0',
  );

  await panel.getByRole('button', { name: 'Sync', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Sync acme-web-prod' })
    .getByRole('button', { name: 'Start sync' })
    .click();
  // production asks once more before anything is sent
  const confirm = page.getByRole('dialog').filter({ hasText: 'production' });
  await confirm.getByRole('button').last().click();

  await expect(panel.getByTestId('sync-status').first()).toHaveText(/Synced/, {
    timeout: 60_000,
  });
  await expect(panel.getByTestId('health-status').first()).toHaveText(
    /Healthy/,
    {
      timeout: 60_000,
    },
  );
});

test('a member of one tenant never sees another tenant’s applications', async ({
  page,
}) => {
  await signInAs(page, 'Bob Okafor');
  await page.goto('/catalog/default/component/acme-web/gitops');
  await expect(page.getByText('acme-web-dev')).toHaveCount(0);
  await page.goto('/catalog/default/component/globex-shop');
  await expect(
    page
      .getByTestId('gitops-card')
      .getByTestId('gitops-app-row')
      .filter({ hasText: 'globex-shop-dev' }),
  ).toBeVisible();
});
