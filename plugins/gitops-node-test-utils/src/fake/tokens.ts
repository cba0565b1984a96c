import { randomUUID } from 'node:crypto';

/** What a bearer token stands for once the fake accepted it. */
export interface FakeTokenClaims {
  /** `admin`, `<user>:login` for session tokens, or `proj:<project>:<role>`. */
  sub: string;
  /** Seconds since the epoch, as in the JWT. */
  iat: number;
  jti: string;
}

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * A JWT-shaped token (header.payload.signature). The fake never verifies signatures, like
 * Argo CD mocks need not, but it only accepts tokens it issued itself, so a test cannot
 * promote itself by writing its own claims.
 */
export function makeFakeJwt(claims: FakeTokenClaims): string {
  const header = base64Url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64Url({ iss: 'argocd', nbf: claims.iat, ...claims });
  const signature = Buffer.from(`fake-signature:${claims.jti}`).toString(
    'base64url',
  );
  return `${header}.${payload}.${signature}`;
}

/** Argo CD's `jwt.IsValid`: only three dot-separated parts count as a token at all. */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}

export function newClaims(
  sub: string,
  iat = Math.floor(Date.now() / 1000),
): FakeTokenClaims {
  return { sub, iat, jti: randomUUID() };
}

/**
 * The admin token every fake accepts (subject `admin`, Argo CD's built-in `role:admin`).
 * Test and sandbox use only: it is public, so anything holding it can do anything.
 *
 * @public
 */
export const ARGOCD_FAKE_ADMIN_TOKEN = makeFakeJwt({
  sub: 'admin',
  iat: 1767225600,
  jti: 'kupe-fake-admin',
});

/**
 * The subject Argo CD gives a project role token.
 *
 * @public
 */
export function projectRoleSubject(project: string, role: string): string {
  return `proj:${project}:${role}`;
}

export function parseProjectRoleSubject(
  sub: string,
): { project: string; role: string } | undefined {
  const match = /^proj:([^:]+):([^:]+)$/.exec(sub);
  return match ? { project: match[1], role: match[2] } : undefined;
}
