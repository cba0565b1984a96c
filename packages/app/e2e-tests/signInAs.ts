import { expect, type Page } from '@playwright/test';

/** Signs in on the sandbox sign-in page as the seeded user with this display name. */
export async function signInAs(page: Page, displayName: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  // the catalog is the home page
  await expect(
    page.getByRole('heading', { name: 'Kupe Cloud Catalog' }),
  ).toBeVisible();
}
