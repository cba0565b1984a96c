import { test, expect } from '@playwright/test';
import { seriousViolations } from './seriousViolations';
import { signInAs } from './signInAs';

/**
 * The new-service form on the sandbox, as alice (tenant acme) fills it: the repository field
 * offers acme's repositories from its AppProject, each environment offers only its own
 * clusters, and the help texts read as written. Nothing is created.
 */
test('the new-service form offers the tenant’s repositories and only each environment’s clusters', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await signInAs(page, 'Alice Schmidt');
  await page.goto('/create');
  await expect(page.getByText('New service (GitOps)')).toBeVisible();
  await page.getByRole('button', { name: 'Choose' }).first().click();

  // Service
  await page.getByRole('textbox', { name: /^Name/ }).fill('form-check');
  await page.getByRole('textbox', { name: /^Owner/ }).fill('acme');
  await page.getByRole('option', { name: /acme/i }).first().click();
  await page.getByRole('button', { name: /Tenant/ }).click();
  await page.getByRole('listbox').getByRole('option', { name: 'acme' }).click();

  // acme's AppProject allows <sandbox git>/acme/*: offered as the prefix to complete
  const repository = page.getByRole('textbox', { name: /^GitOps repository/ });
  await repository.click();
  const offered = page.getByRole('listbox').getByRole('option');
  await expect(offered).toHaveText([/\/acme\/… \(complete the name\)$/]);
  await expect(offered).not.toHaveText([/globex/]);
  // README's picture of the form: the tenant's repositories offered
  await page.screenshot({ path: 'docs/screenshots/template.png' });
  await offered.first().click();
  await expect(repository).toHaveValue(/^https?:\/\/[^/]+\/acme\/$/);
  await expect(page.getByText('Complete the repository name')).toBeVisible();
  await repository.press('End');
  await repository.pressSequentially('gitops.git');
  await expect(
    page.getByText(/^HTTP\(S\) clone URL of one of the tenant's repositories/),
  ).toBeVisible();
  // another tenant's repository is flagged before the backend refuses it
  const acmeRepository = await repository.inputValue();
  await repository.fill(acmeRepository.replace('/acme/', '/globex/'));
  await expect(
    page.getByText(/^Not a repository of tenant acme: its AppProject allows/),
  ).toBeVisible();
  await repository.fill(acmeRepository);
  await repository.press('Escape');
  await page
    .getByRole('textbox', { name: /^Container image/ })
    .fill('registry.acme.example/form-check');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Next' }).click();

  // Deployment: dev on acme's dev cluster only
  const environment = page.getByRole('button', { name: /^Environment/ });
  const cluster = page.getByRole('button', { name: /^Cluster/ });
  await expect(environment).toHaveText(/dev/);
  await expect(cluster).toHaveText('dev (acme-dev)');
  await cluster.click();
  await expect(page.getByRole('listbox').getByRole('option')).toHaveText([
    'dev (acme-dev)',
  ]);
  await page.keyboard.press('Escape');

  // production: its cluster is chosen, and only it is offered
  await environment.click();
  await page.getByRole('option', { name: 'production' }).click();
  await expect(cluster).toHaveText('prod (acme-prod)');
  await cluster.click();
  await expect(page.getByRole('listbox').getByRole('option')).toHaveText([
    'prod (acme-prod)',
  ]);
  await page.keyboard.press('Escape');

  // acme has no test cluster: nothing to choose, and the form says why
  await environment.click();
  await page.getByRole('option', { name: 'test' }).click();
  await expect(
    page.getByText(
      'Tenant acme has no cluster for test; ask the platform team to register one',
    ),
  ).toBeVisible();
  await environment.click();
  await page.getByRole('option', { name: 'dev' }).click();
  await expect(cluster).toHaveText('dev (acme-dev)');

  // every help text as written: no numbered item headings, the placeholder kept
  await expect(page.getByText(/Environments-\d/)).toHaveCount(0);
  await expect(page.getByText('apps/<name>/catalog-info.yaml')).toBeVisible();
  await expect(page.getByText('apps//catalog-info.yaml')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});
