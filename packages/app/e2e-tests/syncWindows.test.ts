import { test, expect } from '@playwright/test';
import { openApp } from './gitopsTab';
import { signInAs } from './signInAs';

test("a developer sees production's change freeze before pressing Sync, and dev still syncs", async ({
  page,
}) => {
  // The sandbox keeps globex's production cluster in a deny window that never ends.
  await signInAs(page, 'Bob Okafor');
  await page.goto('/catalog/default/component/globex-shop/gitops');

  const prod = await openApp(page, 'globex-shop-prod');
  await expect(prod.getByTestId('sync-windows')).toContainText(
    'Sync blocked by a deny window: Change freeze',
  );
  const sync = prod.getByRole('button', { name: 'Sync', exact: true });
  await expect(sync).toBeDisabled();
  // The reason is the disabled button's accessible description, not only a tooltip.
  await expect(sync).toHaveAccessibleDescription(/Change freeze/);
  await expect(
    prod.getByRole('button', { name: 'Refresh', exact: true }),
  ).toBeEnabled();

  // Dev is outside the window: its Sync stays available.
  const dev = await openApp(page, 'globex-shop-dev');
  await expect(dev.getByTestId('sync-status').first()).toBeVisible();
  await expect(dev.getByTestId('sync-windows')).toHaveCount(0);
  await expect(
    dev.getByRole('button', { name: 'Sync', exact: true }),
  ).toBeEnabled();

  await prod.scrollIntoViewIfNeeded();
  await prod.screenshot({ path: 'docs/screenshots/gitops-sync-window.png' });
});
