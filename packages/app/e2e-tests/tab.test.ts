import { test, expect } from '@playwright/test';
import { restoreSeededAcmeWeb } from './acmeWebState';
import { appPanel, inFirstScreen } from './gitopsTab';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

const TAB = '/catalog/default/component/acme-web/gitops';

test('the GitOps tab opens on an overview of every environment, whole on the first screen at 1280x720', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // dev and staging run 1.3.0, prod runs 1.3.0 with 1.4.0 waiting for its manual sync
  await restoreSeededAcmeWeb(page.request, ['dev', 'staging', 'prod']);
  await page.setViewportSize({ width: 1280, height: 720 });
  await signInAs(page, 'Alice Schmidt');
  await page.goto(TAB);

  const overview = page.getByRole('table', { name: 'Environments' });
  const rows = overview.getByTestId('overview-row');
  await expect(rows).toHaveCount(3);
  // promotion order, one row per environment
  expect(
    await rows.evaluateAll(all => all.map(r => r.getAttribute('aria-label'))),
  ).toEqual([
    'dev: acme-web-dev',
    'staging: acme-web-staging',
    'production: acme-web-prod',
  ]);
  const prod = rows.filter({ hasText: 'acme-web-prod' });
  await expect(prod.getByTestId('sync-status')).toHaveText(/OutOfSync/);
  await expect(prod.getByTestId('health-status')).toHaveText(/Healthy/);
  await expect(prod.getByTestId('overview-runs')).toHaveText('1.3.0');
  // staging runs what prod runs; the comparison comes from the promotion previews
  await expect(prod.getByTestId('pipeline-comparison')).toHaveText(
    'Runs what staging runs',
    { timeout: 60_000 },
  );
  await expect(prod.getByTestId('overview-waiting')).toContainText(
    'acme-web 1.4.0: in Git, deploys on the next sync',
  );
  // the last deploy names who and when once the details are read
  await expect(
    rows.first().getByTestId('overview-last-deploy').locator('time'),
  ).toBeVisible();

  // the previews settle: no comparison left being read
  await expect(overview.getByText('Comparing…')).toHaveCount(0, {
    timeout: 60_000,
  });
  expect(
    await inFirstScreen(page, overview),
    'the whole overview is on the first screen',
  ).toBe(true);
  // every panel starts collapsed: no history table until one is opened
  await expect(
    page.getByRole('table', { name: /^Deployment history/ }),
  ).toHaveCount(0);
  expect(
    await seriousViolations(page, '[data-testid="gitops-content"]'),
  ).toEqual([]);
  await page.screenshot({ path: 'docs/screenshots/gitops-tab.png' });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: test.info().outputPath('tab-1440x900.png') });

  // one click opens an app's detail: problems, actions, promotion, history
  await page.setViewportSize({ width: 1280, height: 720 });
  await overview.getByRole('button', { name: 'acme-web-staging' }).click();
  const staging = appPanel(page, 'acme-web-staging');
  await expect(
    staging.getByRole('table', {
      name: 'Deployment history of acme-web-staging',
    }),
  ).toBeVisible();
  const promotion = staging.getByRole('region', {
    name: /\(acme-web-staging\)$/,
  });
  await expect(promotion).toBeVisible();
  // a settled preview is not out of date
  await expect(promotion.getByTestId('promotion-stale')).toHaveCount(0, {
    timeout: 60_000,
  });
  expect(
    await seriousViolations(page, '[data-testid="gitops-content"]'),
  ).toEqual([]);
  await page.screenshot({
    path: test.info().outputPath('tab-open-1280x720.png'),
  });
});

test('?application= opens that application and brings it into view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signInAs(page, 'Alice Schmidt');
  // as the search results and the rollout notifications link
  await page.goto(
    `${TAB}?application=${encodeURIComponent('sandbox:argocd/acme-web-prod')}`,
  );
  const prod = appPanel(page, 'acme-web-prod');
  await expect(
    prod.getByRole('button', { name: 'acme-web-prod', expanded: true }),
  ).toBeVisible();
  await expect(
    prod.getByRole('table', { name: 'Deployment history of acme-web-prod' }),
  ).toBeVisible();
  await expect(
    prod.getByRole('heading', { name: 'acme-web-prod', exact: true }),
  ).toBeInViewport();
  // the others stay collapsed
  await expect(
    appPanel(page, 'acme-web-dev').getByRole('button', {
      name: 'acme-web-dev',
      expanded: false,
    }),
  ).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('tab-linked-1280x720.png'),
  });
});
