import { InputError } from '@backstage/errors';
import { isDns1123Label, requireDns1123Label } from './names';

/**
 * The naming patterns of the platform (config `gitops.tenancy`).
 *
 * @public
 */
export interface TenantNamingPatterns {
  /** AppProject of a tenant, default `tenant-{tenant}`. */
  projectPattern: string;
  /** Destination cluster of a tenant, default `{tenant}-{cluster}`. */
  clusterPattern: string;
}

/**
 * The default patterns of a tenant's Argo CD project (`tenant-{tenant}`) and cluster (`{tenant}-{cluster}`) names.
 *
 * @public
 */
export const DEFAULT_TENANT_NAMING: TenantNamingPatterns = {
  projectPattern: 'tenant-{tenant}',
  clusterPattern: '{tenant}-{cluster}',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function checkPattern(
  name: string,
  pattern: string,
  placeholders: string[],
): void {
  for (const p of placeholders) {
    const count = pattern.split(`{${p}}`).length - 1;
    if (count !== 1) {
      throw new InputError(
        `gitops.tenancy.${name} must contain {${p}} exactly once: '${pattern}'`,
      );
    }
  }
  const rest = placeholders.reduce((s, p) => s.replace(`{${p}}`, 'x'), pattern);
  if (!isDns1123Label(rest)) {
    throw new InputError(
      `gitops.tenancy.${name} must yield DNS-1123 labels (lower-case letters, digits, '-'): '${pattern}'`,
    );
  }
}

/**
 * Maps tenants to their AppProject and destination cluster names and back.
 * The one place that knows the naming patterns.
 *
 * @public
 */
export class TenantNaming {
  /** The patterns in force: the given ones over the defaults. */
  readonly patterns: TenantNamingPatterns;
  readonly #projectRegExp: RegExp;

  constructor(patterns: Partial<TenantNamingPatterns> = {}) {
    this.patterns = { ...DEFAULT_TENANT_NAMING, ...patterns };
    checkPattern('projectPattern', this.patterns.projectPattern, ['tenant']);
    checkPattern('clusterPattern', this.patterns.clusterPattern, [
      'tenant',
      'cluster',
    ]);
    const [before, after] = this.patterns.projectPattern.split('{tenant}');
    this.#projectRegExp = new RegExp(
      `^${escapeRegExp(before)}(.+)${escapeRegExp(after)}$`,
    );
  }

  /** AppProject of a tenant: `acme` gives `tenant-acme`. */
  projectOf(tenant: string): string {
    return this.patterns.projectPattern.replace(
      '{tenant}',
      requireDns1123Label('tenant', tenant),
    );
  }

  /** Tenant owning an AppProject, or undefined for a project outside the pattern. */
  tenantOfProject(project: string | undefined): string | undefined {
    const match = project ? this.#projectRegExp.exec(project) : null;
    return match && isDns1123Label(match[1]) ? match[1] : undefined;
  }

  /** Registered destination cluster of a tenant: (`acme`, `dev`) gives `acme-dev`. */
  clusterOf(tenant: string, cluster: string): string {
    return this.patterns.clusterPattern
      .replace('{tenant}', requireDns1123Label('tenant', tenant))
      .replace('{cluster}', requireDns1123Label('cluster', cluster));
  }

  /**
   * The tenant's short cluster name of a registered destination, or undefined when the
   * destination is not one of this tenant's clusters: (`acme`, `acme-dev`) gives `dev`.
   */
  shortClusterOf(
    tenant: string,
    destinationName: string | undefined,
  ): string | undefined {
    if (!destinationName || !isDns1123Label(tenant)) return undefined;
    const [before, after] = this.patterns.clusterPattern
      .replace('{tenant}', tenant)
      .split('{cluster}');
    if (!destinationName.startsWith(before) || !destinationName.endsWith(after))
      return undefined;
    const cluster = destinationName.slice(
      before.length,
      destinationName.length - after.length,
    );
    return isDns1123Label(cluster) ? cluster : undefined;
  }
}
