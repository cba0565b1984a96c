import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { portalToken, withAcmeGitOps } from './acmeWebState';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/*
 * acme-storefront (packages/gitops-sandbox/src/seed/seedApplicationSets.ts): its previews come
 * from the ApplicationSet acme-storefront-previews, one app per directory under previews/ of
 * acme's GitOps repository (previews/_* excluded); dev and staging are children of the app of
 * apps acme-storefront-envs. This journey adds a directory of its own (a name no earlier run
 * used) and removes it again at the end, so nothing it leaves behind changes another journey.
 */
const SET = 'acme-storefront-previews';
const setApi = (app: string) =>
  `/api/gitops/instances/sandbox/applications/${app}/applicationset`;

/** Adds (or, with `remove`, deletes) `previews/<name>` in acme's repository, pushed as Alice. */
async function pushPreview(name: string, remove = false): Promise<void> {
  await withAcmeGitOps((git, dir) => {
    const folder = join(dir, 'previews', name);
    if (remove) {
      git('rm', '--quiet', '-r', `previews/${name}`);
    } else {
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        join(folder, 'kustomization.yaml'),
        [
          'resources:',
          '  - ../../apps/acme-storefront/base',
          'images:',
          '  - name: registry.acme.example/acme-storefront',
          `    newTag: "2.2.0-${name}"`,
          '',
        ].join('\n'),
      );
      git('add', '.');
    }
    git(
      '-c',
      'user.name=Alice Schmidt',
      '-c',
      'user.email=alice@acme.example',
      'commit',
      '--quiet',
      '-m',
      `${remove ? 'Remove' : 'Add'} the ${name} preview of acme-storefront`,
    );
    git('push', '--quiet', 'origin', 'HEAD:main');
  });
}

test("bob cannot see acme's ApplicationSet", async ({ request }) => {
  const as = async (user: string) => ({
    authorization: `Bearer ${await portalToken(request, user)}`,
  });
  // alice reaches the set through one of its apps
  const alice = await request.get(setApi('acme-storefront-preview-dark-mode'), {
    headers: await as('alice'),
  });
  expect(alice.status()).toBe(200);
  expect((await alice.json()).name).toBe(SET);

  // bob gets the 404 of an app that does not exist, naming nothing of acme's
  const bob = await request.get(setApi('acme-storefront-preview-dark-mode'), {
    headers: await as('bob'),
  });
  expect(bob.status()).toBe(404);
  expect(await bob.text()).not.toContain(SET);
  const none = await request.get(setApi('acme-storefront-preview-nothing'), {
    headers: await as('bob'),
  });
  expect(none.status()).toBe(404);
  expect((await bob.json()).error.name).toBe((await none.json()).error.name);

  // and acme-storefront lists none of its apps to him
  const apps = await request.get(
    '/api/gitops/entities/default/component/acme-storefront/applications',
    { headers: await as('bob') },
  );
  expect(apps.status()).toBe(200);
  expect((await apps.json()).items).toEqual([]);
});

test("a new directory in acme's GitOps repository appears as a new app under its ApplicationSet", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const preview = `e2e-${Date.now().toString(36)}`;
  const app = `acme-storefront-preview-${preview}`;
  await signInAs(page, 'Alice Schmidt');
  await page.goto('/catalog/default/component/acme-storefront');

  const card = page.getByTestId('gitops-card');
  const set = card.getByRole('rowgroup', { name: `ApplicationSet ${SET}` });
  const toggle = set.getByRole('button', { name: new RegExp(SET) });
  await expect(toggle).toContainText(/\d+ applications?/);
  await expect(
    card.getByRole('rowgroup', { name: 'App of apps acme-storefront-envs' }),
  ).toContainText('2 applications');
  await toggle.click();
  await expect(set.getByTestId('gitops-app-row').first()).toBeVisible();
  await expect(
    set.getByTestId('gitops-app-row').filter({ hasText: app }),
  ).toHaveCount(0);

  await pushPreview(preview);
  // The card follows the portal's event stream: the set's controller turns the directory into
  // an app within a reconcile, and the app shows up under its set without a reload.
  await expect(
    set.getByTestId('gitops-app-row').filter({ hasText: app }),
  ).toBeVisible({ timeout: 60_000 });
  expect(await seriousViolations(page, '[data-testid="gitops-card"]')).toEqual(
    [],
  );

  await page.goto('/catalog/default/component/acme-storefront/gitops');
  const section = page.getByRole('region', { name: `ApplicationSet ${SET}` });
  await section.getByRole('button', { name: SET, exact: true }).click();
  await expect(
    section.getByTestId('gitops-member-row').filter({ hasText: app }),
  ).toBeVisible();
  await expect(
    section.getByTestId('appset-condition').filter({
      hasText: 'ResourcesUpToDate',
    }),
  ).toContainText('All applications have been generated successfully');
  const parameters = section.getByRole('list', { name: 'git Parameters' });
  await expect(parameters).toContainText('previews/*');
  await expect(parameters).toContainText('previews/_* (excluded)');
  await expect(section).toContainText(
    'acme-storefront-preview-{{path.basename}}',
  );
  expect(
    await seriousViolations(page, '[data-testid="gitops-content"]'),
  ).toEqual([]);
  await section.screenshot({ path: 'docs/screenshots/applicationset.png' });

  // Removed from Git, the app goes too (the set's policy is sync: create, update, delete).
  await pushPreview(preview, true);
  await expect(
    section.getByTestId('gitops-member-row').filter({ hasText: app }),
  ).toHaveCount(0, { timeout: 60_000 });
});
