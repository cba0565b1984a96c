import { test, expect } from '@playwright/test';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/*
 * The sandbox seeds acme-web-prod's history (packages/gitops-sandbox/src/seed): c1 deployed 45
 * min after its commit, c2 20 min after, c3 30 min after and rolled back to c2 an hour later.
 * c2 is acme-api's commit in the shared acme/gitops repository: it leaves acme-web's files as
 * c1 had them, so it is a re-sync, not a change. Over the last 30 days: 1 change that did not
 * fail x 7 / 30 = 0.23 a week ("0.2 / week"), median lead time of 45 and 30 min = 37.5 min
 * ("38 min"), 1 failed of 2 changes = 50%, and 60 min from c3's deployment to the rollback
 * ("1 h"). This journey runs before those that deploy
 * acme-web-prod (files run in name order), so no later deployment is counted.
 */
test("acme-web's DORA card shows the seeded history's figures and how they were computed", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-web');

  const card = page.getByTestId('dora-card');
  await card.scrollIntoViewIfNeeded();
  await expect(card.getByTestId('dora-Deployment frequency')).toHaveText(
    '0.2 / week',
  );
  await expect(card.getByTestId('dora-Lead time for changes')).toHaveText(
    '38 min',
  );
  await expect(card.getByTestId('dora-Change failure rate')).toHaveText('50%');
  await expect(card.getByTestId('dora-Time to restore')).toHaveText('1 h');
  await expect(
    card.getByRole('img', {
      name: 'Production changes over time: 2 changes, 1 failed',
    }),
  ).toBeVisible();
  expect(await seriousViolations(page, '[data-testid="dora-card"]')).toEqual(
    [],
  );
  await card.screenshot({ path: 'docs/screenshots/dora.png' });

  await card
    .getByRole('button', {
      name: 'How computed, from 4 production deployments',
    })
    .click();
  const rows = card
    .getByRole('table', { name: 'Deployments counted' })
    .getByRole('row');
  // a header and c1, c2 (acme-api's commit: a re-sync), c3 (rolled back), c2 again
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(2)).toContainText('Re-sync');
  await expect(rows.nth(3)).toContainText('Failed: rolled back to');
  await expect(rows.nth(4)).toContainText('Restore');
  await expect(card).toContainText('Median over 2 production changes');
});

test("bob cannot see acme's delivery figures", async ({ page }) => {
  await signInAs(page, 'Bob Okafor');
  await page.goto('/gitops/tenants/acme');
  // The panel's title: the same 404 as a tenant that does not exist.
  await expect(
    page.getByText('Error: Tenant "acme" not found', { exact: true }),
  ).toBeVisible();
  await expect(page.getByTestId('dora-Change failure rate')).toHaveCount(0);

  // His own tenant's page works.
  await page.goto('/gitops/tenants/globex');
  await expect(
    page.getByTestId('dora-card').getByTestId('dora-Change failure rate'),
  ).toBeVisible();
});
