import { parse, stringify } from 'yaml';

/** Repository-root file recording the tenant that owns a GitOps repository. */
export const OWNER_MARKER_FILE = 'kupe-gitops.yaml';

/** The tenant an existing repository's marker names, or undefined when it has none. */
export function tenantOfMarker(
  content: string | undefined,
): string | undefined {
  if (!content) return undefined;
  try {
    const doc = parse(content) as { tenant?: unknown } | null;
    return typeof doc?.tenant === 'string' ? doc.tenant : undefined;
  } catch {
    return undefined;
  }
}

export function ownerMarker(tenant: string): string {
  return stringify({
    tenant,
    description:
      'GitOps repository of this tenant, managed by Kupe GitOps templates',
  });
}

/** Whether a CODEOWNERS line is one service's own line (`/apps/<service>/ ...`). */
function isServiceLine(line: string): boolean {
  return /^\/apps\/[^/*\s]+\/\s/.test(line);
}

/**
 * Adds or replaces the service's line in CODEOWNERS and keeps every other line as it was, so
 * repeated runs converge on the same file and other services' owners stay untouched.
 *
 * GitHub applies the LAST matching line, so a new service line goes right after the leading
 * comments and the other service lines, before any repository-wide rule such as
 * `/apps/<any>/overlays/prod/` owned by the tenant's team: production paths keep needing that
 * team's approval, whoever owns the service.
 */
export function mergeCodeowners(
  existing: string | undefined,
  service: string,
  owners: string[],
): string {
  const pattern = `/apps/${service}/`;
  const line = `${pattern} ${owners.join(' ')}`;
  const lines = (
    existing ?? '# Owners of each service in this GitOps repository\n'
  )
    .split('\n')
    .filter((l, i, all) => !(i === all.length - 1 && l === ''));
  const index = lines.findIndex(l => l.split(/\s+/)[0] === pattern);
  if (index >= 0) {
    lines[index] = line;
  } else {
    let at = 0;
    while (
      at < lines.length &&
      (lines[at].startsWith('#') ||
        !lines[at].trim() ||
        isServiceLine(lines[at]))
    ) {
      at++;
    }
    lines.splice(at, 0, line);
  }
  return `${lines.join('\n')}\n`;
}

/** Root README, written only when the repository has none. */
export function repositoryReadme(tenant: string): string {
  return [
    `# GitOps repository of tenant ${tenant}`,
    '',
    'Argo CD deploys every service in `apps/` to the clusters of this tenant.',
    'Change a service by pull request; Argo CD syncs `main` per environment.',
    '',
  ].join('\n');
}

/** README of one service: where each environment lives. */
export function serviceReadme(options: {
  service: string;
  owner: string;
  manifestType: string;
  paths: Record<string, string>;
}): string {
  return [
    `# ${options.service}`,
    '',
    `Owner: \`${options.owner}\`. Manifests: ${options.manifestType}.`,
    '',
    '| Environment | Path |',
    '| --- | --- |',
    ...Object.entries(options.paths).map(
      ([env, path]) => `| ${env} | \`${path}\` |`,
    ),
    '',
  ].join('\n');
}
