import { posix } from 'node:path';
import { InputError } from '@backstage/errors';
import {
  type ChartChange,
  type ChartDependency,
  type ImageChange,
  type ImageVersion,
  type SourceLayout,
  canonicalJson,
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

interface DependencyNode {
  dependency: ChartDependency;
  /** The `version` scalar, for an in-place edit. */
  node: Scalar;
}

/** `dependencies` of a Chart.yaml, keyed by alias or name as Helm does; entries without a version are skipped. */
function chartDependencyNodes(content: string): DependencyNode[] {
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

/** What carrying a Helm chart's version into the next environment writes, or why it cannot. */
export interface ChartPromotion {
  /** Repository files and their new content. */
  writes: Record<string, string>;
  changes: ChartChange[];
  /** Why the chart version cannot be carried over safely; nothing is written then. */
  blocker?: string;
}

const dirOf = (file: string) => {
  const dir = posix.dirname(file);
  return dir === '.' ? '' : dir;
};

function describeChart(version: EnvironmentFiles): string {
  return [
    `version ${version.chartVersion ?? '(unset)'}`,
    ...(version.chartDependencies ?? []).map(d => `${d.name} ${d.version}`),
  ].join(', ');
}

const dependenciesOf = (chartYaml: string) =>
  canonicalJson(
    (parseDocument(chartYaml).toJS() as { dependencies?: unknown } | null)
      ?.dependencies ?? [],
  );

/**
 * Carries a Helm chart directory's version from one environment (`from`, at its deployed
 * revision) into the next (`to`, at the branch head), where that is well-defined:
 *
 * - One chart directory shared by both (per-environment `values-<env>.yaml`): nothing to
 *   write, but the next environment runs the chart at the branch head once promoted, so a
 *   head that differs from what `from` runs blocks the promotion.
 * - One chart directory per environment: the dependency versions of `Chart.yaml` (an umbrella
 *   chart) are set in place, and the chart's own `version` too when neither directory has
 *   templates of its own (otherwise the version is not the chart, and it blocks). A dependency
 *   missing or from another repository in `to` blocks; so do vendored `charts/` archives,
 *   and a `Chart.lock` that cannot become `from`'s (same dependencies) after the edit.
 */
export async function planChartPromotion(options: {
  from: EnvironmentFiles;
  fromTree: TreeReader;
  fromName: string;
  to: EnvironmentFiles;
  toTree: TreeReader;
  toName: string;
}): Promise<ChartPromotion> {
  const { from, to, fromName, toName } = options;
  const none: ChartPromotion = { writes: {}, changes: [] };
  if (from.layout !== 'helm' || !from.chartFile) return none;
  if (to.layout !== 'helm' || !to.chartFile) {
    return {
      ...none,
      blocker: `${toName} is not a Helm chart directory (${
        to.layout
      } layout): the chart of ${fromName} (${describeChart(
        from,
      )}) cannot be carried over`,
    };
  }
  if (from.chartFile === to.chartFile) {
    const same =
      from.chartVersion === to.chartVersion &&
      canonicalJson(from.chartDependencies ?? []) ===
        canonicalJson(to.chartDependencies ?? []);
    if (same) return none;
    return {
      ...none,
      blocker: `${toName} shares the chart ${
        from.chartFile
      } with ${fromName}: once promoted it runs the chart at the branch head (${describeChart(
        to,
      )}), not the one ${fromName} runs (${describeChart(
        from,
      )}); sync ${fromName} to the branch head first`,
    };
  }

  const fromDir = dirOf(from.chartFile);
  const toDir = dirOf(to.chartFile);
  const fromContent = (await options.fromTree.read(from.chartFile)) ?? '';
  const toContent = (await options.toTree.read(to.chartFile)) ?? '';
  const toDoc = parseDocument(toContent);
  const blockers: string[] = [];
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const changes: ChartChange[] = [];

  if (
    from.chartVersion !== undefined &&
    from.chartVersion !== to.chartVersion
  ) {
    const templates = async (tree: TreeReader, dir: string) =>
      (await tree.list(joinPath(dir, 'templates'))).length > 0;
    const node = toDoc.get('version', true);
    if (
      (await templates(options.fromTree, fromDir)) ||
      (await templates(options.toTree, toDir))
    ) {
      blockers.push(
        `${from.chartFile} (version ${from.chartVersion}) and ${
          to.chartFile
        } (version ${
          to.chartVersion ?? 'unset'
        }) are separate charts with templates of their own, so setting the version would not carry the chart over; change ${
          toDir || 'the chart'
        } in a commit of its own`,
      );
    } else if (isScalar(node)) {
      edits.push(scalarEdit(node, from.chartVersion));
      const name = toDoc.get('name');
      changes.push({
        kind: 'chart',
        name: typeof name === 'string' ? name : to.chartFile,
        ...(to.chartVersion !== undefined ? { from: to.chartVersion } : {}),
        to: from.chartVersion,
      });
    } else {
      blockers.push(`${to.chartFile} has no version to set`);
    }
  }

  const targets = chartDependencyNodes(toContent);
  let dependencyEdits = 0;
  for (const dependency of from.chartDependencies ?? []) {
    const target = targets.find(t => t.dependency.name === dependency.name);
    if (!target) {
      blockers.push(
        `dependency ${dependency.name} ${dependency.version} is not in ${to.chartFile}`,
      );
      continue;
    }
    const origin = (d: ChartDependency) =>
      `${d.chart} from ${d.repository ?? '(no repository)'}`;
    if (origin(target.dependency) !== origin(dependency)) {
      blockers.push(
        `dependency ${dependency.name} is ${origin(dependency)} in ${
          from.chartFile
        } but ${origin(target.dependency)} in ${to.chartFile}`,
      );
      continue;
    }
    if (target.dependency.version === dependency.version) continue;
    edits.push(scalarEdit(target.node, dependency.version));
    dependencyEdits += 1;
    changes.push({
      kind: 'dependency',
      name: dependency.name,
      from: target.dependency.version,
      to: dependency.version,
    });
  }

  const writes: Record<string, string> = {};
  if (edits.length > 0) writes[to.chartFile] = applyEdits(toContent, edits);
  if (dependencyEdits > 0) {
    const vendored = await options.toTree.list(joinPath(toDir, 'charts'));
    if (vendored.length > 0) {
      blockers.push(
        `${joinPath(toDir, 'charts')} holds vendored charts (${vendored
          .slice(0, 3)
          .join(
            ', ',
          )}) that only helm dependency update can rebuild, which a promotion does not run`,
      );
    }
    const toLock = joinPath(toDir, 'Chart.lock');
    if ((await options.toTree.read(toLock)) !== undefined) {
      const fromLock = await options.fromTree.read(
        joinPath(fromDir, 'Chart.lock'),
      );
      if (
        fromLock !== undefined &&
        dependenciesOf(writes[to.chartFile]) === dependenciesOf(fromContent)
      ) {
        // Same dependencies as `from`, so `from`'s lock (versions and digest) holds.
        writes[toLock] = fromLock;
      } else {
        blockers.push(
          `${toLock} pins the dependencies and ${fromName}'s lock does not fit them after the change (run helm dependency update in ${
            toDir || 'the chart'
          })`,
        );
      }
    }
  }
  if (blockers.length > 0) {
    return {
      writes: {},
      changes,
      blocker: `The chart version of ${fromName} (${describeChart(
        from,
      )}) cannot be carried over to ${toName} safely: ${blockers.join('; ')}`,
    };
  }
  return { writes, changes };
}
