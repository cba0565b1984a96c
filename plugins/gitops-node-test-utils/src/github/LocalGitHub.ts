import { GitHttpServer } from '../git/GitHttpServer';
import { serveFetchHandler } from '../http/serveFetchHandler';
import { GitHubFake, type GitHubFakeOptions } from './GitHubFake';
import { gitHubGitAccess } from './gitHubGitAccess';

/**
 * A GitHub host on 127.0.0.1 for tests, one origin like GitHub Enterprise: the REST API under
 * `/api/v3` answered by {@link GitHubFake}, and Git's smart HTTP (`/<owner>/<repo>.git`) by
 * the real `git http-backend` over the same bare repositories, so what a test pushes is what
 * the fake's pull requests, files and merges see. Git needs a token of a fake user (HTTP
 * Basic password, as GitHub takes it), else 401, who may see the repository, else 404
 * ({@link gitHubGitAccess}); a push is accepted or refused as {@link GitHubFake.checkPush}
 * says (branch protection).
 *
 * @public
 */
export class LocalGitHub {
  readonly #git: GitHttpServer;
  readonly #fake: GitHubFake;

  private constructor(git: GitHttpServer, fake: GitHubFake) {
    this.#git = git;
    this.#fake = fake;
  }

  static async start(
    options: Omit<GitHubFakeOptions, 'webUrl' | 'apiBaseUrl'>,
  ): Promise<LocalGitHub> {
    // The fake needs the origin, known once the server listens.
    const created: { fake?: GitHubFake } = {};
    const git = await GitHttpServer.start({
      root: options.repositoriesRoot,
      // Who may clone and push which repository, as the REST API decides it.
      access: request =>
        created.fake ? gitHubGitAccess(created.fake)(request) : 'not-found',
      // Branch protection and refused pushes, as GitHub's pre-receive checks them.
      preReceive: async push => created.fake?.checkPush(push),
      otherRequests: (req, res) =>
        serveFetchHandler(req, res, git.origin, async request => {
          const fake = created.fake;
          return fake && new URL(request.url).pathname.startsWith('/api/v3/')
            ? fake.handle(request)
            : new Response(null, { status: 404 });
        }),
    });
    created.fake = new GitHubFake({ ...options, webUrl: git.origin });
    return new LocalGitHub(git, created.fake);
  }

  get fake(): GitHubFake {
    return this.#fake;
  }

  /** `http://127.0.0.1:<port>`: the web, git and (under `/api/v3`) REST origin. */
  get origin(): string {
    return this.#git.origin;
  }

  /** `127.0.0.1:<port>`, the `host` of an integration entry. */
  get host(): string {
    return this.#git.host;
  }

  /** Authorization headers git sent, to show what reached the host. */
  get gitAuthorizations(): readonly string[] {
    return this.#git.authorizations;
  }

  /** The `integrations.github` entry for this host, authenticating with `token`. */
  integration(token?: string) {
    return {
      host: this.host,
      apiBaseUrl: this.fake.apiBaseUrl,
      rawBaseUrl: `${this.origin}/raw`,
      ...(token ? { token } : {}),
    };
  }

  async stop(): Promise<void> {
    await this.#git.stop();
  }
}
