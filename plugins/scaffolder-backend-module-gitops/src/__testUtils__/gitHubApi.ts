import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import type { GitHttpServer } from '@kupe/plugin-gitops-node/testUtils';

export const GITHUB_API = 'http://api.github.test';
export const GITHUB_TOKEN = 'ghs_kupeTestInstallationToken0123456789';

interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  head: string;
  base: string;
}

/**
 * The part of GitHub's REST API that `GitHubHost` uses, answering as GitHub does (status codes,
 * the `message`/`errors` bodies), over real bare repositories served by a
 * {@link GitHttpServer}: a repository created here is one git can then push to, and a
 * pull request's head must be a branch that was pushed.
 *
 * - `POST /orgs/{org}/repos` → 201 repository (clone_url, html_url); 422 name taken; 404 unknown org
 * - `GET /repos/{owner}/{repo}/pulls?state&head&base` → 200 list
 * - `POST /repos/{owner}/{repo}/pulls` → 201 pull request; 422 when one is open for head/base,
 *   or head is no branch
 * - 404 for unknown repositories; 401 without the token, as GitHub answers
 */
export class GitHubApiDouble {
  readonly #git: GitHttpServer;
  readonly #orgs: Set<string>;
  /** `owner/repo` → repository known to the API (a private one may exist only here). */
  readonly repositories = new Map<
    string,
    { private: boolean; description: string | null }
  >();
  readonly pulls = new Map<string, PullRequest[]>();
  readonly requests: string[] = [];
  /** Repositories created from now on refuse pushes until {@link allowPushes}. */
  failPushes = false;

  constructor(git: GitHttpServer, options: { orgs: string[] }) {
    this.#git = git;
    this.#orgs = new Set(options.orgs);
  }

  #bareOf(fullName: string): string {
    return join(this.#git.root, `${fullName}.git`);
  }

  /** A repository that exists on GitHub and on disk, optionally with its main protected. */
  addRepository(fullName: string, options: { protectMain?: boolean } = {}) {
    const bare = this.#bareOf(fullName);
    if (!existsSync(bare)) {
      mkdirSync(bare, { recursive: true });
      execFileSync('git', ['init', '--quiet', '--bare', '-b', 'main', bare]);
    }
    this.repositories.set(fullName, { private: true, description: null });
    if (this.failPushes) {
      // A transient failure GitHub reports for a push.
      this.#writeHook(bare, [
        'echo "error: fatal error in commit_refs" >&2',
        'exit 1',
      ]);
    }
    if (options.protectMain) {
      // GitHub's answer to a push to a protected branch.
      this.#writeHook(bare, [
        'while read old new ref; do',
        '  if [ "$ref" = "refs/heads/main" ]; then',
        '    echo "error: GH006: Protected branch update failed for refs/heads/main." >&2',
        '    exit 1',
        '  fi',
        'done',
      ]);
    }
    return bare;
  }

  #writeHook(bare: string, lines: string[]) {
    const hook = join(bare, 'hooks', 'pre-receive');
    writeFileSync(hook, ['#!/bin/sh', ...lines, ''].join('\n'));
    chmodSync(hook, 0o755);
  }

  /** Lets pushes to a repository created while {@link failPushes} was set through. */
  allowPushes(fullName: string) {
    rmSync(join(this.#bareOf(fullName), 'hooks', 'pre-receive'), {
      force: true,
    });
  }

  #repositoryJson(fullName: string) {
    const [owner, name] = fullName.split('/');
    const repo = this.repositories.get(fullName)!;
    return {
      id: [...this.repositories.keys()].indexOf(fullName) + 1,
      name,
      full_name: fullName,
      private: repo.private,
      description: repo.description,
      owner: { login: owner, type: 'Organization' },
      html_url: `${this.#git.origin}/${fullName}`,
      clone_url: `${this.#git.origin}/${fullName}.git`,
      url: `${GITHUB_API}/repos/${fullName}`,
      default_branch: 'main',
    };
  }

  #pullJson(fullName: string, pr: PullRequest) {
    const [owner] = fullName.split('/');
    return {
      number: pr.number,
      state: pr.state,
      title: pr.title,
      body: pr.body,
      html_url: `${this.#git.origin}/${fullName}/pull/${pr.number}`,
      url: `${GITHUB_API}/repos/${fullName}/pulls/${pr.number}`,
      head: { ref: pr.head, label: `${owner}:${pr.head}` },
      base: { ref: pr.base, label: `${owner}:${pr.base}` },
    };
  }

  #branchExists(fullName: string, branch: string): boolean {
    try {
      execFileSync(
        'git',
        [
          '--git-dir',
          this.#bareOf(fullName),
          'rev-parse',
          '--verify',
          '--quiet',
          `refs/heads/${branch}`,
        ],
        { stdio: 'ignore' },
      );
      return true;
    } catch {
      return false;
    }
  }

  handlers() {
    const unauthorized = (request: Request) => {
      const header = request.headers.get('authorization');
      if (!header) {
        return HttpResponse.json(
          {
            message: 'Requires authentication',
            documentation_url: 'https://docs.github.com/rest',
          },
          { status: 401 },
        );
      }
      if (header !== `token ${GITHUB_TOKEN}`) {
        return HttpResponse.json(
          {
            message: 'Bad credentials',
            documentation_url: 'https://docs.github.com/rest',
          },
          { status: 401 },
        );
      }
      return undefined;
    };
    const notFound = () =>
      HttpResponse.json(
        {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
        },
        { status: 404 },
      );
    const log = (request: Request) =>
      this.requests.push(
        `${request.method} ${new URL(request.url).pathname}${
          new URL(request.url).search
        }`,
      );

    return [
      http.post(
        `${GITHUB_API}/orgs/:org/repos`,
        async ({ request, params }) => {
          log(request);
          const denied = unauthorized(request);
          if (denied) return denied;
          const org = String(params.org);
          if (!this.#orgs.has(org)) return notFound();
          const body = (await request.json()) as {
            name?: string;
            private?: boolean;
            description?: string;
          };
          if (!body.name) {
            return HttpResponse.json(
              {
                message: 'Repository creation failed.',
                errors: [
                  {
                    resource: 'Repository',
                    code: 'missing_field',
                    field: 'name',
                  },
                ],
              },
              { status: 422 },
            );
          }
          const fullName = `${org}/${body.name}`;
          if (this.repositories.has(fullName)) {
            return HttpResponse.json(
              {
                message: 'Repository creation failed.',
                errors: [
                  {
                    resource: 'Repository',
                    code: 'custom',
                    field: 'name',
                    message: 'name already exists on this account',
                  },
                ],
                documentation_url:
                  'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
              },
              { status: 422 },
            );
          }
          this.addRepository(fullName);
          this.repositories.set(fullName, {
            private: body.private ?? false,
            description: body.description ?? null,
          });
          return HttpResponse.json(this.#repositoryJson(fullName), {
            status: 201,
          });
        },
      ),

      http.get(
        `${GITHUB_API}/repos/:owner/:repo/pulls`,
        ({ request, params }) => {
          log(request);
          const denied = unauthorized(request);
          if (denied) return denied;
          const fullName = `${params.owner}/${params.repo}`;
          if (!this.repositories.has(fullName)) return notFound();
          const q = new URL(request.url).searchParams;
          const state = q.get('state') ?? 'open';
          const head = q.get('head');
          const base = q.get('base');
          const items = (this.pulls.get(fullName) ?? [])
            .filter(pr => state === 'all' || pr.state === state)
            .filter(pr => !head || `${params.owner}:${pr.head}` === head)
            .filter(pr => !base || pr.base === base)
            .map(pr => this.#pullJson(fullName, pr));
          return HttpResponse.json(items);
        },
      ),

      http.post(
        `${GITHUB_API}/repos/:owner/:repo/pulls`,
        async ({ request, params }) => {
          log(request);
          const denied = unauthorized(request);
          if (denied) return denied;
          const fullName = `${params.owner}/${params.repo}`;
          if (!this.repositories.has(fullName)) return notFound();
          const body = (await request.json()) as {
            title: string;
            body?: string;
            head: string;
            base: string;
          };
          const head = body.head.includes(':')
            ? body.head.split(':')[1]
            : body.head;
          const invalid = (field: string) =>
            HttpResponse.json(
              {
                message: 'Validation Failed',
                errors: [{ resource: 'PullRequest', field, code: 'invalid' }],
                documentation_url:
                  'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
              },
              { status: 422 },
            );
          if (!this.#branchExists(fullName, head)) return invalid('head');
          if (!this.#branchExists(fullName, body.base)) return invalid('base');
          const pulls = this.pulls.get(fullName) ?? [];
          if (
            pulls.some(
              pr =>
                pr.state === 'open' &&
                pr.head === head &&
                pr.base === body.base,
            )
          ) {
            return HttpResponse.json(
              {
                message: 'Validation Failed',
                errors: [
                  {
                    resource: 'PullRequest',
                    code: 'custom',
                    message: `A pull request already exists for ${params.owner}:${head}.`,
                  },
                ],
                documentation_url:
                  'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
              },
              { status: 422 },
            );
          }
          const pr: PullRequest = {
            number: pulls.length + 1,
            state: 'open',
            title: body.title,
            body: body.body ?? null,
            head,
            base: body.base,
          };
          this.pulls.set(fullName, [...pulls, pr]);
          return HttpResponse.json(this.#pullJson(fullName, pr), {
            status: 201,
          });
        },
      ),
    ];
  }
}
