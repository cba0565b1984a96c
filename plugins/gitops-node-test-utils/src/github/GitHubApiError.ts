/** Where GitHub's error bodies point (`documentation_url`). */
export const GITHUB_DOCS = 'https://docs.github.com/rest';

/**
 * An error answer of the GitHub REST API: its status and JSON body, as GitHub sends them.
 *
 * @public
 */
export class GitHubApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(String(body.message ?? `HTTP ${status}`));
    this.name = 'GitHubApiError';
    this.status = status;
    this.body = body;
  }

  static notFound(documentation = GITHUB_DOCS): GitHubApiError {
    return new GitHubApiError(404, {
      message: 'Not Found',
      documentation_url: documentation,
    });
  }

  /** 422 with GitHub's `Validation Failed` body and `errors` objects. */
  static validation(
    documentation: string,
    errors: Array<Record<string, unknown>>,
    message = 'Validation Failed',
  ): GitHubApiError {
    return new GitHubApiError(422, {
      message,
      errors,
      documentation_url: documentation,
    });
  }

  /** 422 with GitHub's `Unprocessable Entity` body and `errors` strings (reviews). */
  static unprocessable(
    documentation: string,
    ...errors: string[]
  ): GitHubApiError {
    return new GitHubApiError(422, {
      message: 'Unprocessable Entity',
      errors,
      documentation_url: documentation,
    });
  }
}
