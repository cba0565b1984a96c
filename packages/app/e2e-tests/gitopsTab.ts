import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The GitOps tab as a person uses it: an overview table of the environments, and one
 * collapsed panel per application that its name in the overview opens.
 */

/** An app's panel (a region named by its heading, the app's name), open or not. */
export function appPanel(page: Page, name: string): Locator {
  return page.getByTestId('gitops-app-panel').filter({
    has: page.getByRole('heading', { name, exact: true }),
  });
}

/** Opens an app's panel from its row in the overview (once: a second click would close it). */
export async function openApp(page: Page, name: string): Promise<Locator> {
  const button = page
    .getByRole('table', { name: 'Environments' })
    .getByRole('button', { name, exact: true });
  await expect(button).toBeVisible({ timeout: 60_000 });
  if ((await button.getAttribute('aria-expanded')) !== 'true')
    await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  return appPanel(page, name);
}

/** An app's promotion card, in its opened panel: "Promotion dev → staging (acme-web-dev)". */
export async function promotionCard(
  page: Page,
  appName: string,
): Promise<Locator> {
  const panel = await openApp(page, appName);
  return panel.getByRole('region', { name: new RegExp(`\\(${appName}\\)$`) });
}

/** Whether the whole element lies inside the viewport as the page opened, without scrolling. */
export async function inFirstScreen(
  page: Page,
  element: Locator,
): Promise<boolean> {
  const box = await element.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  const scrolled = await page.evaluate(() => window.scrollY);
  return (
    scrolled === 0 &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= viewport.width &&
    box.y + box.height <= viewport.height
  );
}
