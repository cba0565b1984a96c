import { test, expect, type APIRequestContext } from '@playwright/test';
import { portalToken } from './acmeWebState';
import { openApp } from './gitopsTab';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/*
 * The sandbox seeds acme-api-prod running 2.0.0-broken (apps/acme-api/values-prod.yaml at the
 * branch head) after 1.7.2 (c1). Alice quarantines 2.0.0-broken; the card and the tab flag
 * it, and an Argo CD rollback or a revert back to it is refused with her reason once prod runs
 * 1.7.2 again. Bob (globex) gets 404s. The journey leaves acme-api as it found it: the
 * quarantine lifted and prod rolled back to 2.0.0-broken.
 */
const API = '/api/gitops';
const QUARANTINES = `${API}/entities/default/component/acme-api/quarantines`;
const PROD = `${API}/instances/sandbox/applications/acme-api-prod`;
const REASON =
  'crashes on start: the new config loader needs a file prod lacks';

interface QuarantineBody {
  id: string;
  version: string;
  deployedIn?: Array<{ name: string; historyId: number; revision?: string }>;
}

async function as(request: APIRequestContext, user: string) {
  const token = await portalToken(request, user);
  return { Authorization: `Bearer ${token}` };
}

async function liftAll(request: APIRequestContext, headers: object) {
  const res = await request.get(QUARANTINES, { headers });
  expect(res.status()).toBe(200);
  for (const q of (await res.json()).items as QuarantineBody[]) {
    await request.post(`${QUARANTINES}/${q.id}/lift`, {
      headers,
      data: { reason: 'left by an earlier run of the quarantine journey' },
    });
  }
}

async function deployedRevision(request: APIRequestContext, headers: object) {
  const res = await request.get(PROD, { headers });
  expect(res.status()).toBe(200);
  return (await res.json()).summary.deployedRevision as string | undefined;
}

test('alice quarantines a broken release, sees it flagged, and cannot roll back to it', async ({
  page,
  request,
}) => {
  test.setTimeout(480_000);
  const alice = await as(request, 'alice');
  await liftAll(request, alice);

  await signInAs(page, 'Alice Schmidt');
  await page.setViewportSize({ width: 1280, height: 720 });

  await test.step('quarantine 2.0.0-broken with a reason on the tab', async () => {
    await page.goto('/catalog/default/component/acme-api/gitops');
    await page.getByRole('button', { name: 'Quarantine a version' }).click();
    const dialog = page.getByRole('dialog', { name: 'Quarantine a version' });
    await dialog.getByLabel(/^Version/).fill('2.0.0-broken');
    await dialog.getByLabel(/^Reason/).fill(REASON);
    expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
    await dialog
      .getByRole('button', { name: 'Quarantine', exact: true })
      .click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId('quarantine-2.0.0-broken');
    await expect(row).toContainText(`alice: ${REASON}`);
    await expect(row).toContainText('production');
    await expect(row).toContainText(/acme-api-prod #\d+/, { timeout: 60_000 });
    await expect(page.getByTestId('quarantine-banner')).toContainText(
      'Quarantined 2.0.0-broken still runs in production',
    );
    expect(
      await seriousViolations(page, '[data-testid="quarantine-panel"]'),
    ).toEqual([]);
  });

  await test.step('the card flags it', async () => {
    await page.goto('/catalog/default/component/acme-api');
    const banner = page
      .getByTestId('gitops-card')
      .getByTestId('quarantine-banner');
    await expect(banner).toContainText(
      'Quarantined 2.0.0-broken still runs in production',
    );
    expect(
      await seriousViolations(page, '[data-testid="gitops-card"]'),
    ).toEqual([]);
  });

  const quarantine: QuarantineBody = (
    await (await request.get(QUARANTINES, { headers: alice })).json()
  ).items[0];
  const broken = quarantine.deployedIn!.filter(
    d => d.name === 'acme-api-prod' && d.revision,
  );
  const brokenRevisions = new Set(broken.map(d => d.revision));
  const history: Array<{ id: number; revision?: string }> = (
    await (await request.get(PROD, { headers: alice })).json()
  ).history;
  const good = history.find(
    e => e.revision && !brokenRevisions.has(e.revision),
  )!;
  const brokenEntry = broken[broken.length - 1];
  const short = (revision: string) => revision.slice(0, 7);

  await test.step('prod rolls back to 1.7.2, which is not quarantined', async () => {
    await page.goto('/catalog/default/component/acme-api/gitops');
    const prod = await openApp(page, 'acme-api-prod');
    await prod
      .getByRole('button', {
        name: `Argo CD rollback of acme-api-prod to ${short(good.revision!)}`,
      })
      .first()
      .click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Confirm Argo CD rollback' })
      .click();
    // Other statuses share the panel (the preview may be announced out of
    // date while the rollback lands), so look for this one by its text.
    await expect(
      prod
        .getByRole('status')
        .filter({ hasText: 'Argo CD rollback of acme-api-prod' })
        .first(),
    ).toBeVisible();
    await expect
      .poll(() => deployedRevision(request, alice), { timeout: 90_000 })
      .toBe(good.revision);
  });

  await test.step('rolling back to 2.0.0-broken is refused with the reason, by Argo CD and by revert', async () => {
    await page.reload();
    const prod = await openApp(page, 'acme-api-prod');
    const brokenShort = short(brokenEntry.revision!);
    await prod
      .getByRole('button', {
        name: `Argo CD rollback of acme-api-prod to ${brokenShort}`,
      })
      .first()
      .click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Confirm Argo CD rollback' })
      .click();
    const refusal = prod.getByRole('alert').filter({ hasText: 'quarantined' });
    await expect(refusal).toContainText(
      /Argo CD rollback of acme-api-prod failed: Rolling acme-api-prod back to history entry \d+ refused: 2\.0\.0-broken of acme-api is quarantined/,
    );
    await expect(refusal).toContainText(REASON);
    expect(await deployedRevision(request, alice)).toBe(good.revision);

    await prod
      .getByRole('button', {
        name: `Roll back acme-api-prod to ${brokenShort} by Git revert`,
      })
      .first()
      .click();
    const dialog = page.getByRole('dialog', {
      name: /^Roll back acme-api-prod to /,
    });
    await expect(dialog.getByRole('alert')).toContainText(
      /Could not plan the revert: Rolling acme-api-prod back to \w+ refused: 2\.0\.0-broken of acme-api is quarantined/,
      { timeout: 60_000 },
    );
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  await test.step('bob sees no quarantine of acme and cannot lift it', async () => {
    const bob = await as(request, 'bob');
    expect((await request.get(QUARANTINES, { headers: bob })).status()).toBe(
      404,
    );
    const lift = await request.post(`${QUARANTINES}/${quarantine.id}/lift`, {
      headers: bob,
      data: { reason: 'not mine' },
    });
    expect(lift.status()).toBe(404);
    expect(
      (
        await request.get(`${API}/tenants/acme/quarantines`, { headers: bob })
      ).status(),
    ).toBe(404);
  });

  await test.step('alice lifts the quarantine with a reason', async () => {
    await page.goto('/catalog/default/component/acme-api/gitops');
    await page
      .getByRole('button', { name: 'Lift the quarantine of 2.0.0-broken' })
      .click();
    const dialog = page.getByRole('dialog', {
      name: 'Lift the quarantine of 2.0.0-broken',
    });
    await dialog.getByLabel(/^Reason/).fill('the config file is in prod now');
    await dialog.getByRole('button', { name: 'Lift', exact: true }).click();
    await expect(page.getByTestId('quarantine-panel')).toContainText(
      'No version is quarantined.',
    );
    await expect(page.getByTestId('quarantine-panel')).toContainText(
      '2.0.0-broken, lifted by alice: the config file is in prod now',
    );
  });

  // As it was: prod runs 2.0.0-broken again (allowed once lifted).
  const restore = await request.post(`${PROD}/rollback`, {
    headers: alice,
    data: { id: brokenEntry.historyId },
  });
  expect(restore.status()).toBe(200);
  await expect
    .poll(() => deployedRevision(request, alice), { timeout: 90_000 })
    .toBe(brokenEntry.revision);
});
