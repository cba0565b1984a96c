import { InputError } from '@backstage/errors';
import {
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';

/**
 * The rules every value must pass before it reaches an Argo CD URL. They run before any
 * request, so a bad value costs no round trip and cannot reach another endpoint.
 */

// Argo CD resolves revision metadata in the repo-server, which only accepts commit SHAs.
const COMMIT_SHA = /^[0-9a-fA-F]{7,40}$/;
// Helm chart versions are semver-ish; a leading alphanumeric rules out `.` and `..` segments.
const CHART_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
// The `fields=` projection: dotted JSON paths, optionally negated with a leading `-`.
const FIELD_PATH = /^-?[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;
const RESOURCE_VERSION = /^[A-Za-z0-9._-]{1,64}$/;

function shown(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.slice(0, 80))
    : String(value);
}

export function requireAppName(value: unknown): string {
  return requireDns1123Subdomain('application name', value);
}

export function requireProjectName(value: unknown): string {
  return requireDns1123Subdomain('project name', value);
}

export function requireAppNamespace(value: unknown): string {
  return requireDns1123Label('appNamespace', value);
}

export function requireTenant(value: unknown): string {
  return requireDns1123Label('tenant', value);
}

export function requireCommitSha(value: unknown): string {
  if (typeof value !== 'string' || !COMMIT_SHA.test(value)) {
    throw new InputError(
      `Invalid revision ${shown(
        value,
      )}: Argo CD needs a commit SHA (7 to 40 hex digits) for revision metadata`,
    );
  }
  return value;
}

export function requireChartVersion(value: unknown): string {
  if (typeof value !== 'string' || !CHART_VERSION.test(value)) {
    throw new InputError(
      `Invalid chart revision ${shown(
        value,
      )}: must be 1 to 128 letters, digits, '.', '_', '+' or '-', starting with a letter or digit`,
    );
  }
  return value;
}

export function requireFieldPath(value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.length > 256 ||
    !FIELD_PATH.test(value)
  ) {
    throw new InputError(
      `Invalid fields entry ${shown(value)}: must be a dotted JSON path`,
    );
  }
  return value;
}

export function requireResourceVersion(value: unknown): string {
  if (typeof value !== 'string' || !RESOURCE_VERSION.test(value)) {
    throw new InputError(`Invalid resourceVersion ${shown(value)}`);
  }
  return value;
}

/**
 * Whitespace or an ASCII control character (U+0000–U+001F, U+007F). The control range is
 * intended: a repo filter must reject it rather than pass it on to Argo CD.
 */
// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/** A repository URL filter: any URL form Argo CD knows, but no whitespace or control characters. */
export function requireRepoFilter(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !value ||
    value.length > 2048 ||
    WHITESPACE_OR_CONTROL.test(value)
  ) {
    throw new InputError(
      `Invalid repo filter ${shown(value)}: must be a repository URL`,
    );
  }
  return value;
}

export function requireNonNegativeInteger(
  field: string,
  value: unknown,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InputError(
      `Invalid ${field} ${shown(value)}: must be a non-negative integer`,
    );
  }
  return value;
}

export function requireOneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (
    typeof value !== 'string' ||
    !(allowed as readonly string[]).includes(value)
  ) {
    throw new InputError(
      `Invalid ${field} ${shown(value)}: must be one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

export function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InputError(
      `Invalid ${field} ${shown(value)}: must be true or false`,
    );
  }
  return value;
}
