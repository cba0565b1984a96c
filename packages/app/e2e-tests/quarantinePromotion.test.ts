import { test, expect, type APIRequestContext } from '@playwright/test';
import {
  ACME_WEB_IMAGE as IMAGE,
  acmeGitOpsPullRequestCount,
  portalToken,
  pushImageTags,
  restoreSeededAcmeWeb,
} from './acmeWebState';
import { promotionCard } from './gitopsTab';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/*
 * A broken release reaches acme-web's dev (a commit to acme's GitOps repository; dev syncs
 * automatically). Alice quarantines it on the tab with a reason; from then on promoting dev
 * to staging is refused with that reason, on the promotion card and by the backend's preview
 * and promotion routes, and no pull request is opened. The journey starts and ends with dev
 * and staging as seeded and no quarantine of the version; production is never touched.
 */
const API = '/api/gitops';
const QUARANTINES = `${API}/entities/default/component/acme-web/quarantines`;
const DEV = `${API}/instances/sandbox/applications/acme-web-dev`;
const BROKEN = '1.6.0-broken';
const REASON = 'returns 500 on checkout: the payment client lost its timeout';
const REFUSAL = new RegExp(
  `^Promotion refused: ${BROKEN.replace(
    /\./g,
    '\\.',
  )} of acme-web is quarantined \\(by user:default/alice, \\d{4}-\\d\\d-\\d\\d\\): ${REASON}$`,
);

async function as(request: APIRequestContext, user: string) {
  return { Authorization: `Bearer ${await portalToken(request, user)}` };
}

/** Lifts every active quarantine of the broken version (left by an earlier, failed run). */
async function liftBroken(request: APIRequestContext, headers: object) {
  const res = await request.get(QUARANTINES, { headers });
  expect(res.status()).toBe(200);
  const items: Array<{ id: string; version: string }> = (await res.json())
    .items;
  for (const q of items.filter(item => item.version === BROKEN)) {
    const lift = await request.post(`${QUARANTINES}/${q.id}/lift`, {
      headers,
      data: { reason: 'left by an earlier run of this journey' },
    });
    expect(lift.status()).toBe(200);
  }
}

test('a broken release is quarantined and its promotion refused', async ({
  page,
  request,
}) => {
  test.setTimeout(480_000);
  const alice = await as(request, 'alice');
  await liftBroken(request, alice);
  await restoreSeededAcmeWeb(request, ['dev', 'staging']);
  await pushImageTags({ dev: BROKEN }, `Release acme-web ${BROKEN} to dev`);

  try {
    await signInAs(page, 'Alice Schmidt');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/catalog/default/component/acme-web/gitops');

    await test.step('dev runs the broken release, promotable to staging', async () => {
      const dev = await promotionCard(page, 'acme-web-dev');
      await expect(dev.getByTestId('deployed-version')).toHaveText(
        `Deployed version: acme-web:${BROKEN}`,
        { timeout: 120_000 },
      );
      await expect(dev.getByTestId('version-change')).toHaveText(
        `${IMAGE}: 1.3.0 → ${BROKEN}`,
      );
      await expect(
        dev.getByRole('button', { name: 'Promote dev to staging' }),
      ).toBeVisible();
    });

    await test.step('alice quarantines it with a reason', async () => {
      await page.getByRole('button', { name: 'Quarantine a version' }).click();
      const dialog = page.getByRole('dialog', { name: 'Quarantine a version' });
      await dialog.getByLabel(/^Version/).fill(BROKEN);
      await dialog.getByLabel(/^Reason/).fill(REASON);
      expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
      await dialog
        .getByRole('button', { name: 'Quarantine', exact: true })
        .click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId(`quarantine-${BROKEN}`)).toContainText(
        `alice: ${REASON}`,
      );
      expect(
        await seriousViolations(page, '[data-testid="quarantine-panel"]'),
      ).toEqual([]);
    });

    await test.step('promoting dev to staging is refused with the reason', async () => {
      await page.reload();
      const dev = await promotionCard(page, 'acme-web-dev');
      await expect(dev.getByTestId('promotion-reason')).toHaveText(REFUSAL, {
        timeout: 60_000,
      });
      await expect(
        dev.getByRole('button', { name: 'Promote dev to staging' }),
      ).toHaveCount(0);
      expect(
        await seriousViolations(page, '[data-testid="promotion-card"]'),
      ).toEqual([]);
    });

    await test.step('the backend refuses the preview and the promotion; no pull request is opened', async () => {
      const pullRequests = await acmeGitOpsPullRequestCount();
      const preview = await request.get(`${DEV}/promotion`, {
        headers: alice,
      });
      expect(preview.status()).toBe(200);
      const body = await preview.json();
      expect(body.promotable).toBe(false);
      expect(body.reason).toMatch(REFUSAL);

      const promote = await request.post(`${DEV}/promote`, {
        headers: alice,
        data: {},
      });
      expect(promote.status()).toBe(409);
      expect((await promote.json()).error.message).toMatch(
        new RegExp(`Promotion refused: .*${REASON}`),
      );
      expect(await acmeGitOpsPullRequestCount()).toBe(pullRequests);
    });

    await test.step('alice lifts the quarantine', async () => {
      await page
        .getByRole('button', { name: `Lift the quarantine of ${BROKEN}` })
        .click();
      const dialog = page.getByRole('dialog', {
        name: `Lift the quarantine of ${BROKEN}`,
      });
      await dialog.getByLabel(/^Reason/).fill('the journey is over');
      await dialog.getByRole('button', { name: 'Lift', exact: true }).click();
      await expect(page.getByTestId('quarantine-panel')).toContainText(
        `${BROKEN}, lifted by alice: the journey is over`,
      );
    });
  } finally {
    // As it was: no quarantine of the version, dev and staging as seeded.
    await liftBroken(request, alice);
    await restoreSeededAcmeWeb(request, ['dev', 'staging']);
  }
});
