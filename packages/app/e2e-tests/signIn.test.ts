import { test, expect } from '@playwright/test';
import { signInAs } from './signInAs';

test('a seeded user signs in on the sandbox and the catalog shows the seeded components', async ({
  page,
}) => {
  await signInAs(page, 'Alice Schmidt');
  // every component, not only the ones Alice's group owns
  await page.goto('/?filters[kind]=component&filters[user]=all');
  for (const component of [
    'acme-web',
    'acme-api',
    'globex-shop',
    'globex-billing',
  ]) {
    await expect(
      page.getByRole('link', { name: component, exact: true }),
    ).toBeVisible();
  }
  await page.screenshot({ path: 'docs/screenshots/catalog.png' });
});
