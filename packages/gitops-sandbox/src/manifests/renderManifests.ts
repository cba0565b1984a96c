import { posix } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { GitRepository } from '@kupe/plugin-gitops-node';
import type { KubernetesObject } from './KubernetesObject';

export type SourceType = 'Directory' | 'Kustomize' | 'Helm';

export interface RenderedSource {
  sourceType: SourceType;
  objects: KubernetesObject[];
}

export interface RenderOptions {
  /** Default namespace of objects that set none (the app's destination namespace). */
  namespace?: string;
  /** `spec.source.helm.valueFiles`, relative to the chart. */
  helmValueFiles?: string[];
  releaseName?: string;
}

type Values = Record<string, unknown>;

function parseObjects(text: string, file: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map(doc => {
      if (doc.errors.length)
        throw new Error(`${file}: ${doc.errors[0].message}`);
      return doc.toJS() as KubernetesObject | null;
    })
    .filter((o): o is KubernetesObject => Boolean(o?.kind && o.metadata?.name));
}

function isYaml(file: string): boolean {
  return /\.ya?ml$/.test(file);
}

function deepMerge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      b &&
      typeof b === 'object' &&
      !Array.isArray(b)
        ? deepMerge(b as Values, v as Values)
        : v;
  }
  return out;
}

function lookup(values: Values, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Values)[k] : undefined),
      values,
    );
}

/**
 * What Argo CD's repo-server would generate for a source, simplified to what the sandbox's
 * repositories use: a plain directory of YAML (not recursive, as Argo CD's default), a
 * Kustomize directory (`resources:`, `images:` with newName/newTag, `namespace:`), or a Helm
 * chart whose templates only substitute `{{ .Values.x.y }}` and `{{ .Release.Name }}`.
 */
export async function renderManifests(
  repo: GitRepository,
  sha: string,
  path: string,
  options: RenderOptions = {},
): Promise<RenderedSource> {
  const dir = posix
    .normalize(path.replace(/^\/+/, '') || '.')
    .replace(/\/$/, '');
  const files = new Set(await repo.listFiles(sha, dir === '.' ? [] : [dir]));
  const inDir = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  let rendered: RenderedSource;
  if (files.has(inDir('kustomization.yaml'))) {
    rendered = {
      sourceType: 'Kustomize',
      objects: await renderKustomize(repo, sha, dir, 0),
    };
  } else if (files.has(inDir('Chart.yaml'))) {
    rendered = {
      sourceType: 'Helm',
      objects: await renderHelm(repo, sha, dir, files, options),
    };
  } else {
    const direct = [...files].filter(
      f => isYaml(f) && posix.dirname(f) === dir,
    );
    const objects: KubernetesObject[] = [];
    for (const f of direct.sort())
      objects.push(...parseObjects(await requiredFile(repo, sha, f), f));
    rendered = { sourceType: 'Directory', objects };
  }
  for (const o of rendered.objects) {
    if (!o.metadata.namespace && options.namespace)
      o.metadata.namespace = options.namespace;
  }
  return rendered;
}

/** A file the source needs; a missing one fails the render, as it fails Argo CD's. */
async function requiredFile(
  repo: GitRepository,
  sha: string,
  path: string,
): Promise<string> {
  const text = await repo.readTextFile(sha, path);
  if (text === undefined) throw new Error(`${path}: no such file`);
  return text;
}

async function renderKustomize(
  repo: GitRepository,
  sha: string,
  dir: string,
  depth: number,
): Promise<KubernetesObject[]> {
  if (depth > 10) throw new Error(`kustomization nesting too deep at ${dir}`);
  const kustomization = (parseYaml(
    await requiredFile(repo, sha, `${dir}/kustomization.yaml`),
  ) ?? {}) as {
    resources?: string[];
    namespace?: string;
    images?: Array<{ name: string; newName?: string; newTag?: string }>;
  };
  const objects: KubernetesObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = posix.normalize(posix.join(dir, resource));
    const files = await repo.listFiles(sha, [target]);
    if (files.includes(`${target}/kustomization.yaml`)) {
      objects.push(...(await renderKustomize(repo, sha, target, depth + 1)));
    } else {
      objects.push(
        ...parseObjects(await requiredFile(repo, sha, target), target),
      );
    }
  }
  for (const o of objects) {
    if (kustomization.namespace) o.metadata.namespace = kustomization.namespace;
    const containers =
      (
        o.spec as
          | { template?: { spec?: { containers?: Array<{ image?: string }> } } }
          | undefined
      )?.template?.spec?.containers ?? [];
    for (const c of containers) {
      const [name, tag] = (c.image ?? '').split(/:(?=[^:/]+$)/);
      const rule = kustomization.images?.find(i => i.name === name);
      if (rule)
        c.image = `${rule.newName ?? name}:${rule.newTag ?? tag ?? 'latest'}`;
    }
  }
  return objects;
}

async function renderHelm(
  repo: GitRepository,
  sha: string,
  dir: string,
  files: Set<string>,
  options: RenderOptions,
): Promise<KubernetesObject[]> {
  const valueTexts: string[] = [];
  for (const f of ['values.yaml', ...(options.helmValueFiles ?? [])]) {
    const file = posix.join(dir, f);
    if (files.has(file)) valueTexts.push(await requiredFile(repo, sha, file));
    else if (f !== 'values.yaml')
      throw new Error(`${file}: no such file or directory`);
  }
  const templates = new Map<string, string>();
  for (const f of files) {
    if (posix.dirname(f) === `${dir}/templates` && isYaml(f))
      templates.set(f, await requiredFile(repo, sha, f));
  }
  return renderHelmTemplates(
    templates,
    valueTexts,
    options.releaseName ?? posix.basename(dir),
  );
}

/**
 * Helm's rendering, simplified as {@link renderManifests} says: the value files merged in
 * order (later wins, maps merged deeply), then every template (by path) with
 * `{{ .Values.x.y }}` and `{{ .Release.Name }}` substituted.
 */
export function renderHelmTemplates(
  templates: ReadonlyMap<string, string>,
  valueTexts: readonly string[],
  release: string,
): KubernetesObject[] {
  const values = valueTexts.reduce<Values>(
    (merged, text) => deepMerge(merged, (parseYaml(text) ?? {}) as Values),
    {},
  );
  const objects: KubernetesObject[] = [];
  for (const t of [...templates.keys()].sort()) {
    const text = templates
      .get(t)!
      .replace(
        /\{\{-?\s*\.(Values|Release)\.([A-Za-z0-9_.]+)\s*-?\}\}/g,
        (_, scope: string, path: string) => {
          if (scope === 'Release') return path === 'Name' ? release : '';
          const v = lookup(values, path);
          return v === undefined || v === null ? '' : String(v);
        },
      );
    objects.push(...parseObjects(text, t));
  }
  return objects;
}
