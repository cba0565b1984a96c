import { test, expect, type Page } from '@playwright/test';
import { ACME_WEB_IMAGE as IMAGE, restoreSeededAcmeWeb } from './acmeWebState';
import { promotionCard } from './gitopsTab';
import { signInToSandboxGit } from './sandboxGitPages';
import { signInAs } from './signInAs';

/** An action on the sandbox's pull request page as a seeded user. */
async function act(pr: Page, user: string, button: string) {
  await signInToSandboxGit(pr, user);
  await pr.getByRole('button', { name: button }).click();
}

/**
 * Issue 14, cases 4 and 6 on the sandbox: staging runs 1.3.0 while production's overlay holds
 * 1.4.0, so promoting staging would move production backwards. Alice has to confirm the
 * downgrade by name; the pull request the portal opens needs an approval by someone from acme
 * other than her: her own approval leaves the four-eyes check pending, Arjun's passes it.
 */
test('alice requests a production downgrade: it needs her named confirmation, and arjun’s approval, not hers, makes it mergeable', async ({
  page,
}) => {
  test.setTimeout(420_000);
  // dev and staging run 1.3.0, production's overlay says 1.4.0 (it runs 1.3.0, manual sync)
  await restoreSeededAcmeWeb(page.request, ['dev', 'staging', 'prod']);

  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-web/gitops');
  const staging = await promotionCard(page, 'acme-web-staging');

  await test.step('the preview names the downgrade and the button says it', async () => {
    await expect(staging.getByTestId('promotion-downgrade')).toContainText(
      `would go back from what it runs now (${IMAGE} 1.4.0 → 1.3.0)`,
      { timeout: 90_000 },
    );
    await expect(
      staging.getByRole('button', { name: /^Promote staging to / }),
    ).toHaveCount(0);
  });

  const link =
    await test.step('opening it needs the confirmation that names it', async () => {
      await staging
        .getByRole('button', { name: /^Downgrade .* to staging's version$/ })
        .click();
      const dialog = page.getByRole('dialog');
      const open = dialog.getByRole('button', {
        name: 'Open downgrade pull request',
      });
      await expect(open).toBeDisabled();
      await dialog
        .getByRole('checkbox', {
          name: new RegExp(`^Downgrade .*: ${IMAGE} 1\\.4\\.0 → 1\\.3\\.0$`),
        })
        .check();
      await expect(open).toBeEnabled();
      await open.click();
      const outcome = staging.getByTestId('promote-outcome');
      await expect(outcome).toContainText('Pull request for acme-web-prod', {
        timeout: 60_000,
      });
      return outcome.getByRole('link');
    });

  const [pr] = await Promise.all([
    page.context().waitForEvent('page'),
    link.click(),
  ]);
  await pr.waitForLoadState();
  // the sandbox's pages show a repository only to a signed-in member of its tenant
  await signInToSandboxGit(pr, 'alice');
  await expect(pr).toHaveURL(/\/acme\/gitops\/pull\/\d+/);
  await expect(pr.getByRole('heading', { level: 1 })).toContainText(
    'Downgrade',
  );
  const checks = pr.getByTestId('checks');
  const mergeStatus = pr.getByTestId('merge-status');

  await test.step('alice’s own approval leaves it blocked', async () => {
    await expect(checks).toContainText(
      'kupe/four-eyes: pending (Requested by user:default/alice (acme, ',
    );
    await act(pr, 'alice', 'Approve');
    await expect(pr.getByRole('status')).toHaveText(
      'You approved this pull request.',
    );
    // the portal's check runs every few seconds on the sandbox: give it two runs
    await pr.waitForTimeout(7_000);
    await pr.reload();
    await expect(checks).toContainText(
      'needs an approval by another member of acme',
    );
    await expect(mergeStatus).toHaveText(
      'Merging is blocked: Required status check "kupe/four-eyes" is pending.',
    );
    await act(pr, 'alice', 'Merge pull request');
    await expect(pr.getByRole('alert')).toContainText(
      'Required status check "kupe/four-eyes" is pending.',
    );
  });

  await test.step('arjun’s approval passes the check, and it merges', async () => {
    await act(pr, 'arjun', 'Approve');
    await expect(pr.getByRole('status')).toHaveText(
      'You approved this pull request.',
    );
    await expect
      .poll(
        async () => {
          await pr.reload();
          return mergeStatus.textContent();
        },
        {
          message: 'the portal passes kupe/four-eyes after arjun approved',
          timeout: 60_000,
          intervals: [2_000],
        },
      )
      .toContain('can be merged');
    await expect(checks).toContainText(
      'kupe/four-eyes: success (Requested by user:default/alice (acme, ',
    );
    await expect(checks).toContainText('approved by arjun');
    await act(pr, 'alice', 'Merge pull request');
    await expect(pr.getByRole('status')).toHaveText(
      'Pull request successfully merged and closed.',
    );
  });
  await pr.close();
});
