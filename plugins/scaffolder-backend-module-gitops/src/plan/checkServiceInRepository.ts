import { ConflictError } from '@backstage/errors';
import type { GitWorkingCopy } from '@kupe/plugin-gitops-node';
import { parseAllDocuments } from 'yaml';
import { NOTHING_WRITTEN } from './messages';

/** What the target branch holds of a service, compared with what a run would write. */
export type ServiceInRepository =
  /** No file under `apps/<service>/`. */
  | { state: 'new' }
  /** Exactly the files and CODEOWNERS line the run would write: nothing to do. */
  | { state: 'identical'; commit: string };

/** The service's own line in CODEOWNERS (`/apps/<service>/ @owner ...`), if any. */
function codeownersLine(
  content: string | undefined,
  service: string,
): string | undefined {
  return content
    ?.split('\n')
    .find(l => l.split(/\s+/)[0] === `/apps/${service}/`)
    ?.trim();
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The images a service's files deploy, for a conflict message: container images of plain
 * manifests, a Kustomize overlay's `images` (name:newTag) and a chart's values
 * (image.repository:image.tag); Helm templates' `{{ }}` placeholders are skipped.
 */
export function imagesOf(files: Record<string, string>): string[] {
  const images = new Set<string>();
  const visit = (node: unknown, file: string) => {
    if (Array.isArray(node)) {
      node.forEach(n => visit(n, file));
      return;
    }
    if (!isObject(node)) return;
    if (Array.isArray(node.containers)) {
      for (const c of node.containers) {
        if (
          isObject(c) &&
          typeof c.image === 'string' &&
          !c.image.includes('{{')
        ) {
          images.add(c.image);
        }
      }
    }
    if (node.kind === 'Kustomization' && Array.isArray(node.images)) {
      for (const i of node.images) {
        if (isObject(i) && typeof i.name === 'string') {
          images.add(
            `${i.newName ?? i.name}${i.newTag ? `:${String(i.newTag)}` : ''}`,
          );
        }
      }
      return;
    }
    if (
      /values\.ya?ml$/.test(file) &&
      isObject(node.image) &&
      typeof node.image.repository === 'string'
    ) {
      const tag = node.image.tag ?? 'latest';
      images.add(`${node.image.repository}:${String(tag)}`);
    }
    for (const value of Object.values(node)) visit(value, file);
  };
  for (const [file, content] of Object.entries(files)) {
    if (!/\.ya?ml$/.test(file)) continue;
    try {
      for (const doc of parseAllDocuments(content)) {
        if (!('errors' in doc) || doc.errors.length === 0) {
          visit(doc.toJS(), file);
        }
      }
    } catch {
      // not YAML a person could read either: it only adds no image to the message
    }
  }
  return [...images].sort();
}

/** The owner a service's catalog-info.yaml or README names. */
function ownerOf(files: Record<string, string>, service: string) {
  const catalogInfo = files[`apps/${service}/catalog-info.yaml`];
  if (catalogInfo) {
    try {
      const owner = (
        parseAllDocuments(catalogInfo)[0]?.toJS() as {
          spec?: { owner?: unknown };
        }
      )?.spec?.owner;
      if (typeof owner === 'string') return owner;
    } catch {
      // fall through to the README
    }
  }
  return /^Owner: `([^`]+)`/m.exec(
    files[`apps/${service}/README.md`] ?? '',
  )?.[1];
}

/**
 * Compares the service's files on the checked-out branch with those a run would write. A
 * service that exists with any other file, content or CODEOWNERS line is a conflict: the run
 * must stop before writing, saying what is there and who owns it, and leave it untouched.
 */
export async function checkServiceInRepository(options: {
  copy: GitWorkingCopy;
  service: string;
  /** Every file the run would write, repository-relative. */
  files: Record<string, string>;
  repoUrl: string;
  branch: string;
  /** The commit to compare with; default the checked-out branch's head. */
  revision?: string;
}): Promise<ServiceInRepository> {
  const { copy, service, files, repoUrl, branch } = options;
  const head = options.revision ?? (await copy.head());
  if (!head) return { state: 'new' };
  const dir = `apps/${service}`;
  const present = await copy.listFilesAt(head, [dir]);
  if (present.length === 0) return { state: 'new' };

  const existing: Record<string, string> = {};
  for (const file of present) {
    existing[file] = (await copy.readFileAt(head, file)) ?? '';
  }
  const wanted = Object.keys(files).filter(f => f.startsWith(`${dir}/`));
  const differing = [
    ...wanted.filter(f => existing[f] !== files[f]),
    ...present.filter(f => !(f in files)),
  ];
  const currentOwners = codeownersLine(
    await copy.readFileAt(head, 'CODEOWNERS'),
    service,
  );
  const wantedOwners = codeownersLine(files.CODEOWNERS, service);
  if (differing.length === 0 && currentOwners === wantedOwners) {
    return { state: 'identical', commit: head };
  }

  const owner = ownerOf(existing, service);
  const images = imagesOf(existing);
  const details = [
    owner ? `owned by ${owner}` : undefined,
    currentOwners ? `CODEOWNERS "${currentOwners}"` : undefined,
    images.length ? `deploying ${images.join(', ')}` : undefined,
  ].filter(Boolean);
  const changes = [
    differing.length
      ? `${differing.length} of its files differ (${differing
          .slice(0, 5)
          .join(', ')}${differing.length > 5 ? ', …' : ''})`
      : undefined,
    currentOwners !== wantedOwners
      ? `its CODEOWNERS line would become "${wantedOwners}"`
      : undefined,
  ].filter(Boolean);
  throw new ConflictError(
    `Service ${service} already exists in ${repoUrl} (${dir}/ on ${branch}, commit ${head.slice(
      0,
      12,
    )}${
      details.length ? `; ${details.join('; ')}` : ''
    }), and this run asks for something else: ${changes.join(
      ' and ',
    )}. ${NOTHING_WRITTEN} Choose another name, or change ${service} through a pull request to its files`,
  );
}
