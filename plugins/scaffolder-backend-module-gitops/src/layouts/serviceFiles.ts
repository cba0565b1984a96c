import { stringify } from 'yaml';
import { mergeCodeowners, serviceReadme } from './repositoryFiles';
import type { ManifestType } from './types';

/**
 * Owner entity ref to a CODEOWNERS handle: `group:default/team-a` becomes `@team-a`, and on a
 * GitHub host the organization's team `@<org>/team-a` (a bare `@team-a` would name a user).
 */
function codeOwnerOf(owner: string, githubOrg?: string): string {
  const name = owner.split('/').pop()!.split(':').pop()!;
  return githubOrg ? `@${githubOrg}/${name}` : `@${name}`;
}

/** What a run writes for one service besides the repository's own files. */
export function serviceFiles(request: {
  layoutFiles: Record<string, string>;
  service: string;
  owner: string;
  manifestType: ManifestType;
  paths: Record<string, string>;
  /** The repository's CODEOWNERS as it is, if any: the service's line is merged in. */
  codeowners: string | undefined;
  /** Handles the template names; default the owner group's. */
  codeOwners?: string[];
  /** The GitHub organization, whose team the owner group is. */
  githubOrg?: string;
  catalogInfo?: Record<string, unknown>;
}): { files: Record<string, string>; catalogInfoPath?: string } {
  const { service } = request;
  const files: Record<string, string> = {
    ...request.layoutFiles,
    [`apps/${service}/README.md`]: serviceReadme({
      service,
      owner: request.owner,
      manifestType: request.manifestType,
      paths: request.paths,
    }),
    CODEOWNERS: mergeCodeowners(
      request.codeowners,
      service,
      request.codeOwners?.length
        ? request.codeOwners
        : [codeOwnerOf(request.owner, request.githubOrg)],
    ),
  };
  if (!request.catalogInfo) return { files };
  const catalogInfoPath = `apps/${service}/catalog-info.yaml`;
  files[catalogInfoPath] = stringify(request.catalogInfo);
  return { files, catalogInfoPath };
}
