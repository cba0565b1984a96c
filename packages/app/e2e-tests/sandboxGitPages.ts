import { expect, type Page } from '@playwright/test';

/**
 * Signs in to the sandbox Git server's own pages (pull requests, commits) as a seeded user,
 * from the page the portal linked: its sign-in page, or "Switch user" when someone else is
 * signed in. The pages are then read and acted on as that user, as GitHub's are.
 */
export async function signInToSandboxGit(page: Page, user: string) {
  const signedIn = page.getByText(new RegExp(`Signed in as .* \\(${user}\\)`));
  if (await signedIn.isVisible()) return;
  const switchUser = page.getByRole('link', { name: 'Switch user' });
  if (await switchUser.isVisible()) await switchUser.click();
  await page.getByLabel('User').selectOption(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(signedIn).toBeVisible();
}
