import { test, expect } from '@playwright/test';
import { signInAs } from './signInAs';

/**
 * The new-service template end to end on the sandbox: the GitOps form fields, a push to the
 * sandbox's Git server, Argo CD Applications created through its API and reconciled there,
 * the component registered from the catalog-info.yaml committed beside its manifests.
 */
test('a developer scaffolds a service and its component page shows the dev application Synced and Healthy', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const name = `svc-${Date.now()}`;
  // Each phase's end, printed, so a CI log tells where a slow attempt spent its time.
  const startedAt = Date.now();
  const phase = (what: string) =>
    process.stdout.write(
      `scaffolder journey: ${what} after ${Math.round(
        (Date.now() - startedAt) / 1000,
      )} s\n`,
    );
  await signInAs(page, 'Alice Schmidt');

  await page.goto('/create');
  await expect(page.getByText('New service (GitOps)')).toBeVisible();
  await page.getByRole('button', { name: 'Choose' }).first().click();

  // Service
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Scaffolded by the e2e journey');
  await page.getByRole('textbox', { name: /^Owner/ }).fill('acme');
  await page.getByRole('option', { name: /acme/i }).first().click();
  await page.getByRole('button', { name: /Tenant/ }).click();
  // Alice belongs to acme only: globex is never offered
  const tenants = page.getByRole('listbox').getByRole('option');
  await expect(tenants).toHaveText(['acme']);
  await tenants.first().click();
  await page
    .getByRole('textbox', { name: /^GitOps repository/ })
    .fill('http://127.0.0.1:7008/acme/gitops.git');
  await page
    .getByRole('textbox', { name: /^Container image/ })
    .fill(`registry.acme.example/${name}`);
  await page.getByRole('button', { name: 'Next' }).click();

  // Deployment
  await page.getByRole('button', { name: /Manifests/ }).click();
  await page
    .getByRole('option', { name: 'Kustomize (base + overlays)' })
    .click();
  // one environment by default: dev on the tenant's dev cluster, auto-sync
  await expect(page.getByRole('button', { name: /Environment/ })).toHaveText(
    /dev/,
  );
  await expect(page.getByRole('button', { name: /Cluster/ })).toHaveText(/dev/);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task: push, Applications, registration, then the wait for dev to be Synced and Healthy
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  // a failed step shows its error instead: fail with it rather than at the timeout
  const taskError = page.getByText(/^Error: /);
  await expect(openInCatalog.or(taskError)).toBeVisible({ timeout: 180_000 });
  await expect(taskError).toHaveCount(0);
  phase('the task finished');
  await openInCatalog.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );
  // The task registered the component, but the catalog processes a new location on its own
  // schedule, so the page may say "Entity not found" at first: reload, as a user would, until
  // it shows the component. The page's heading is no sign of that: it shows the name from the
  // URL while the entity is still loading, and stays above "Entity not found". The card is.
  const card = page.getByTestId('gitops-card');
  const notFound = page.getByText('Entity not found');
  await expect(async () => {
    await expect(card.or(notFound).first()).toBeVisible({ timeout: 10_000 });
    if (await notFound.isVisible()) {
      await page.reload({ timeout: 15_000 });
      throw new Error(`the catalog does not have component ${name} yet`);
    }
  }, `the catalog shows the scaffolded component ${name} within 90 s of its registration`).toPass(
    { timeout: 90_000, intervals: [1_000, 2_000, 5_000] },
  );
  phase('the catalog shows the component');

  const row = card
    .getByTestId('gitops-app-row')
    .filter({ hasText: `${name}-dev` });
  try {
    await expect(row.getByTestId('sync-status')).toHaveText(/Synced/, {
      timeout: 60_000,
    });
  } catch (error) {
    // what the card showed instead (an error, another app, no apps) explains a failure
    // (bounded: an action waits without end by default, which would hide the failure
    // behind the test's timeout)
    const shown = await card
      .innerText({ timeout: 1_000 })
      .catch(() => '(no GitOps card on the page)');
    throw new Error(`${(error as Error).message}\nThe card shows:\n${shown}`);
  }
  await expect(row.getByTestId('health-status')).toHaveText(/Healthy/, {
    timeout: 60_000,
  });
  phase('the card shows dev Synced and Healthy');
});
