import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type APIRequestContext } from '@playwright/test';
import { openApp } from './gitopsTab';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/**
 * alice deploys a new version of acme-checkout to staging, where an Argo Rollouts canary
 * takes it through its steps (20 %, a 10 s pause, 50 %, an analysis, a pause until promoted),
 * promotes it at the manual pause and sees it complete; bob gets 404 on the promote route.
 * Each run deploys a tag of its own, so an earlier run's state does not matter.
 */

const APP = 'acme-checkout-staging';
const ROLLOUT_FILE = 'apps/acme-checkout/staging/rollout.yaml';
const PROMOTE = `/api/gitops/instances/sandbox/applications/${APP}/argo-rollouts/acme-checkout/acme-checkout/promote`;

/** Commits a new image tag of acme-checkout to acme's GitOps repository as alice. */
function pushCanaryImage(tag: string) {
  // alice's published sandbox token (SANDBOX_GITHUB_USER_TOKENS of @kupe/gitops-sandbox)
  const token = `ghp_kupeSandboxalice${'0'.repeat(20)}`;
  const dir = mkdtempSync(join(tmpdir(), 'kupe-e2e-rollouts-'));
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, stdio: 'pipe' }).toString();
    git(
      'clone',
      '--quiet',
      `http://alice:${token}@127.0.0.1:7008/acme/gitops.git`,
      '.',
    );
    const file = join(dir, ROLLOUT_FILE);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /(image: registry\.acme\.example\/acme-checkout:)\S+/,
        `$1${tag}`,
      ),
    );
    git(
      '-c',
      'user.name=Alice Schmidt',
      '-c',
      'user.email=alice@acme.example',
      'commit',
      '--quiet',
      '-am',
      `Deploy acme-checkout ${tag} to staging`,
    );
    git('push', '--quiet', 'origin', 'HEAD:main');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

test('alice follows a canary of acme-checkout through its steps and promotes it; bob gets 404', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const tag = `2.4.${Date.now()}`;
  pushCanaryImage(tag);

  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-checkout/gitops');
  const panel = await openApp(page, APP);
  const rollouts = panel.getByRole('region', {
    name: `Argo Rollouts of ${APP}`,
  });
  await expect(rollouts.getByTestId('argo-rollout')).toBeVisible({
    timeout: 60_000,
  });

  // A manual app: the new commit waits for a sync.
  await panel.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(panel.getByTestId('sync-status').first()).toHaveText(
    /OutOfSync/,
    { timeout: 60_000 },
  );
  await panel.getByRole('button', { name: 'Sync', exact: true }).click();
  await page
    .getByRole('dialog', { name: `Sync ${APP}` })
    .getByRole('button', { name: 'Start sync' })
    .click();

  // The canary starts beside the stable version and walks its steps.
  const rollout = rollouts.getByTestId('argo-rollout');
  await expect(rollout).toContainText(`acme-checkout:${tag}`, {
    timeout: 60_000,
  });
  await expect(rollout).toContainText('Paused for 10s at this step', {
    timeout: 60_000,
  });
  await expect(rollout).toContainText('Canary 20% · stable 80%');
  expect(await seriousViolations(page, '[data-testid="argo-rollout"]')).toEqual(
    [],
  );
  await expect(rollout).toContainText('Step 5 of 6', { timeout: 90_000 });
  await expect(rollout).toContainText('Paused until promoted');
  await expect(rollout).toContainText('Canary 50% · stable 50%');
  // (a retry after a failed attempt also shows that attempt's canary's run)
  await expect(
    rollout
      .getByTestId('analysis-run')
      .filter({ hasText: 'Successful' })
      .first(),
  ).toBeVisible();

  // bob, of another tenant, cannot promote it: the app does not exist for him.
  const bob = await page.request.post(PROMOTE, {
    headers: {
      Authorization: `Bearer ${await portalToken(page.request, 'bob')}`,
    },
  });
  expect(bob.status()).toBe(404);

  // alice promotes at the manual pause and sees the canary become stable.
  await rollout.getByRole('button', { name: 'Promote', exact: true }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Promote acme-checkout past its pause?',
  });
  // Faded in first: mid-transition its text is at part opacity, which axe reports as too
  // little contrast (MUI fades the dialog's container, its parent).
  await expect(dialog.locator('xpath=..')).toHaveCSS('opacity', '1');
  expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(rollout).toContainText('Fully promoted', { timeout: 60_000 });
  await expect(rollout).toContainText(
    `Stable: registry.acme.example/acme-checkout:${tag}`,
  );
  await expect(panel.getByTestId('health-status').first()).toHaveText(
    /Healthy/,
    { timeout: 60_000 },
  );
});
