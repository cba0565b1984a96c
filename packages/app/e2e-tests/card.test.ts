import { test, expect, type Locator, type Page } from '@playwright/test';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/** Whether the whole element lies inside the viewport as the page opened, without scrolling. */
async function inFirstScreen(page: Page, element: Locator): Promise<boolean> {
  const box = await element.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  const scrolled = await page.evaluate(() => window.scrollY);
  return (
    scrolled === 0 &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= viewport.width &&
    box.y + box.height <= viewport.height
  );
}

test('the GitOps card answers what runs where at a glance, on the first screen at 1280x720', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-web');

  const card = page.getByTestId('gitops-card');
  const rows = card.getByTestId('gitops-app-row');
  await expect(rows).toHaveCount(3);
  // promotion order, one row per environment
  const environments = await card
    .getByRole('rowgroup', { name: /^Environment / })
    .evaluateAll(groups => groups.map(g => g.getAttribute('aria-label')));
  expect(environments).toEqual([
    'Environment dev',
    'Environment staging',
    'Environment production',
  ]);
  for (const name of ['acme-web-dev', 'acme-web-staging', 'acme-web-prod']) {
    const row = rows.filter({ hasText: name });
    await expect(row.getByTestId('sync-status')).toHaveText(/Synced|OutOfSync/);
    await expect(row.getByTestId('health-status')).toHaveText(/\w/);
    // what runs: the image tag
    await expect(row.getByTestId('running-version')).toHaveText(/\d+\.\d+/);
    for (const part of [
      row.getByTestId('sync-status'),
      row.getByTestId('health-status'),
      row.getByTestId('running-version'),
    ]) {
      expect(
        await inFirstScreen(page, part),
        `${name}'s ${await part.getAttribute(
          'data-testid',
        )} is on the first screen`,
      ).toBe(true);
    }
    // a destination stays on one line: it never breaks at a hyphen
    const destination = row.getByTestId('destination');
    const lineHeight = await destination.evaluate(el =>
      parseFloat(getComputedStyle(el).lineHeight),
    );
    expect((await destination.boundingBox())!.height).toBeLessThan(
      lineHeight * 1.5,
    );
  }

  expect(await seriousViolations(page, '[data-testid="gitops-card"]')).toEqual(
    [],
  );
  await card.screenshot({ path: 'docs/screenshots/gitops-card.png' });

  // acme-api's production runs a long version and is Degraded: still every column in view,
  // nothing scrolled away sideways.
  await page.goto('/catalog/default/component/acme-api');
  await expect(rows).toHaveCount(2);
  const table = card.getByTestId('gitops-card-table');
  expect(
    await table.evaluate(el => el.scrollWidth - el.clientWidth),
    'the card table does not scroll sideways at 1280x720',
  ).toBeLessThanOrEqual(0);
  for (const synced of await card.getByTestId('last-synced').all()) {
    expect(await inFirstScreen(page, synced)).toBe(true);
  }
});

test('a member of another tenant is told whose applications these are', async ({
  page,
}) => {
  await signInAs(page, 'Bob Okafor');
  await page.goto('/catalog/default/component/acme-web');
  const card = page.getByTestId('gitops-card');
  await expect(card).toContainText(
    'belong to tenant acme, which you are not a member of',
  );
  await expect(card.getByTestId('gitops-app-row')).toHaveCount(0);
  expect(await seriousViolations(page, '[data-testid="gitops-card"]')).toEqual(
    [],
  );
});
