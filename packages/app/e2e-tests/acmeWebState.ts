import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type APIRequestContext } from '@playwright/test';

/**
 * acme-web's state on the sandbox, which the journeys share: each journey that depends on it
 * restores what it needs at its start, through the sandbox's Git server and the portal's API
 * (as a user of acme), so no journey depends on the order or on an earlier journey finishing.
 */

export const ACME_GITOPS_REPO = 'http://127.0.0.1:7008/acme/gitops.git';
const SANDBOX_GITHUB_API = 'http://127.0.0.1:7008/api/v3';

/**
 * A seeded user's personal token on the sandbox's Git host and GitHub API (published, sandbox
 * only: SANDBOX_GITHUB_USER_TOKENS of @kupe/gitops-sandbox). Its Git, like a private GitHub
 * repository's, needs one: anonymous clones and pushes get 401.
 */
function sandboxToken(user: 'alice' | 'arjun'): string {
  return `ghp_kupeSandbox${user}${'0'.repeat(25 - user.length)}`;
}

/** acme's GitOps repository as Alice clones it: her token as the HTTP Basic password. */
function acmeGitOpsAsAlice(): string {
  const url = new URL(ACME_GITOPS_REPO);
  url.username = 'alice';
  url.password = sandboxToken('alice');
  return url.toString();
}
export const ACME_WEB_IMAGE = 'registry.acme.example/acme-web';
const OVERLAYS = 'apps/acme-web/overlays';

export type AcmeWebEnvironment = 'dev' | 'staging' | 'prod';

/**
 * acme-web's image tag in each overlay as the sandbox seeds it. dev and staging sync
 * automatically and run it; prod syncs manually and runs 1.3.0, an earlier revision, so it
 * is OutOfSync with 1.4.0 waiting.
 */
export const SEEDED_ACME_WEB_TAGS: Record<AcmeWebEnvironment, string> = {
  dev: '1.3.0',
  staging: '1.3.0',
  prod: '1.4.0',
};
const SEEDED_PROD_RUNS = '1.3.0';

const APP_OF: Record<AcmeWebEnvironment, string> = {
  dev: 'acme-web-dev',
  staging: 'acme-web-staging',
  prod: 'acme-web-prod',
};

function overlayFile(environment: AcmeWebEnvironment) {
  return `${OVERLAYS}/${environment}/kustomization.yaml`;
}

function tagIn(kustomization: string): string | undefined {
  return /newTag: ['"]?([\w.-]+)['"]?/.exec(kustomization)?.[1];
}

/** A fresh clone of acme's GitOps repository for `fn`, removed afterwards. */
export async function withAcmeGitOps<T>(
  fn: (git: (...args: string[]) => string, dir: string) => Promise<T> | T,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kupe-e2e-git-'));
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, stdio: 'pipe' }).toString().trim();
    git('clone', '--quiet', acmeGitOpsAsAlice(), '.');
    return await fn(git, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One call of the sandbox's GitHub API as `user`: its status and JSON body. */
async function callSandboxGitHub(
  user: 'alice' | 'arjun',
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${SANDBOX_GITHUB_API}${path}`, {
    method,
    headers: {
      authorization: `token ${sandboxToken(user)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** One call of the sandbox's GitHub API as `user`; its JSON body after the expected status. */
async function sandboxGitHub(
  user: 'alice' | 'arjun',
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<any> {
  const response = await callSandboxGitHub(user, method, path, body);
  expect(
    response.status,
    `${method} ${path} as ${user}: ${response.text}`,
  ).toBe(status);
  return JSON.parse(response.text);
}

/** How many pull requests acme's GitOps repository has had, open or closed. */
export async function acmeGitOpsPullRequestCount(): Promise<number> {
  let count = 0;
  for (let page = 1; ; page += 1) {
    const pulls: unknown[] = await sandboxGitHub(
      'alice',
      'GET',
      `/repos/acme/gitops/pulls?state=all&per_page=100&page=${page}`,
      undefined,
      200,
    );
    count += pulls.length;
    if (pulls.length < 100) return count;
  }
}

/**
 * A change to production's overlay cannot be pushed to main directly (CODEOWNERS and the
 * protection of main refuse it with GH006, as GitHub does): as the team does it, Alice pushes a
 * branch and opens a pull request, Arjun (acme-devs, not the author) approves it, and it is
 * merged once main's protection allows it (the portal decides its required statuses on a
 * schedule). Returns the merge commit's SHA.
 */
async function mergeReviewedChange(
  branch: string,
  title: string,
): Promise<string> {
  const pull = await sandboxGitHub(
    'alice',
    'POST',
    '/repos/acme/gitops/pulls',
    { title, head: branch, base: 'main', body: 'Browser journey set-up' },
    201,
  );
  await sandboxGitHub(
    'arjun',
    'POST',
    `/repos/acme/gitops/pulls/${pull.number}/reviews`,
    { event: 'APPROVE' },
    200,
  );
  const merge = () =>
    callSandboxGitHub(
      'alice',
      'PUT',
      `/repos/acme/gitops/pulls/${pull.number}/merge`,
      { merge_method: 'merge' },
    );
  let merged = await merge();
  await expect
    .poll(
      async () => {
        // 405 while a required status is still expected
        if (merged.status === 405) merged = await merge();
        return `${merged.status} ${merged.status === 200 ? '' : merged.text}`;
      },
      {
        message: `acme/gitops pull request ${pull.number} approved by arjun merges`,
        timeout: 120_000,
        intervals: [2_000, 5_000],
      },
    )
    .toBe('200 ');
  return JSON.parse(merged.text).sha;
}

/**
 * A developer's change to acme's GitOps repository, pushed as Alice over the sandbox's smart
 * HTTP Git like any `git push` (with her token): sets acme-web's image tag in the given
 * overlays, as one commit by Alice, pushed to main, or through a reviewed pull request when it
 * changes production (code-owned). Returns the SHA that main then has, or undefined when every
 * overlay already had its tag.
 */
export async function pushImageTags(
  tags: Partial<Record<AcmeWebEnvironment, string>>,
  message: string,
): Promise<string | undefined> {
  return withAcmeGitOps((git, dir) => {
    let changed = false;
    let production = false;
    for (const [environment, tag] of Object.entries(tags)) {
      const file = join(dir, overlayFile(environment as AcmeWebEnvironment));
      const before = readFileSync(file, 'utf8');
      expect(tagIn(before), `${file} sets an image tag`).toBeDefined();
      const after = before.replace(
        /newTag: ['"]?[\w.-]+['"]?/,
        `newTag: "${tag}"`,
      );
      if (after !== before) {
        writeFileSync(file, after);
        changed = true;
        production ||= environment === 'prod';
      }
    }
    if (!changed) return undefined;
    git(
      '-c',
      'user.name=Alice Schmidt',
      '-c',
      'user.email=alice@acme.example',
      'commit',
      '--quiet',
      '-am',
      message,
    );
    const sha = git('rev-parse', 'HEAD');
    if (!production) {
      git('push', '--quiet', 'origin', 'HEAD:main');
      return sha;
    }
    const branch = `e2e/${sha.slice(0, 12)}`;
    git('push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
    return mergeReviewedChange(branch, message);
  });
}

/** A Backstage token of a seeded user, from the sandbox sign-in provider as the app gets it. */
export async function portalToken(
  request: APIRequestContext,
  user: string,
): Promise<string> {
  const response = await request.get('/api/auth/sandbox/refresh', {
    headers: {
      'x-kupe-sandbox-user': user,
      'x-requested-with': 'XMLHttpRequest',
    },
  });
  expect(response.status(), `sign-in of ${user}`).toBe(200);
  const body = await response.json();
  return body.backstageIdentity.token;
}

interface ApplicationDetail {
  summary: {
    sync: { status: string };
    health: { status?: string };
    operation?: { phase: string };
    images: string[];
  };
  history: Array<{ id: number; revision?: string }>;
}

/**
 * Restores acme-web in the given environments to its seeded state: the overlays' tags in Git
 * (one commit when any differs), dev and staging Synced and Healthy running theirs, and prod
 * running 1.3.0, OutOfSync with 1.4.0 (rolled back through the portal when someone synced
 * it). Waits until the portal reports that state.
 */
export async function restoreSeededAcmeWeb(
  request: APIRequestContext,
  environments: AcmeWebEnvironment[],
): Promise<void> {
  await pushImageTags(
    Object.fromEntries(
      environments.map(environment => [
        environment,
        SEEDED_ACME_WEB_TAGS[environment],
      ]),
    ),
    "Restore acme-web's seeded versions for a browser journey",
  );

  const headers = {
    authorization: `Bearer ${await portalToken(request, 'alice')}`,
  };
  const appUrl = (environment: AcmeWebEnvironment) =>
    `/api/gitops/instances/sandbox/applications/${APP_OF[environment]}`;
  const detail = async (
    environment: AcmeWebEnvironment,
  ): Promise<ApplicationDetail> => {
    const response = await request.get(appUrl(environment), { headers });
    expect(response.status(), `GET ${appUrl(environment)}`).toBe(200);
    return response.json();
  };
  const settled = (app: ApplicationDetail) =>
    app.summary.operation?.phase !== 'Running' &&
    app.summary.health.status === 'Healthy';

  for (const environment of environments) {
    const runs =
      environment === 'prod'
        ? SEEDED_PROD_RUNS
        : SEEDED_ACME_WEB_TAGS[environment];
    const image = `${ACME_WEB_IMAGE}:${runs}`;
    const sync = environment === 'prod' ? 'OutOfSync' : 'Synced';

    if (environment === 'prod') {
      let app = await detail('prod');
      await expect
        .poll(
          async () => {
            app = await detail('prod');
            return app.summary.operation?.phase ?? 'none';
          },
          { message: 'no operation runs on acme-web-prod', timeout: 60_000 },
        )
        .not.toBe('Running');
      if (!app.summary.images.includes(image)) {
        // someone synced prod: roll it back (Argo CD rollback) to its newest deployment of 1.3.0
        const id = await withAcmeGitOps(git => {
          for (const entry of [...app.history].reverse()) {
            if (!entry.revision) continue;
            const file = git(
              'show',
              `${entry.revision}:${overlayFile('prod')}`,
            );
            if (tagIn(file) === runs) return entry.id;
          }
          return undefined;
        });
        expect(id, `acme-web-prod has a deployment of ${image}`).toBeDefined();
        const response = await request.post(`${appUrl('prod')}/rollback`, {
          headers,
          data: { id },
        });
        expect(response.status(), `roll back acme-web-prod to ${id}`).toBe(200);
      }
    }

    await expect
      .poll(
        async () => {
          const app = await detail(environment);
          return settled(app) && app.summary.images.includes(image)
            ? app.summary.sync.status
            : `${app.summary.sync.status}, ${app.summary.health.status}, ${
                app.summary.operation?.phase ?? 'no operation'
              }, running ${app.summary.images.join(' ')}`;
        },
        {
          message: `${APP_OF[environment]} is ${sync} and Healthy, running ${image}`,
          timeout: 120_000,
          intervals: [1_000, 2_000],
        },
      )
      .toBe(sync);
  }
}
