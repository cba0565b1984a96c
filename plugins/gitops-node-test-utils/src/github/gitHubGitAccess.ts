import type { GitAccess, GitAccessRequest } from '../git/GitSmartHttp';
import type { GitHubFake } from './GitHubFake';

/**
 * GitHub's answers to git for the users of a {@link GitHubFake}, by the same rule as its REST
 * API ({@link GitHubFake.repositoryPermission}): a token of a user (the HTTP Basic password,
 * any user name) who may read, or for a push write, the repository is served; no token or an
 * unknown one is 401 (`WWW-Authenticate: Basic realm="GitHub"`, so git asks for credentials),
 * also for a repository that does not exist; a user who may not see a private repository gets
 * 404, as for one that does not exist; a reader who pushes gets 403.
 *
 * @public
 */
export function gitHubGitAccess(
  fake: GitHubFake,
): (request: GitAccessRequest) => GitAccess {
  return ({ token, repository, operation }) => {
    const login = token === undefined ? undefined : fake.loginOfToken(token);
    if (token !== undefined && !login) return 'unauthenticated';
    const permission = fake.repositoryPermission(login, repository);
    if (!permission) return login ? 'not-found' : 'unauthenticated';
    if (operation === 'write' && permission !== 'write')
      return login ? 'forbidden' : 'unauthenticated';
    return 'granted';
  };
}
