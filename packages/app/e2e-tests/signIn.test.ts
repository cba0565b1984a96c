import { test, expect } from '@playwright/test';

test('a seeded user signs in on the sandbox and sees the catalog of components', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: /Sign in as Alice/i }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'acme-web' })).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/catalog.png' });
});
