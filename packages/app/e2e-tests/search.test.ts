import { test, expect, type Page } from '@playwright/test';
import { restoreSeededAcmeWeb, SEEDED_ACME_WEB_TAGS } from './acmeWebState';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

// The tag of acme-web in dev (restored by the journey that searches for it).
const IMAGE_TAG = SEEDED_ACME_WEB_TAGS.dev;

/**
 * Searches the Argo CD applications for a term on the search page until `expected` is among
 * the results, and returns its result. The collator indexes on a schedule
 * (`search.collators.gitops.schedule`: seconds after start, then every 30 s in the sandbox),
 * so until its first run the page shows an error, and a change of the application shows after
 * the next run: the search is repeated until then.
 */
async function searchApplication(page: Page, term: string, expected: string) {
  const result = page.getByTestId('argocd-application-result').filter({
    has: page.getByRole('link', { name: expected, exact: true }),
  });
  await expect(async () => {
    await page.goto('/search');
    await page
      .getByRole('navigation', { name: 'filter by type' })
      .getByRole('button', { name: /Argo CD applications/ })
      .click();
    await page.getByTestId('search-bar-next').locator('input').fill(term);
    await expect(result).toBeVisible({ timeout: 5_000 });
    await expect(result.getByTestId('sync-status')).toHaveText(/Synced/, {
      timeout: 1_000,
    });
  }, `a search for ${term} finds ${expected}, Synced`).toPass({
    timeout: 90_000,
    intervals: [2_000, 5_000],
  });
  return result;
}

test('a developer finds an application by its image tag and opens its GitOps tab', async ({
  page,
}) => {
  // dev runs 1.3.0 as seeded, whatever an earlier journey released there
  await restoreSeededAcmeWeb(page.request, ['dev']);
  await signInAs(page, 'Alice Schmidt');

  const dev = await searchApplication(page, IMAGE_TAG, 'acme-web-dev');
  await expect(dev).toContainText('Environment: dev');
  await expect(dev).toContainText('Tenant: acme');
  await expect(dev.getByTestId('sync-status')).toHaveText(/Synced/);
  await expect(dev.getByTestId('health-status')).toHaveText(/Health/);
  // The match is shown: the line of the images with the tag marked.
  await expect(
    dev.getByTestId('argocd-application-result-match').locator('mark').first(),
  ).toBeVisible();
  // Exact, first and only: every result runs the tag (an image `…:1.3.0`), none is another
  // version that shares its digits, and the count above the results says how many.
  const results = page.getByTestId('argocd-application-result');
  const count = await results.count();
  for (let i = 0; i < count; i++) {
    await expect(results.nth(i)).toContainText(`:${IMAGE_TAG}`);
  }
  // The whole results page, Backstage's type list and filters around our items included.
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({
    path: 'docs/screenshots/search.png',
    fullPage: true,
  });

  await dev.getByRole('link', { name: 'acme-web-dev', exact: true }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/acme-web\/gitops(\?|$)/,
  );
  // the link names the app: the tab opens its panel
  await expect(
    page
      .getByTestId('gitops-app-panel')
      .getByRole('button', { name: 'acme-web-dev', expanded: true }),
  ).toBeVisible();

  // A tag that runs nowhere finds nothing, rather than every app that shares a digit.
  await page.goto(
    `/search?query=${encodeURIComponent('9.9.9')}&types[]=argocd-application`,
  );
  await expect(page.getByText('Sorry, no results were found')).toBeVisible();
  await expect(results).toHaveCount(0);
});

test('a member of another tenant does not find the acme applications', async ({
  page,
}) => {
  await signInAs(page, 'Bob Okafor');

  // Bob's own applications are found, so the index is there...
  await searchApplication(page, 'globex-shop', 'globex-shop-dev');

  // ...and the acme ones are not, neither by tag nor by name. The term comes in the address,
  // so no result on the page is left from an earlier or an empty query.
  for (const term of [IMAGE_TAG, 'acme-web']) {
    await page.goto(
      `/search?query=${encodeURIComponent(term)}&types[]=argocd-application`,
    );
    await expect(
      page.getByTestId('search-bar-next').locator('input'),
    ).toHaveValue(term);
    await expect(
      page
        .getByTestId('argocd-application-result')
        .first()
        .or(page.getByText('Sorry, no results were found')),
    ).toBeVisible();
    await expect(
      page
        .getByTestId('argocd-application-result')
        .filter({ hasText: /acme-/ }),
    ).toHaveCount(0);
    await expect(
      page.getByRole('link', { name: /^acme-(web|api)-/ }),
    ).toHaveCount(0);
  }
});
