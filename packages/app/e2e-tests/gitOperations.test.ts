import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  ACME_WEB_IMAGE as IMAGE,
  pushImageTags,
  restoreSeededAcmeWeb,
} from './acmeWebState';
import { appPanel, promotionCard } from './gitopsTab';
import { signInToSandboxGit } from './sandboxGitPages';
import { signInAs } from './signInAs';

/** A developer releases acme-web `tag` to one environment by a commit to the GitOps repo. */
async function release(environment: 'dev' | 'staging', tag: string) {
  const sha = await pushImageTags(
    { [environment]: tag },
    `Release acme-web ${tag} to ${environment}`,
  );
  expect(
    sha,
    `a new commit sets acme-web ${environment} to ${tag} (it had another tag)`,
  ).toBeDefined();
  return sha!;
}

/**
 * Opens the pull request the portal linked (a new tab, as external links do), approves it
 * and merges it as Arjun, another member of acme, on the sandbox's pull request page.
 */
async function approveAndMerge(page: Page, link: Locator) {
  const [pr] = await Promise.all([
    page.context().waitForEvent('page'),
    link.click(),
  ]);
  await pr.waitForLoadState();
  await signInToSandboxGit(pr, 'arjun');
  await expect(pr).toHaveURL(/\/acme\/gitops\/pull\/\d+/);
  await expect(pr.getByRole('heading', { level: 1 })).toBeVisible();
  await pr.getByRole('button', { name: 'Approve' }).click();
  await expect(pr.getByRole('status')).toHaveText(
    'You approved this pull request.',
  );
  await pr.getByRole('button', { name: 'Merge pull request' }).click();
  await expect(pr.getByRole('status')).toHaveText(
    'Pull request successfully merged and closed.',
  );
  await pr.close();
}

async function expectDeployed(page: Page, appName: string, label: string) {
  await expect(
    appPanel(page, appName).getByTestId('sync-status').first(),
  ).toHaveText(/Synced/, { timeout: 90_000 });
  await expect(
    (await promotionCard(page, appName)).getByTestId('deployed-version'),
  ).toHaveText(`Deployed version: ${label}`, { timeout: 90_000 });
}

/**
 * Issue 7 end to end on the sandbox, through the portal and the sandbox's Git host: a release
 * in dev is promoted to staging by pull request, merged, deployed; staging is rolled back by a
 * Git revert (pull request, merged) and runs the previous version again; a broken release in
 * dev fails its rollout validation and notifies the owning team.
 */
test('a developer promotes dev to staging, rolls staging back by revert, and sees a failed rollout validated and notified', async ({
  page,
}) => {
  test.setTimeout(480_000);
  // dev and staging run 1.3.0, whatever an earlier journey or attempt left behind
  await restoreSeededAcmeWeb(page.request, ['dev', 'staging']);
  // a new release reaches dev (auto-sync) through Git
  await release('dev', '1.5.0');

  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-web/gitops');

  await test.step('the preview shows what promoting dev to staging moves', async () => {
    const dev = await promotionCard(page, 'acme-web-dev');
    await expect(dev.getByTestId('deployed-version')).toHaveText(
      'Deployed version: acme-web:1.5.0',
      { timeout: 90_000 },
    );
    await expect(dev.getByTestId('next-version')).toHaveText(
      'staging (acme-web-staging) runs acme-web:1.3.0',
    );
    await expect(dev.getByTestId('version-change')).toHaveText(
      `${IMAGE}: 1.3.0 → 1.5.0`,
    );
    await expect(
      dev.getByRole('list', {
        name: 'Commits a promotion of acme-web-dev moves',
      }),
    ).toContainText('Release acme-web 1.5.0 to dev');
    await expect(dev.getByTestId('unified-diff')).toContainText(
      '+    newTag: "1.5.0"',
    );
    await expect(
      (
        await promotionCard(page, 'acme-web-staging')
      ).getByTestId('deployed-version'),
    ).toHaveText('Deployed version: acme-web:1.3.0');

    // dev's promotion card, as the README shows it
    await dev.screenshot({ path: 'docs/screenshots/gitops-promotion.png' });
  });

  await test.step('promote dev to staging: a pull request, merged, deploys 1.5.0 to staging', async () => {
    const dev = await promotionCard(page, 'acme-web-dev');
    await dev.getByRole('button', { name: 'Promote dev to staging' }).click();
    const confirm = page.getByRole('dialog', {
      name: 'Promote dev to staging?',
    });
    await expect(confirm).toContainText(
      'A pull request sets acme-web-staging to acme-web:1.5.0',
    );
    await confirm.getByRole('button', { name: 'Open pull request' }).click();
    const outcome = dev.getByTestId('promote-outcome');
    await expect(outcome).toContainText('Pull request for acme-web-staging', {
      timeout: 60_000,
    });
    await approveAndMerge(page, outcome.getByRole('link'));
    await expectDeployed(page, 'acme-web-staging', 'acme-web:1.5.0');
    await expect(
      appPanel(page, 'acme-web-staging').getByTestId('health-status').first(),
    ).toHaveText(/Healthy/, { timeout: 90_000 });
  });

  await test.step('roll staging back by revert: the previous version returns', async () => {
    const staging = appPanel(page, 'acme-web-staging');
    // the newest earlier deployment; the one that runs offers no rollback
    await staging
      .getByRole('table', { name: 'Deployment history of acme-web-staging' })
      .getByRole('button', {
        name: /^Roll back acme-web-staging to \w+ by Git revert$/,
      })
      .first()
      .click();
    const dialog = page.getByRole('dialog', {
      name: /^Roll back acme-web-staging to /,
    });
    await expect(dialog.getByTestId('auto-sync-note')).toContainText(
      'acme-web-staging syncs automatically',
    );
    await expect(dialog.getByTestId('revert-summary')).toContainText(
      'Reverts 1 commit',
      { timeout: 60_000 },
    );
    await expect(dialog.getByTestId('unified-diff')).toContainText(
      '+    newTag: "1.3.0"',
    );
    await dialog
      .getByRole('button', { name: 'Open revert pull request' })
      .click();
    const outcome = dialog.getByTestId('revert-outcome');
    await expect(outcome).toContainText('Pull request reverting 1 commit', {
      timeout: 60_000,
    });
    await approveAndMerge(page, outcome.getByRole('link'));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expectDeployed(page, 'acme-web-staging', 'acme-web:1.3.0');
  });

  await test.step('a Degraded rollout in dev fails validation and notifies the owning team', async () => {
    const broken = (await release('dev', '1.6.0-broken')).slice(0, 7);
    const dev = appPanel(page, 'acme-web-dev');
    await expect(dev.getByTestId('health-status').first()).toHaveText(
      /Degraded/,
      { timeout: 90_000 },
    );
    // The backend decides within its Degraded grace period; the history reloads its rollouts
    // while one is validating, so the outcome appears without reloading the page.
    await expect(
      dev
        .getByRole('table', { name: 'Deployment history of acme-web-dev' })
        .getByRole('row')
        .filter({ hasText: 'Release acme-web 1.6.0-broken to dev' })
        .filter({ hasText: broken })
        .getByTestId('rollout-validation'),
    ).toHaveText(/^Failed: Degraded/, { timeout: 120_000 });

    // Alice is in acme-devs, which owns acme-web; the notification of this rollout names
    // its revision (an earlier attempt's would name another)
    await expect(async () => {
      await page.goto('/notifications');
      await expect(
        page.getByText('acme-web dev rollout failed').first(),
      ).toBeVisible({ timeout: 5_000 });
      await expect(
        page.getByText(
          `acme-web-dev on Argo CD instance sandbox, revision ${broken}`,
        ),
      ).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 90_000, intervals: [3_000] });
  });
});
