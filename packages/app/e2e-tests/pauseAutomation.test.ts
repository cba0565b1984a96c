import { test, expect, type APIRequestContext } from '@playwright/test';
import { openApp } from './gitopsTab';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

const APP = 'acme-web-staging';
const AUTO_SYNC = `/api/gitops/instances/sandbox/applications/${APP}/auto-sync`;

async function portalToken(request: APIRequestContext, user: string) {
  const response = await request.get('/api/auth/sandbox/refresh', {
    headers: {
      'x-kupe-sandbox-user': user,
      'x-requested-with': 'XMLHttpRequest',
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).backstageIdentity.token as string;
}

/** Earlier runs or journeys may have left staging paused: it starts running here. */
async function resumeIfPaused(request: APIRequestContext) {
  const response = await request.post(`${AUTO_SYNC}/resume`, {
    headers: {
      Authorization: `Bearer ${await portalToken(request, 'alice')}`,
    },
  });
  expect([200, 409]).toContain(response.status());
}

test("alice pauses staging's auto-sync with a reason, sees who and why on the tab and card, and resumes it; bob gets 404", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await resumeIfPaused(page.request);
  await page.setViewportSize({ width: 1280, height: 720 });
  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-web/gitops');
  const panel = await openApp(page, APP);

  // Hard refresh sits beside Refresh (issue 19).
  await expect(
    panel.getByRole('button', { name: 'Hard refresh' }),
  ).toBeVisible();

  await panel.getByRole('button', { name: 'Pause auto-sync' }).click();
  const dialog = page.getByRole('dialog', {
    name: `Pause auto-sync of ${APP}?`,
  });
  const confirm = dialog.getByRole('button', { name: 'Pause auto-sync' });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: /Reason/ }).fill('incident INC-42');
  expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
  await confirm.click();
  await expect(panel.getByTestId('auto-sync-outcome')).toHaveText(
    `Auto-sync of ${APP} paused.`,
  );
  await expect(panel.getByTestId('auto-sync-paused')).toHaveText(
    /^Auto-sync paused by alice (now|\d+ seconds? ago|1 minute ago): incident INC-42$/,
  );
  // The overview row of the tab says it too, on the first screen.
  const overview = page.getByRole('table', { name: 'Environments' });
  await expect(overview.getByTestId('auto-sync-paused')).toContainText(
    'Auto-sync paused by alice',
    { timeout: 30_000 },
  );
  expect(
    await seriousViolations(page, '[data-testid="gitops-app-panel"]'),
  ).toEqual([]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({
    path: test.info().outputPath('pause-automation-tab.png'),
  });

  // bob, of another tenant: the app does not exist for him, paused or not.
  const bobToken = await portalToken(page.request, 'bob');
  for (const verb of ['pause', 'resume']) {
    const bob = await page.request.post(`${AUTO_SYNC}/${verb}`, {
      headers: { Authorization: `Bearer ${bobToken}` },
      data: verb === 'pause' ? { reason: 'not mine' } : undefined,
    });
    expect(bob.status()).toBe(404);
  }

  // The card on the entity's overview shows the pause on staging's row.
  await page.goto('/catalog/default/component/acme-web');
  const row = page
    .getByTestId('gitops-app-row')
    .filter({ hasText: APP })
    .first();
  await expect(row.getByTestId('auto-sync-paused')).toContainText(
    'Auto-sync paused by alice',
    { timeout: 30_000 },
  );
  await expect(row.getByTestId('auto-sync-paused')).toContainText(
    ': incident INC-42',
  );
  await row.screenshot({
    path: test.info().outputPath('pause-automation-card-row.png'),
  });

  // Resume from the tab: the note goes, Pause is offered again.
  await page.goto('/catalog/default/component/acme-web/gitops');
  const again = await openApp(page, APP);
  await again.getByRole('button', { name: 'Resume auto-sync' }).click();
  await expect(again.getByTestId('auto-sync-outcome')).toHaveText(
    `Auto-sync of ${APP} resumed.`,
  );
  await expect(again.getByTestId('auto-sync-paused')).toHaveCount(0);
  await expect(
    again.getByRole('button', { name: 'Pause auto-sync' }),
  ).toBeVisible();
});
