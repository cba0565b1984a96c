import { defineConfig } from '@playwright/test';

/**
 * Browser journeys against the portal on the embedded sandbox, served by the backend on :7007
 * (`scripts/e2e.sh` starts it). Debian's chromium: a test tool never downloads its own browser.
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list'], ['json']],
  outputDir: 'node_modules/.cache/e2e-test-results',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007',
    screenshot: 'only-on-failure',
    // Playwright sets no bound of its own: a navigation that never finishes (a reload that
    // once issued no request at all in CI) would hold a journey until its whole timeout,
    // where a bounded one fails that step and lets the step's retry run.
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
