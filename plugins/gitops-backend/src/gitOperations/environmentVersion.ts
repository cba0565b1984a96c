import { posix } from 'node:path';
import { InputError } from '@backstage/errors';
import type {
  ImageChange,
  ImageVersion,
  SourceLayout,
} from '@kupe/plugin-gitops-common';
import {
  type Document,
  type Node,
  type Scalar,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
} from 'yaml';

/** Where Argo CD reads one application's manifests (its `spec.source`). */
export interface ApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  /** Set for charts from a Helm repository (no Git path). */
  chart?: string;
  /** `helm.valueFiles`, relative to `path`. */
  valueFiles?: string[];
}

/** Read access to one tree of the repository (a revision, or the working copy). */
export interface TreeReader {
  read(file: string): Promise<string | undefined>;
  /** Files under `dir`, recursively, repository-relative. */
  list(dir: string): Promise<string[]>;
}

/** An environment's version and the files that hold it. */
export interface EnvironmentFiles {
  layout: SourceLayout;
  images: ImageVersion[];
  chartVersion?: string;
  chart?: string;
  /** The files a promotion into this environment edits. */
  versionFiles: string[];
}

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
const ENV_VALUES_FILE = /^values-.+\.ya?ml$/;
const MANIFEST_FILE = /\.ya?ml$/;

/** A source path as a repository-relative directory ('' for the root); refuses `..`. */
export function sourceDir(path: string | undefined): string {
  const raw = posix.normalize(path?.trim() || '.').replace(/\/+$/, '');
  const normalized = raw === '.' ? '' : raw;
  if (normalized.startsWith('/') || normalized.split('/').includes('..')) {
    throw new InputError(
      `Source path ${JSON.stringify(path)} leaves the repository`,
    );
  }
  return normalized;
}

const joinPath = (dir: string, file: string) =>
  posix.normalize(dir ? `${dir}/${file}` : file);

/** The app's value files as repository paths (those inside the repository). */
export function valueFilePaths(source: ApplicationSource): string[] {
  const dir = sourceDir(source.path);
  return (source.valueFiles ?? [])
    .map(file => joinPath(dir, file))
    .filter(file => !file.startsWith('..') && !file.startsWith('/'));
}

/** Splits `registry/name:tag@digest` into name and tag (tag '' when absent). */
export function parseImage(image: string): ImageVersion {
  const withoutDigest = image.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > withoutDigest.lastIndexOf('/')) {
    return {
      name: withoutDigest.slice(0, colon),
      tag: withoutDigest.slice(colon + 1),
    };
  }
  return { name: withoutDigest, tag: '' };
}

/** The text of a scalar as written, so `1.10` stays `1.10` and is not read as a number. */
function scalarText(content: string, node: Scalar): string {
  if (node.type === 'PLAIN' && node.range) {
    return content.slice(node.range[0], node.range[1]).trim();
  }
  return String(node.value);
}

async function detectLayout(
  source: ApplicationSource,
  tree: TreeReader,
): Promise<{ layout: SourceLayout; file?: string }> {
  if (source.chart) return { layout: 'helm-repository' };
  const dir = sourceDir(source.path);
  for (const name of KUSTOMIZATION_FILES) {
    const file = joinPath(dir, name);
    if ((await tree.read(file)) !== undefined)
      return { layout: 'kustomize', file };
  }
  if ((await tree.read(joinPath(dir, 'Chart.yaml'))) !== undefined) {
    return { layout: 'helm', file: joinPath(dir, 'Chart.yaml') };
  }
  const files = await plainManifestFiles(dir, tree);
  return { layout: files.length > 0 ? 'plain' : 'directory' };
}

// Argo CD reads a directory source non-recursively by default.
async function plainManifestFiles(
  dir: string,
  tree: TreeReader,
): Promise<string[]> {
  const prefix = dir ? `${dir}/` : '';
  return (await tree.list(dir)).filter(
    file =>
      file.startsWith(prefix) &&
      !file.slice(prefix.length).includes('/') &&
      MANIFEST_FILE.test(file),
  );
}

function kustomizeImages(content: string): ImageVersion[] {
  const doc = parseDocument(content);
  const images = doc.get('images', true);
  if (!isSeq(images)) return [];
  return images.items.flatMap(item => {
    if (!isMap(item)) return [];
    const name = item.get('name');
    const tag = item.get('newTag', true);
    if (typeof name !== 'string' || !isScalar(tag)) return [];
    return [{ name, tag: scalarText(content, tag) }];
  });
}

function helmImage(
  content: string,
): { repository?: string; tag?: string } | undefined {
  const doc = parseDocument(content);
  const tag = doc.getIn(['image', 'tag'], true);
  const repository = doc.getIn(['image', 'repository']);
  return {
    tag: isScalar(tag) ? scalarText(content, tag) : undefined,
    repository: typeof repository === 'string' ? repository : undefined,
  };
}

/** Container image scalars of every workload document in a manifest file. */
function containerImageNodes(doc: Document): Scalar[] {
  const spec = (path: string[]) => doc.getIn(path, true);
  const podSpecs = [
    ['spec', 'template', 'spec'],
    ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    ['spec'],
  ];
  const nodes: Scalar[] = [];
  for (const path of podSpecs) {
    for (const list of ['initContainers', 'containers']) {
      const containers = spec([...path, list]);
      if (!isSeq(containers)) continue;
      for (const container of containers.items) {
        const image = isMap(container) ? container.get('image', true) : null;
        if (isScalar(image) && typeof image.value === 'string')
          nodes.push(image);
      }
    }
    if (nodes.length > 0) break;
  }
  return nodes;
}

function plainImages(content: string): ImageVersion[] {
  return parseAllDocuments(content).flatMap(doc =>
    doc.errors.length === 0
      ? containerImageNodes(doc).map(n => parseImage(String(n.value)))
      : [],
  );
}

function dedupe(images: ImageVersion[]): ImageVersion[] {
  const seen = new Map<string, ImageVersion>();
  for (const image of images)
    if (!seen.has(image.name)) seen.set(image.name, image);
  return [...seen.values()];
}

/**
 * An environment's version as its files define it: kustomize `images[].newTag`, Helm
 * `image.tag` (value files override `values.yaml`, the last one wins) and `Chart.yaml`
 * version, or plain Deployment container images.
 */
export async function readEnvironmentVersion(
  source: ApplicationSource,
  tree: TreeReader,
): Promise<EnvironmentFiles> {
  const { layout, file } = await detectLayout(source, tree);
  const dir = sourceDir(source.path);
  switch (layout) {
    case 'helm-repository':
      return {
        layout,
        images: [],
        chart: source.chart,
        chartVersion: source.targetRevision,
        versionFiles: [],
      };
    case 'kustomize':
      return {
        layout,
        images: kustomizeImages((await tree.read(file!)) ?? ''),
        versionFiles: [file!],
      };
    case 'helm': {
      const chart = parseDocument((await tree.read(file!)) ?? '');
      const chartVersion = chart.get('version');
      const own = valueFilePaths(source);
      const layered = [joinPath(dir, 'values.yaml'), ...own];
      let tag: string | undefined;
      let repository: string | undefined;
      for (const valuesFile of layered) {
        const content = await tree.read(valuesFile);
        if (content === undefined) continue;
        const image = helmImage(content);
        tag = image?.tag ?? tag;
        repository = image?.repository ?? repository;
      }
      const chartName = chart.get('name');
      const envFile = own.filter(f => f !== joinPath(dir, 'values.yaml')).pop();
      return {
        layout,
        images: tag
          ? [
              {
                name:
                  repository ??
                  (typeof chartName === 'string' ? chartName : 'image'),
                tag,
              },
            ]
          : [],
        chartVersion:
          chartVersion === undefined || chartVersion === null
            ? undefined
            : String(chartVersion),
        versionFiles: envFile ? [envFile] : [],
      };
    }
    case 'plain': {
      const images: ImageVersion[] = [];
      const versionFiles: string[] = [];
      for (const manifest of await plainManifestFiles(dir, tree)) {
        const found = plainImages((await tree.read(manifest)) ?? '');
        if (found.length > 0) versionFiles.push(manifest);
        images.push(...found);
      }
      return { layout, images: dedupe(images), versionFiles };
    }
    default:
      return { layout, images: [], versionFiles: [] };
  }
}

// `1.10` or `true` written plain would read back as a number or a boolean: quote those.
function staysPlainString(value: string): boolean {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/.test(value)) return false;
  const parsed = parseDocument(value).contents;
  return isScalar(parsed) && parsed.value === value;
}

/** Replaces a scalar's text in place, keeping its quoting, so the rest stays byte for byte. */
function scalarEdit(
  node: Scalar,
  value: string,
): { start: number; end: number; text: string } {
  const [start, end] = node.range!;
  let text: string;
  if (node.type === 'QUOTE_SINGLE') {
    text = `'${value.replace(/'/g, "''")}'`;
  } else if (node.type === 'PLAIN' && staysPlainString(value)) {
    text = value;
  } else {
    text = JSON.stringify(value);
  }
  return { start, end, text };
}

function applyEdits(
  content: string,
  edits: Array<{ start: number; end: number; text: string }>,
): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce(
      (text, edit) =>
        text.slice(0, edit.start) + edit.text + text.slice(edit.end),
      content,
    );
}

/** What a promotion writes into one file, and the tag changes it makes. */
export interface FileEdit {
  content: string;
  changes: ImageChange[];
}

/**
 * Sets the tags of `images` in one version file of `layout`. Existing scalars are replaced
 * in place (comments, quoting and order kept); a missing kustomize entry or Helm `image.tag`
 * is added through the document API.
 */
export function setImageTags(
  layout: SourceLayout,
  content: string,
  images: ImageVersion[],
): FileEdit {
  const changes: ImageChange[] = [];
  const tagOf = (name: string) => images.find(i => i.name === name)?.tag;
  if (layout === 'kustomize') {
    const doc = parseDocument(content);
    const list = doc.get('images', true);
    const edits: Array<{ start: number; end: number; text: string }> = [];
    const missing = new Map(images.map(i => [i.name, i.tag]));
    if (isSeq(list)) {
      for (const item of list.items) {
        if (!isMap(item)) continue;
        const name = item.get('name');
        if (typeof name !== 'string' || !missing.has(name)) continue;
        const to = missing.get(name)!;
        missing.delete(name);
        const node = item.get('newTag', true);
        if (isScalar(node)) {
          const from = scalarText(content, node);
          if (from !== to) {
            edits.push(scalarEdit(node, to));
            changes.push({ name, from, to });
          }
        } else {
          // Added below through the document API.
          missing.set(name, to);
        }
      }
    }
    let result = applyEdits(content, edits);
    if (missing.size > 0) {
      const updated = parseDocument(result);
      let seq = updated.get('images', true) as Node | undefined;
      if (!isSeq(seq)) {
        updated.set('images', updated.createNode([]));
        seq = updated.get('images', true) as Node;
      }
      for (const [name, to] of missing) {
        const existing = isSeq(seq)
          ? seq.items.find(i => isMap(i) && i.get('name') === name)
          : undefined;
        if (isMap(existing)) existing.set('newTag', to);
        else if (isSeq(seq)) seq.add(updated.createNode({ name, newTag: to }));
        changes.push({ name, to });
      }
      result = updated.toString();
    }
    return { content: result, changes };
  }

  if (layout === 'helm') {
    const doc = parseDocument(content);
    const repository = doc.getIn(['image', 'repository']);
    const to =
      (typeof repository === 'string' ? tagOf(repository) : undefined) ??
      (images.length === 1 ? images[0].tag : undefined);
    if (to === undefined) return { content, changes };
    const name =
      typeof repository === 'string' ? repository : images[0]?.name ?? 'image';
    const node = doc.getIn(['image', 'tag'], true);
    if (isScalar(node)) {
      const from = scalarText(content, node);
      if (from === to) return { content, changes };
      return {
        content: applyEdits(content, [scalarEdit(node, to)]),
        changes: [{ name, from, to }],
      };
    }
    doc.setIn(['image', 'tag'], to);
    return { content: doc.toString(), changes: [{ name, to }] };
  }

  if (layout === 'plain') {
    const edits: Array<{ start: number; end: number; text: string }> = [];
    for (const doc of parseAllDocuments(content)) {
      if (doc.errors.length > 0) continue;
      for (const node of containerImageNodes(doc)) {
        const current = parseImage(String(node.value));
        const to = tagOf(current.name);
        if (to === undefined || current.tag === to) continue;
        edits.push(scalarEdit(node, `${current.name}:${to}`));
        if (!changes.some(c => c.name === current.name)) {
          changes.push({
            name: current.name,
            ...(current.tag ? { from: current.tag } : {}),
            to,
          });
        }
      }
    }
    return { content: applyEdits(content, edits), changes };
  }

  return { content, changes };
}

/**
 * Whether a repository file belongs to the application for a revert: it is under the
 * source path, and for a Helm chart directory shared by several environments it is not
 * another environment's `values-<env>.yaml`.
 */
export function isOwnFile(
  source: ApplicationSource,
  layout: SourceLayout,
  file: string,
): boolean {
  const dir = sourceDir(source.path);
  if (dir && !file.startsWith(`${dir}/`)) return false;
  if (layout !== 'helm') return true;
  const rest = dir ? file.slice(dir.length + 1) : file;
  if (rest.includes('/') || !ENV_VALUES_FILE.test(rest)) return true;
  return valueFilePaths(source).includes(file);
}

/** Short text of a version: image tags, else the chart version, else the revision. */
export function versionLabel(
  version: Pick<EnvironmentFiles, 'images' | 'chartVersion' | 'chart'>,
  revision?: string,
): string {
  if (version.images.length > 0) {
    return version.images
      .map(i => `${i.name.split('/').pop()}:${i.tag || 'latest'}`)
      .join(', ');
  }
  if (version.chartVersion) {
    return `${version.chart ?? 'chart'} ${version.chartVersion}`;
  }
  return revision ? revision.slice(0, 7) : 'unknown';
}
