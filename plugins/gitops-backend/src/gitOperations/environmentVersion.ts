import { posix } from 'node:path';
import { InputError } from '@backstage/errors';
import {
  type ChartDependency,
  type ImageVersion,
  type SourceLayout,
} from '@kupe/plugin-gitops-common';
import {
  type Document,
  type Scalar,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
} from 'yaml';
import type { PromotionLayoutReader } from '@kupe/plugin-gitops-node';
import { scalarText } from './yamlScalars';

/** Where Argo CD reads one application's manifests (its `spec.source`). */
export interface ApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  /** Set for charts from a Helm repository (no Git path). */
  chart?: string;
  /** `helm.valueFiles`, relative to `path` (repository paths for `helmChart`). */
  valueFiles?: string[];
  /** The Git revision the application runs, from its live status; absent if it never ran. */
  deployedRevision?: string;
  /**
   * Multi-source: the chart from a Helm repository that this Git source's value files
   * configure (`$values/...`); `repoURL` and `targetRevision` are then the Git source's.
   */
  helmChart?: {
    repoURL: string;
    chart: string;
    /** Index of the chart in `spec.sources`. */
    sourceIndex: number;
    /** The chart version that runs, else the one the Application asks for. */
    version?: string;
  };
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
  /** `custom` layout: the id of the reader (a module's) that recognised the files. */
  layoutReader?: string;
  images: ImageVersion[];
  chartVersion?: string;
  chart?: string;
  /** Helm chart directory: its `Chart.yaml`, repository-relative. */
  chartFile?: string;
  /** Helm chart directory: the `dependencies` of its `Chart.yaml` (an umbrella chart's versions). */
  chartDependencies?: ChartDependency[];
  /** The files a promotion into this environment edits (image tags). */
  versionFiles: string[];
}

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
const ENV_VALUES_FILE = /^values-.+\.ya?ml$/;
const MANIFEST_FILE = /\.ya?ml$/;

/**
 * An application that has never synced runs nothing: no history, no successful operation.
 * Its version is not the branch head (what it would run once synced), it is none.
 */
export function isNeverDeployed(app: {
  deployedRevision?: string;
  lastSyncedAt?: string;
}): boolean {
  return !app.deployedRevision && !app.lastSyncedAt;
}

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

export const joinPath = (dir: string, file: string) =>
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

async function detectLayout(
  source: ApplicationSource,
  tree: TreeReader,
): Promise<{ layout: SourceLayout; file?: string }> {
  if (source.chart || source.helmChart) return { layout: 'helm-repository' };
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
export function containerImageNodes(doc: Document): Scalar[] {
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

export interface DependencyNode {
  dependency: ChartDependency;
  /** The `version` scalar, for an in-place edit. */
  node: Scalar;
}

/** `dependencies` of a Chart.yaml, keyed by alias or name as Helm does; entries without a version are skipped. */
export function chartDependencyNodes(content: string): DependencyNode[] {
  const doc = parseDocument(content);
  if (doc.errors.length > 0) return [];
  const list = doc.get('dependencies', true);
  if (!isSeq(list)) return [];
  return list.items.flatMap(item => {
    if (!isMap(item)) return [];
    const chart = item.get('name');
    const alias = item.get('alias');
    const repository = item.get('repository');
    const version = item.get('version', true);
    if (typeof chart !== 'string' || !isScalar(version)) return [];
    return [
      {
        dependency: {
          name: typeof alias === 'string' && alias ? alias : chart,
          chart,
          version: scalarText(content, version),
          ...(typeof repository === 'string' ? { repository } : {}),
        },
        node: version,
      },
    ];
  });
}

/**
 * A chart from a Helm repository configured by value files in Git: the chart version the
 * app runs, and the image of its value files (the last one wins), which a promotion edits.
 */
async function helmValuesVersion(
  source: ApplicationSource,
  chart: NonNullable<ApplicationSource['helmChart']>,
  tree: TreeReader,
): Promise<EnvironmentFiles> {
  let tag: string | undefined;
  let repository: string | undefined;
  const present: string[] = [];
  for (const valuesFile of valueFilePaths(source)) {
    const content = await tree.read(valuesFile);
    if (content === undefined) continue;
    present.push(valuesFile);
    const image = helmImage(content);
    tag = image?.tag ?? tag;
    repository = image?.repository ?? repository;
  }
  return {
    layout: 'helm-repository',
    images: tag ? [{ name: repository ?? chart.chart, tag }] : [],
    chart: chart.chart,
    ...(chart.version ? { chartVersion: chart.version } : {}),
    versionFiles: present.slice(-1),
  };
}

/**
 * An environment's version as its files define it: the first of `readers` (a module's, see
 * `gitOpsPromotionLayoutExtensionPoint`) that recognises them, else kustomize
 * `images[].newTag`, Helm `image.tag` (value files override `values.yaml`, the last one
 * wins) and `Chart.yaml` version, or plain Deployment container images. A chart from a Helm
 * repository is read from the Application, never by a reader.
 */
export async function readEnvironmentVersion(
  source: ApplicationSource,
  tree: TreeReader,
  readers: readonly PromotionLayoutReader[] = [],
): Promise<EnvironmentFiles> {
  if (!source.chart && !source.helmChart) {
    const readerSource = { ...source, path: sourceDir(source.path) };
    for (const reader of readers) {
      if (!(await reader.recognizes(readerSource, tree))) continue;
      const { images, versionFiles } = await reader.readVersion(
        readerSource,
        tree,
      );
      return {
        layout: 'custom',
        layoutReader: reader.id,
        images: dedupe(images),
        versionFiles: [...new Set(versionFiles)],
      };
    }
  }
  const { layout, file } = await detectLayout(source, tree);
  const dir = sourceDir(source.path);
  switch (layout) {
    case 'helm-repository':
      if (source.helmChart)
        return helmValuesVersion(source, source.helmChart, tree);
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
      const chartContent = (await tree.read(file!)) ?? '';
      const chart = parseDocument(chartContent);
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
        chartFile: file,
        chartDependencies: chartDependencyNodes(chartContent).map(
          d => d.dependency,
        ),
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
  // A chart from a Helm repository with values from Git owns its value files only.
  if (source.helmChart) return valueFilePaths(source).includes(file);
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
