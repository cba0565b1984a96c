import { posix } from 'node:path';
import type {
  Application,
  ApplicationSet,
  ApplicationSetGenerator,
  GitDirectoryGeneratorItem,
  GitRepository,
} from '@kupe/plugin-gitops-node';

/** One parameter set of a generator (fasttemplate style: flat keys like `path.basename`). */
export type GeneratorParams = Record<string, string>;

/** Go's `path.Match`: `*` and `?` never match `/`, `[...]` is a character class. */
export function pathMatch(pattern: string, name: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) return false;
      const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      source += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(name);
}

/** `utils.SanitizeName`: a DNS-1123-friendly form of a path segment. */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/**
 * `GitGenerator.filterApps`: the directories some pattern includes and no `exclude` pattern
 * matches (an exclude wins even over another pattern's include).
 */
export function filterDirectories(
  items: readonly GitDirectoryGeneratorItem[],
  directories: readonly string[],
): string[] {
  return directories.filter(dir => {
    const matching = items.filter(item => pathMatch(item.path, dir));
    return (
      matching.some(item => !item.exclude) && !matching.some(i => i.exclude)
    );
  });
}

/** `generateParamsFromApps` without Go templates: `path`, `path.basename`, `path[n]`… */
export function directoryParams(
  dir: string,
  prefix: string | undefined,
  values: Record<string, string> | undefined,
): GeneratorParams {
  const name = prefix ? `${prefix}.path` : 'path';
  const params: GeneratorParams = {
    [name]: dir,
    [`${name}.basename`]: posix.basename(dir),
    [`${name}.basenameNormalized`]: sanitizeName(posix.basename(dir)),
  };
  dir.split('/').forEach((segment, i) => {
    if (segment) params[`${name}[${i}]`] = segment;
  });
  for (const [key, value] of Object.entries(values ?? {}))
    params[`values.${key}`] = renderString(value, params);
  return params;
}

/** Every directory of a commit (what the repo-server's `GetDirectories` answers). */
async function directoriesAt(
  repository: GitRepository,
  revision: string,
): Promise<string[]> {
  const dirs = new Set<string>();
  for (const file of await repository.listFiles(revision)) {
    let dir = posix.dirname(file);
    while (dir !== '.' && !dirs.has(dir)) {
      dirs.add(dir);
      dir = posix.dirname(dir);
    }
  }
  return [...dirs].sort();
}

/** List elements as flat parameters: nested objects become `a.b` keys, as fasttemplate sees them. */
function flatten(value: unknown, prefix: string, out: GeneratorParams): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value))
      flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/**
 * The parameter sets of one generator: the list generator's elements, or the Git directory
 * generator's matching directories at `revision` (default HEAD). Other generators are not
 * run by the sandbox and throw, which the set reports as a condition.
 */
export async function generateParams(
  generator: ApplicationSetGenerator,
  resolveRepository: (repoURL: string) => GitRepository | undefined,
): Promise<GeneratorParams[]> {
  if (generator.list) {
    return (generator.list.elements ?? []).map(element => {
      const params: GeneratorParams = {};
      flatten(element, '', params);
      return params;
    });
  }
  const git = generator.git;
  if (git?.directories?.length) {
    const repository = resolveRepository(git.repoURL);
    if (!repository) throw new Error(`repository not found: ${git.repoURL}`);
    const revision = git.revision || 'HEAD';
    const sha = await repository.resolve(revision);
    if (!sha)
      throw new Error(
        `unable to resolve git revision ${revision} of ${git.repoURL}`,
      );
    const dirs = filterDirectories(
      git.directories,
      await directoriesAt(repository, sha),
    );
    return dirs.map(dir =>
      directoryParams(dir, git.pathParamPrefix, git.values),
    );
  }
  const kind = Object.keys(generator).find(k => k !== 'selector') ?? 'unknown';
  throw new Error(`the sandbox does not run the ${kind} generator`);
}

/** fasttemplate with `{{` `}}`: a known parameter is replaced, an unknown one left as is. */
export function renderString(text: string, params: GeneratorParams): string {
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(params, key) ? params[key] : whole,
  );
}

function renderDeep<T>(value: T, params: GeneratorParams): T {
  if (typeof value === 'string') return renderString(value, params) as T;
  if (Array.isArray(value)) return value.map(v => renderDeep(v, params)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        renderString(k, params),
        renderDeep(v, params),
      ]),
    ) as T;
  }
  return value;
}

/**
 * The Application a set's template renders for one parameter set, owned by the set
 * (`SetControllerReference`), in the set's namespace.
 */
export function renderApplication(
  set: ApplicationSet,
  params: GeneratorParams,
): Application {
  const template = renderDeep(set.spec.template, params);
  return {
    metadata: {
      ...template.metadata,
      name: template.metadata.name,
      namespace: set.metadata.namespace ?? 'argocd',
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationSet',
          name: set.metadata.name ?? '',
          uid: set.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: template.spec,
  };
}
