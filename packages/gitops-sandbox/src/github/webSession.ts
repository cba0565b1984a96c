import { SANDBOX_USERS } from '../seed/sandboxUsers';

/**
 * The sandbox Git server's own sign-in for its web pages (pull requests, commits), as GitHub
 * has one beside its API: a page is read as the signed-in user, so a user of another tenant
 * gets GitHub's 404 for a private repository instead of the portal's service account's view.
 * Like the portal's sandbox sign-in, it picks a seeded user by name (no password): the
 * sandbox listens on loopback only and exists to show the tenant boundary from each side.
 */
export const SESSION_COOKIE = 'kupe_sandbox_git_user';

/** Where the sign-in form lives and posts. */
export const LOGIN_PATH = '/login';
export const LOGOUT_PATH = '/logout';

/** A page of the sandbox a sign-in may return to: a local path, never another origin. */
const RETURN_TO = /^\/[A-Za-z0-9][A-Za-z0-9/_.-]*$/;

/** The seeded user named, or undefined. */
export function sandboxUser(name: string | null | undefined) {
  return SANDBOX_USERS.find(user => user.name === name);
}

/** The signed-in seeded user of a request, from its session cookie. */
export function signedInUser(request: Request): string | undefined {
  const cookies = request.headers.get('cookie') ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      return sandboxUser(decodeURIComponent(value.join('=')))?.name;
    }
  }
  return undefined;
}

/** The cookie that signs a user in (or out, for `undefined`) on the sandbox's pages. */
export function sessionCookie(user: string | undefined): string {
  const attributes = 'Path=/; HttpOnly; SameSite=Strict';
  return user
    ? `${SESSION_COOKIE}=${encodeURIComponent(user)}; ${attributes}`
    : `${SESSION_COOKIE}=; Max-Age=0; ${attributes}`;
}

/** `return_to` as given if it is a local page path, else the sandbox's root. */
export function safeReturnTo(value: string | null | undefined): string {
  return value && RETURN_TO.test(value) && !value.includes('//') ? value : '/';
}

/** Where a page sends a visitor who is not signed in. */
export function loginLocation(url: URL): string {
  return `${LOGIN_PATH}?return_to=${encodeURIComponent(
    safeReturnTo(url.pathname),
  )}`;
}
