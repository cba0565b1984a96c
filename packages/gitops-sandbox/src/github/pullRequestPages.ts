import {
  GitHubApiError,
  type GitHubFake,
} from '@kupe/plugin-gitops-node-test-utils';
import { runGit } from '../git/runGit';
import { SANDBOX_USERS } from '../seed/sandboxUsers';
import {
  LOGIN_PATH,
  LOGOUT_PATH,
  loginLocation,
  safeReturnTo,
  sandboxUser,
  sessionCookie,
  signedInUser,
} from './webSession';

const PULL_PATH =
  /^\/([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\/pull\/([1-9]\d{0,8})\/?$/;
const COMMIT_PATH =
  /^\/([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\/commit\/([0-9a-f]{7,40})\/?$/;
const PULLS_PATH =
  /^\/([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\/pulls\/?$/;

/** Messages after a successful action (post/redirect/get); only these keys are shown. */
const DONE: Record<string, string> = {
  approved: 'You approved this pull request.',
  merged: 'Pull request successfully merged and closed.',
};

type Json = Record<string, any>;

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;color:#1f2328}
header{background:#24292f;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:center}header a{color:#fff}
main{max-width:1000px;margin:0 auto;padding:16px 24px}
.state{display:inline-block;padding:4px 12px;border-radius:16px;color:#fff;font-weight:600}
.state-open{background:#1f883d}.state-merged{background:#8250df}.state-closed{background:#cf222e}
[role=alert]{border:1px solid #cf222e;background:#ffebe9;padding:8px 12px;border-radius:6px}
[role=status]{border:1px solid #1f883d;background:#dafbe1;padding:8px 12px;border-radius:6px}
pre.diff{background:#f6f8fa;padding:8px;overflow:auto;line-height:1.4}
.add{background:#dafbe1;display:block}.del{background:#ffebe9;display:block}.hunk{color:#6e7781;display:block}
form{display:flex;gap:12px;align-items:center}button{padding:6px 14px}
`;

function page(
  title: string,
  body: string,
  options: {
    status?: number;
    /** The signed-in user the page was read as, and the page's path (to come back to). */
    viewer?: string;
    path?: string;
  } = {},
): Response {
  const user = sandboxUser(options.viewer);
  const switchUser = `${LOGIN_PATH}?return_to=${encodeURIComponent(
    safeReturnTo(options.path),
  )}`;
  const session = user
    ? `<form method="post" action="${LOGOUT_PATH}">Signed in as ${escapeHtml(
        user.displayName,
      )} (${escapeHtml(user.name)}) <a href="${escapeHtml(
        switchUser,
      )}">Switch user</a> <button type="submit">Sign out</button></form>`
    : '';
  return new Response(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(
      title,
    )}</title><style>${STYLE}</style></head><body><header>Kupe sandbox Git server (not GitHub)${session}</header><main>${body}</main></body></html>\n`,
    {
      status: options.status ?? 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        'cache-control': 'no-store',
      },
    },
  );
}

function diffHtml(patch: string | undefined): string {
  if (patch === undefined) return '<p>Binary file not shown.</p>';
  const lines = patch.split('\n').map(line => {
    let cls = '';
    if (line.startsWith('@@')) cls = 'hunk';
    else if (line.startsWith('+')) cls = 'add';
    else if (line.startsWith('-')) cls = 'del';
    return cls
      ? `<span class="${cls}">${escapeHtml(line)}</span>`
      : `${escapeHtml(line)}\n`;
  });
  return `<pre class="diff">${lines.join('')}</pre>`;
}

function reviewVerb(state: string): string {
  switch (state) {
    case 'APPROVED':
      return 'approved these changes';
    case 'CHANGES_REQUESTED':
      return 'requested changes';
    default:
      return 'reviewed';
  }
}

async function pullRequestPage(
  github: GitHubFake,
  viewer: string,
  owner: string,
  repo: string,
  number: number,
  banner: { error?: string; done?: string },
  status = 200,
): Promise<Response> {
  const pr: Json = await github.getPullRequest(viewer, owner, repo, number);
  const files: Json[] = await github.listPullRequestFiles(
    viewer,
    owner,
    repo,
    number,
  );
  const reviews: Json[] = await github.listReviews(viewer, owner, repo, number);
  const blocked = await github.mergeBlockReason(viewer, owner, repo, number);
  // Commit statuses of the head, as GitHub's checks box shows them (latest per context).
  const checks: Json[] = (
    await github.combinedStatus(viewer, owner, repo, pr.head.sha)
  ).statuses as Json[];
  let state = { label: 'Open', cls: 'state-open' };
  if (pr.merged) state = { label: 'Merged', cls: 'state-merged' };
  else if (pr.state === 'closed')
    state = { label: 'Closed', cls: 'state-closed' };
  let mergeText =
    'This branch has no conflicts with the base branch and can be merged.';
  if (pr.merged) {
    mergeText = `Merged by ${pr.merged_by?.login} as ${pr.merge_commit_sha}.`;
  } else if (pr.state === 'closed') mergeText = 'This pull request is closed.';
  else if (blocked) mergeText = `Merging is blocked: ${blocked}`;

  const fullName = `${owner}/${repo}`;
  const body = [
    `<nav><a href="/${escapeHtml(fullName)}/pulls">${escapeHtml(
      fullName,
    )}: pull requests</a></nav>`,
    `<h1>${escapeHtml(pr.title)} #${number}</h1>`,
    `<p><span class="state ${state.cls}">${state.label}</span> ${escapeHtml(
      pr.user.login,
    )} wants to merge ${pr.commits} commit${
      pr.commits === 1 ? '' : 's'
    } into <code>${escapeHtml(pr.base.ref)}</code> from <code>${escapeHtml(
      pr.head.ref,
    )}</code></p>`,
    banner.error ? `<p role="alert">${escapeHtml(banner.error)}</p>` : '',
    banner.done && DONE[banner.done]
      ? `<p role="status">${escapeHtml(DONE[banner.done])}</p>`
      : '',
    '<section aria-labelledby="description"><h2 id="description">Description</h2>',
    pr.body ? `<pre>${escapeHtml(pr.body)}</pre>` : '<p>No description.</p>',
    '</section>',
    '<section aria-labelledby="reviews"><h2 id="reviews">Reviews</h2>',
    reviews.length
      ? `<ul>${reviews
          .map(
            r =>
              `<li>${escapeHtml(r.user.login)} ${reviewVerb(r.state)}${
                r.body ? `: ${escapeHtml(r.body)}` : ''
              }</li>`,
          )
          .join('')}</ul>`
      : '<p>No reviews yet.</p>',
    '</section>',
    '<section aria-labelledby="checks"><h2 id="checks">Checks</h2>',
    checks.length
      ? `<ul data-testid="checks">${checks
          .map(
            c =>
              `<li>${escapeHtml(c.context)}: ${escapeHtml(c.state)}${
                c.description ? ` (${escapeHtml(c.description)})` : ''
              } by ${escapeHtml(c.creator.login)}</li>`,
          )
          .join('')}</ul>`
      : '<p>No checks reported.</p>',
    '</section>',
    '<section aria-labelledby="merge"><h2 id="merge">Merge</h2>',
    `<p data-testid="merge-status">${escapeHtml(mergeText)}</p>`,
    pr.state === 'open'
      ? '<form method="post"><button type="submit" name="action" value="approve">Approve</button><button type="submit" name="action" value="merge">Merge pull request</button></form>'
      : '',
    '</section>',
    `<section aria-labelledby="files"><h2 id="files">Files changed (${files.length})</h2>`,
    ...files.map(
      f =>
        `<article aria-label="${escapeHtml(f.filename)}"><h3>${escapeHtml(
          f.filename,
        )}</h3><p>${escapeHtml(f.status)}, +${f.additions} −${
          f.deletions
        }</p>${diffHtml(f.patch)}</article>`,
    ),
    '</section>',
  ].join('\n');
  return page(`${pr.title} · Pull Request #${number} · ${fullName}`, body, {
    status,
    viewer,
    path: `/${fullName}/pull/${number}`,
  });
}

async function pullRequestListPage(
  github: GitHubFake,
  viewer: string,
  owner: string,
  repo: string,
): Promise<Response> {
  const { items } = await github.listPullRequests(
    viewer,
    owner,
    repo,
    new URLSearchParams({ state: 'all', per_page: '100' }),
  );
  const fullName = `${owner}/${repo}`;
  const rows = items.map(
    (pr: Json) =>
      `<li><a href="/${escapeHtml(fullName)}/pull/${pr.number}">${escapeHtml(
        pr.title,
      )} #${pr.number}</a> (${
        pr.merged_at ? 'merged' : escapeHtml(pr.state)
      })</li>`,
  );
  return page(
    `Pull requests · ${fullName}`,
    `<h1>Pull requests of ${escapeHtml(fullName)}</h1>${
      rows.length ? `<ul>${rows.join('')}</ul>` : '<p>No pull requests.</p>'
    }`,
    { viewer, path: `/${fullName}/pulls` },
  );
}

/**
 * `GET /<owner>/<repo>/commit/<sha>`, where the portal links a commit (GitHub's commit URL):
 * its message, author, date and the diff of each file it changed, read from the repository.
 */
async function commitPage(
  github: GitHubFake,
  viewer: string,
  owner: string,
  repo: string,
  sha: string,
): Promise<Response> {
  // the repository as the viewer may read it: GitHub's 404 for one they cannot see
  await github.getRepository(viewer, owner, repo);
  let shown: string;
  try {
    shown = await runGit([
      '--git-dir',
      github.gitDirOf(owner, repo),
      'show',
      '--no-color',
      '--no-ext-diff',
      '--format=%H%x1f%an%x1f%aI%x1f%B%x1e',
      `${sha}^{commit}`,
      '--',
    ]);
  } catch {
    throw new GitHubApiError(404, {
      message: `No commit ${sha} in ${owner}/${repo}`,
    });
  }
  const [header, patch = ''] = shown.split('\x1e');
  const [full, author, date, message] = header.split('\x1f');
  const [subject, ...body] = message.trim().split('\n');
  const files = patch
    .split(/^diff --git /m)
    .slice(1)
    .map(part => {
      const name = /^a\/(.*?) b\//.exec(part)?.[1] ?? part.split('\n')[0];
      const hunks = part.slice(Math.max(part.indexOf('\n@@'), 0)).trim();
      return `<h3>${escapeHtml(name)}</h3>${diffHtml(hunks || undefined)}`;
    });
  return page(
    `${subject} · ${owner}/${repo}@${full.slice(0, 7)}`,
    `<h1>${escapeHtml(subject)}</h1>${
      body.length ? `<pre>${escapeHtml(body.join('\n').trim())}</pre>` : ''
    }<p>${escapeHtml(author)} committed on <time datetime="${escapeHtml(
      date,
    )}">${escapeHtml(date)}</time> · <code>${escapeHtml(full)}</code></p><h2>${
      files.length
    } changed file${files.length === 1 ? '' : 's'}</h2>${files.join('')}`,
    { viewer, path: `/${owner}/${repo}/commit/${sha}` },
  );
}

function errorPage(
  error: GitHubApiError,
  viewer: string,
  path: string,
): Response {
  const title = error.status === 404 ? 'Not Found' : 'Error';
  return page(
    title,
    `<h1>${title}</h1><p role="alert">${escapeHtml(error.message)}</p>`,
    { status: error.status, viewer, path },
  );
}

function redirect(location: string, cookie?: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location, ...(cookie ? { 'set-cookie': cookie } : {}) },
  });
}

/** The sandbox's sign-in page: choose the seeded user the pages are read and acted as. */
function loginPage(returnTo: string, error?: string): Response {
  const options = SANDBOX_USERS.map(
    u =>
      `<option value="${escapeHtml(u.name)}">${escapeHtml(
        u.displayName,
      )} (${escapeHtml(u.name)}, ${escapeHtml(
        u.admin ? 'platform team' : u.tenants.join(', '),
      )})</option>`,
  ).join('');
  return page(
    'Sign in · Kupe sandbox Git server',
    [
      '<h1>Sign in to the sandbox Git server</h1>',
      '<p>Pages are shown as the user you choose sees them: a repository of another tenant is not found.</p>',
      error ? `<p role="alert">${escapeHtml(error)}</p>` : '',
      `<form method="post" action="${LOGIN_PATH}"><input type="hidden" name="return_to" value="${escapeHtml(
        returnTo,
      )}"><label>User <select name="user" required><option value="">Choose a user</option>${options}</select></label><button type="submit">Sign in</button></form>`,
    ].join('\n'),
    { status: error ? 400 : 200 },
  );
}

/**
 * The sandbox's web pages at the URLs GitHub uses, read and acted on as the user signed in
 * on the sandbox's own sign-in page (`/login`, a session cookie; `/logout`):
 * `GET /<owner>/<repo>/pull/<n>` shows title, description, reviews, checks, merge status and
 * the files with their diff, with Approve and Merge buttons; `POST` there performs the action
 * through the same rules as the API (own approvals, code owner reviews, conflicts) and
 * redirects back; `GET /<owner>/<repo>/pulls` lists them; `GET /<owner>/<repo>/commit/<sha>`
 * shows a commit. A repository the user cannot read is GitHub's 404. Everything shown is
 * HTML-escaped; cross-origin form posts are refused.
 *
 * Returns undefined for paths that are none of these pages.
 */
export async function handlePullRequestPage(
  request: Request,
  github: GitHubFake,
  origin: string,
): Promise<Response | undefined> {
  const url = new URL(request.url);
  const pull = PULL_PATH.exec(url.pathname);
  const list = PULLS_PATH.exec(url.pathname);
  const commit = COMMIT_PATH.exec(url.pathname);
  const session = url.pathname === LOGIN_PATH || url.pathname === LOGOUT_PATH;
  if (!pull && !list && !commit && !session) return undefined;
  const method = request.method.toUpperCase();
  const reading = method === 'GET' || method === 'HEAD';
  if (!reading && method !== 'POST') {
    return new Response('Method Not Allowed', {
      status: 405,
      headers: { allow: pull || session ? 'GET, POST' : 'GET' },
    });
  }
  const requestOrigin = request.headers.get('origin');
  if (!reading && requestOrigin && requestOrigin !== origin) {
    return page(
      'Forbidden',
      '<h1>Forbidden</h1><p role="alert">Cross-origin form posts are refused.</p>',
      { status: 403 },
    );
  }

  if (url.pathname === LOGOUT_PATH) {
    return reading
      ? redirect(LOGIN_PATH)
      : redirect(LOGIN_PATH, sessionCookie(undefined));
  }
  if (url.pathname === LOGIN_PATH) {
    if (reading) {
      return loginPage(safeReturnTo(url.searchParams.get('return_to')));
    }
    const form = new URLSearchParams(await request.text());
    const returnTo = safeReturnTo(form.get('return_to'));
    const user = sandboxUser(form.get('user'));
    if (!user) return loginPage(returnTo, 'Choose one of the sandbox users.');
    return redirect(returnTo, sessionCookie(user.name));
  }

  const viewer = signedInUser(request);
  if (!viewer) return redirect(loginLocation(url));
  try {
    if (reading) {
      if (commit)
        return await commitPage(
          github,
          viewer,
          commit[1],
          commit[2],
          commit[3],
        );
      if (list)
        return await pullRequestListPage(github, viewer, list[1], list[2]);
      const [, owner, repo, n] = pull!;
      return await pullRequestPage(github, viewer, owner, repo, Number(n), {
        done: url.searchParams.get('done') ?? undefined,
      });
    }
    if (!pull) {
      return new Response('Method Not Allowed', {
        status: 405,
        headers: { allow: 'GET' },
      });
    }
    const [, owner, repo, n] = pull;
    const number = Number(n);
    const action = new URLSearchParams(await request.text()).get('action');
    if (action !== 'approve' && action !== 'merge') {
      return await pullRequestPage(
        github,
        viewer,
        owner,
        repo,
        number,
        { error: 'Unknown action: use Approve or Merge pull request.' },
        400,
      );
    }
    try {
      if (action === 'approve') {
        await github.submitReview(viewer, owner, repo, number, {
          event: 'APPROVE',
        });
      } else {
        await github.mergePullRequest(viewer, owner, repo, number, {});
      }
    } catch (error) {
      if (!(error instanceof GitHubApiError) || error.status === 404)
        throw error;
      const errors = (error.body.errors as unknown[] | undefined)
        ?.filter(e => typeof e === 'string')
        .join(' ');
      const reason = errors || error.message;
      return await pullRequestPage(
        github,
        viewer,
        owner,
        repo,
        number,
        {
          error:
            action === 'merge'
              ? `This pull request cannot be merged: ${reason}`
              : `Your approval was not accepted: ${reason}`,
        },
        error.status,
      );
    }
    const done = action === 'approve' ? 'approved' : 'merged';
    return redirect(`${url.pathname}?done=${done}`);
  } catch (error) {
    if (error instanceof GitHubApiError)
      return errorPage(error, viewer, url.pathname);
    throw error;
  }
}
