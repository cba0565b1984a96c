import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  getGithubFileFetchUrl,
  ScmIntegrations,
} from '@backstage/integration';
import {
  GitHubHost,
  GitWorkingCopy,
  resolveGitCredentials,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdSandbox,
  startArgoCdSandbox,
} from '../server/startArgoCdSandbox';
import { SANDBOX_GITHUB_TOKEN } from './sandboxGitHub';

jest.setTimeout(90_000);

/**
 * The portal reaches the sandbox through Backstage's GitHub integration, configured as in
 * app-config.yaml: a host with a port, an http API base URL and the sandbox's service token.
 */
describe("Backstage's GitHub integration on the sandbox", () => {
  let sandbox: ArgoCdSandbox;
  let work: string;
  let integrations: ScmIntegrations;

  beforeAll(async () => {
    sandbox = await startArgoCdSandbox({ port: 0, reconcileIntervalMs: 1000 });
    work = await mkdtemp(join(tmpdir(), 'sandbox-integration-'));
    integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: new URL(sandbox.url).host,
              apiBaseUrl: sandbox.gitHubApiUrl,
              token: SANDBOX_GITHUB_TOKEN,
            },
          ],
        },
      }),
    );
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('accepts an http apiBaseUrl and a host with a port, and gives the token for repository URLs', async () => {
    const repoUrl = sandbox.repositories.urlOf('acme/gitops');
    const integration = integrations.github.byUrl(repoUrl);
    expect(integration?.config).toMatchObject({
      host: new URL(sandbox.url).host,
      apiBaseUrl: sandbox.gitHubApiUrl,
    });
    const credentials = await DefaultGithubCredentialsProvider.fromIntegrations(
      integrations,
    ).getCredentials({ url: repoUrl });
    expect(credentials).toMatchObject({
      type: 'token',
      token: SANDBOX_GITHUB_TOKEN,
      headers: { Authorization: `Bearer ${SANDBOX_GITHUB_TOKEN}` },
    });
  });

  it('reads a file the way the catalog URL reader does (contents API, raw)', async () => {
    const blobUrl = `${sandbox.url}/acme/gitops/blob/main/CODEOWNERS`;
    const integration = integrations.github.byUrl(blobUrl)!;
    const credentials = await DefaultGithubCredentialsProvider.fromIntegrations(
      integrations,
    ).getCredentials({ url: blobUrl });
    const fetchUrl = getGithubFileFetchUrl(
      blobUrl,
      integration.config,
      credentials,
    );
    expect(fetchUrl).toBe(
      `${sandbox.gitHubApiUrl}/repos/acme/gitops/contents/CODEOWNERS?ref=main`,
    );
    const response = await fetch(fetchUrl, {
      headers: {
        ...credentials.headers,
        Accept: 'application/vnd.github.v3.raw',
      },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('@acme/acme-devs');
  });

  it('opens a pull request through GitHubHost (Octokit) after a push through GitWorkingCopy', async () => {
    const repoUrl = sandbox.repositories.urlOf('acme/gitops');
    // git gets the integration's token, as the portal's Git operations send it
    const credentials = await resolveGitCredentials(integrations, repoUrl);
    expect(credentials).toEqual({
      username: 'x-access-token',
      password: SANDBOX_GITHUB_TOKEN,
    });
    const copy = await GitWorkingCopy.open({
      remoteUrl: repoUrl,
      branch: 'main',
      dir: join(work, 'acme'),
      credentials,
    });
    await copy.writeFiles({ 'docs/notes.md': '# Notes\n' });
    await copy.commitIfChanged('Add notes', {
      name: 'Kupe portal',
      email: 'portal@kupe.example',
    });
    await copy.push('add-notes');
    const host = new GitHubHost(integrations);
    expect(host.supports(repoUrl)).toBe(true);
    const url = await host.ensurePullRequest({
      repoUrl,
      head: 'add-notes',
      base: 'main',
      title: 'Add notes',
      body: 'From the portal',
    });
    expect(url).toMatch(new RegExp(`^${sandbox.url}/acme/gitops/pull/\\d+$`));
    expect(
      await host.ensurePullRequest({
        repoUrl,
        head: 'add-notes',
        base: 'main',
        title: 'Add notes',
        body: 'again',
      }),
    ).toBe(url);
    // as a member of acme signed in on the sandbox's own pages
    const page = await fetch(url, {
      headers: { cookie: 'kupe_sandbox_git_user=alice' },
    });
    expect(await page.text()).toContain('<h3>docs/notes.md</h3>');
  });
});
