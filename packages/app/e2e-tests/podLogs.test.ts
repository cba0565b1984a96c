import { test, expect } from '@playwright/test';
import { openApp } from './gitopsTab';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/**
 * alice opens acme-api's production app, whose release 2.0.0-broken crashes on start: its
 * pod's events say BackOff (a warning, listed first) and its log shows the crash. bob, of
 * another tenant, gets 404 on the logs route of alice's app. Nothing here changes the sandbox.
 */

const APP = 'acme-api-prod';
const LOGS = `/api/gitops/instances/sandbox/applications/${APP}/logs?namespace=acme-api&pod=acme-api-0`;

test("alice reads the crash of acme-api's broken release in its pod's logs and events; bob gets 404", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-api/gitops');
  const panel = await openApp(page, APP);

  const events = panel.getByRole('region', { name: `Events of ${APP}` });
  const backOff = events.getByRole('row').filter({ hasText: 'BackOff' });
  await expect(backOff.first()).toContainText('Warning', { timeout: 60_000 });
  await expect(backOff.first()).toContainText(
    /Back-off restarting failed container acme-api-prod in pod acme-api-prod-/,
  );
  // Warnings come first.
  await expect(events.getByRole('row').nth(1)).toContainText('Warning');

  await panel.getByRole('button', { name: 'Show logs' }).click();
  const logs = panel.getByRole('region', { name: `Logs of ${APP}` });
  // The crash-looping pod is chosen first.
  await expect(logs.getByLabel('Pod')).toContainText('CrashLoopBackOff', {
    timeout: 30_000,
  });
  const viewer = logs.getByTestId('log-viewer');
  await expect(viewer).toContainText(
    'panic: runtime error: invalid memory address or nil pointer dereference',
    { timeout: 30_000 },
  );
  await expect(viewer).toContainText('version=2.0.0-broken');
  expect(await seriousViolations(page, '[data-testid="pod-logs"]')).toEqual([]);
  expect(
    await seriousViolations(page, '[data-testid="resource-events"]'),
  ).toEqual([]);

  // bob, of another tenant: the app does not exist for him, and no log is read.
  const token = await page.request
    .get('/api/auth/sandbox/refresh', {
      headers: {
        'x-kupe-sandbox-user': 'bob',
        'x-requested-with': 'XMLHttpRequest',
      },
    })
    .then(async r => (await r.json()).backstageIdentity.token as string);
  const bob = await page.request.get(LOGS, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(bob.status()).toBe(404);
});
