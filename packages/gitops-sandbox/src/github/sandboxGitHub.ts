import { GitHubFake } from '@kupe/plugin-gitops-node-test-utils';
import { SANDBOX_USERS } from '../seed/sandboxUsers';

/** GitHub login of the portal's service account (a bot, as a GitHub App acts). */
export const SANDBOX_GITHUB_SERVICE_LOGIN = 'kupe-portal';

/**
 * The token of the portal's service account on the sandbox's GitHub API: a member of every
 * tenant organization, so it creates repositories and opens pull requests; it is on no team,
 * so it cannot give the code-owner approval production changes need. SANDBOX ONLY: published
 * in source code, accepted only by the sandbox, which listens on loopback. Put it in
 * `integrations.github[].token` for the sandbox host.
 */
export const SANDBOX_GITHUB_TOKEN = 'ghs_kupeSandboxPortalServiceToken000000';

/** Personal tokens of the seeded users (`alice`, `arjun`, `bob`, `pat`), SANDBOX ONLY. */
export const SANDBOX_GITHUB_USER_TOKENS: Readonly<Record<string, string>> =
  Object.fromEntries(
    SANDBOX_USERS.map(u => [
      u.name,
      `ghp_kupeSandbox${u.name}${'0'.repeat(25 - u.name.length)}`,
    ]),
  );

/**
 * The sandbox's GitHub: tenants are organizations (`acme`, `globex`) whose members are the
 * users of the tenant's groups plus the portal's service account, each group a team
 * (`@acme/acme-devs`); platform-team members are site administrators. Repositories are the
 * sandbox's own bare repositories, so the Argo CD double renders what is merged here.
 */
export function createSandboxGitHub(options: {
  repositoriesRoot: string;
  webUrl: string;
  tenants: readonly string[];
}): GitHubFake {
  const usersOf = (tenant: string) =>
    SANDBOX_USERS.filter(u => u.tenants.includes(tenant));
  return new GitHubFake({
    repositoriesRoot: options.repositoriesRoot,
    webUrl: options.webUrl,
    users: [
      {
        login: SANDBOX_GITHUB_SERVICE_LOGIN,
        name: 'Kupe portal',
        type: 'Bot',
        tokens: [SANDBOX_GITHUB_TOKEN],
      },
      ...SANDBOX_USERS.map(u => ({
        login: u.name,
        name: u.displayName,
        email: u.email,
        siteAdmin: u.admin,
        tokens: [SANDBOX_GITHUB_USER_TOKENS[u.name]],
      })),
    ],
    organizations: options.tenants.map(tenant => {
      const users = usersOf(tenant);
      const teams: Record<string, string[]> = {};
      for (const user of users) {
        for (const group of user.groups) {
          teams[group] = [...(teams[group] ?? []), user.name];
        }
      }
      return {
        login: tenant,
        members: [SANDBOX_GITHUB_SERVICE_LOGIN, ...users.map(u => u.name)],
        teams,
      };
    }),
  });
}
