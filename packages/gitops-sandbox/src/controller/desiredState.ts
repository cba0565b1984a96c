import { posix } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type {
  Application,
  ApplicationSource,
  GitRepository,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdApiError,
  GrpcCode,
  type HelmChartCatalog,
} from '@kupe/plugin-gitops-node-test-utils';
import type { KubernetesObject } from '../manifests/KubernetesObject';
import {
  type RenderedSource,
  type SourceType,
  renderHelmTemplates,
} from '../manifests/renderManifests';
import type { CachedRenderer } from './CachedRenderer';

/** A Helm chart repository the controller pulls charts from. */
export interface ChartRepository {
  /** Versions and `Chart.yaml` details, for ranges and `chartdetails`. */
  readonly catalog: HelmChartCatalog;
  /** A chart version's files relative to its directory; undefined when not published. */
  chartFiles(
    repoURL: string,
    chart: string,
    version: string,
  ): ReadonlyMap<string, string> | undefined;
}

/** What an app's sources render to at resolved revisions. */
export interface DesiredState {
  /** One resolved revision per source, in source order (a chart's is its version). */
  revisions: string[];
  rendered: RenderedSource;
  /** `status.sourceTypes` of a multi-source app: `''` for a source that only lends its files. */
  sourceTypes: string[];
}

/** The sources (and revisions) a comparison or a sync renders; the spec's by default. */
export interface DesiredRequest {
  revision?: string;
  revisions?: string[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
}

// `$values/envs/dev/values.yaml`: a file of the source whose `ref` is `values`.
const REF_FILE = /^\$([A-Za-z0-9_-]+)\/(.+)$/;

/** `spec.GetSources()`: a multi-source app's sources, or its one source. */
export function sourcesOf(app: Application): ApplicationSource[] {
  if (app.spec.sources?.length) return app.spec.sources;
  return app.spec.source ? [app.spec.source] : [];
}

export function isMultiSource(app: Application): boolean {
  return Boolean(app.spec.sources?.length);
}

function isRefOnly(source: ApplicationSource): boolean {
  return Boolean(source.ref) && !source.path && !source.chart;
}

/**
 * The repo-server half of the sandbox: resolves each source's revision (a branch, tag or SHA
 * with `git rev-parse`; a chart version or semver range against the Helm repository's index)
 * and renders what the sources hold there. A multi-source app renders as Argo CD renders it:
 * every source but a ref-only one (`ref` without `path` or `chart`, which only lends its files
 * to the others as `$<ref>/...`), the objects of all sources together.
 */
export class SourceRenderer {
  constructor(
    private readonly resolveRepository: (
      repoURL: string,
    ) => GitRepository | undefined,
    private readonly renderer: CachedRenderer,
    private readonly charts: ChartRepository,
  ) {}

  /** The revision a source resolves to; throws Argo CD's error when it cannot. */
  async resolve(source: ApplicationSource, revision: string): Promise<string> {
    if (source.chart) {
      try {
        return this.charts.catalog.resolve(
          source.repoURL,
          source.chart,
          revision,
        );
      } catch (e) {
        throw new ArgoCdApiError(
          GrpcCode.FailedPrecondition,
          `error resolving repo revision: ${(e as Error).message}`,
        );
      }
    }
    const repo = this.resolveRepository(source.repoURL);
    if (!repo)
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        `repository not accessible: ${source.repoURL}`,
      );
    const sha = await repo.resolve(revision);
    if (!sha)
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        `unable to resolve '${revision}' to a commit SHA`,
      );
    return sha;
  }

  /** Resolves and renders the app's sources (or the request's) at the request's revisions. */
  async desired(
    app: Application,
    request: DesiredRequest = {},
  ): Promise<DesiredState> {
    const multi = isMultiSource(app);
    const sources = multi
      ? request.sources ?? sourcesOf(app)
      : [request.source ?? app.spec.source].filter(
          (s): s is ApplicationSource => Boolean(s),
        );
    if (sources.length === 0) throw new Error('application has no source');
    const requested = multi ? request.revisions ?? [] : [request.revision];
    const revisions: string[] = [];
    for (const [i, source] of sources.entries()) {
      revisions.push(
        await this.resolve(
          source,
          requested[i] || source.targetRevision || 'HEAD',
        ),
      );
    }
    const objects: KubernetesObject[] = [];
    const sourceTypes: string[] = [];
    for (const [i, source] of sources.entries()) {
      if (multi && isRefOnly(source)) {
        sourceTypes.push('');
        continue;
      }
      const rendered = source.chart
        ? await this.#renderChart(app, source, revisions[i], sources, revisions)
        : await this.renderer.render(app, revisions[i], source);
      sourceTypes.push(rendered.sourceType);
      objects.push(...rendered.objects);
    }
    return {
      revisions,
      rendered: {
        sourceType: (sourceTypes.find(Boolean) ?? 'Directory') as SourceType,
        objects,
      },
      sourceTypes,
    };
  }

  /** A chart from a Helm repository, with value files of the chart or of `$<ref>` sources. */
  async #renderChart(
    app: Application,
    source: ApplicationSource,
    version: string,
    sources: ApplicationSource[],
    revisions: string[],
  ): Promise<RenderedSource> {
    const files = this.charts.chartFiles(
      source.repoURL,
      source.chart!,
      version,
    );
    if (!files)
      throw new Error(
        `failed to get chart ${source.chart} version ${version} from ${source.repoURL}: not found`,
      );
    const valueTexts: string[] = [];
    if (files.has('values.yaml')) valueTexts.push(files.get('values.yaml')!);
    for (const file of source.helm?.valueFiles ?? []) {
      valueTexts.push(await this.#valueFile(file, files, sources, revisions));
    }
    if (source.helm?.values) valueTexts.push(source.helm.values);
    if (source.helm?.valuesObject)
      valueTexts.push(stringifyYaml(source.helm.valuesObject));
    const templates = new Map(
      [...files].filter(
        ([path]) =>
          posix.dirname(path) === 'templates' && /\.ya?ml$/.test(path),
      ),
    );
    const objects = renderHelmTemplates(
      templates,
      valueTexts,
      source.helm?.releaseName ?? app.metadata.name ?? source.chart!,
    );
    for (const o of objects) {
      o.metadata.namespace =
        o.metadata.namespace ?? app.spec.destination.namespace;
    }
    return { sourceType: 'Helm', objects };
  }

  async #valueFile(
    file: string,
    chartFiles: ReadonlyMap<string, string>,
    sources: ApplicationSource[],
    revisions: string[],
  ): Promise<string> {
    const ref = REF_FILE.exec(file);
    if (!ref) {
      const text = chartFiles.get(posix.normalize(file));
      if (text === undefined)
        throw new Error(`${file}: no such file or directory`);
      return text;
    }
    const index = sources.findIndex(s => s.ref === ref[1]);
    const repo =
      index >= 0 ? this.resolveRepository(sources[index].repoURL) : undefined;
    if (!repo)
      throw new Error(
        `source referenced ${JSON.stringify(
          `$${ref[1]}`,
        )}, but no source has a 'ref' field with that name`,
      );
    const path = posix.normalize(ref[2]);
    if (path.startsWith('..'))
      throw new Error(`value file ${file} resolved outside its repository`);
    const text = await repo.readTextFile(revisions[index], path);
    if (text === undefined)
      throw new Error(`${file}: no such file or directory`);
    return text;
  }
}

/**
 * Where a sync's revisions go, as Argo CD's controller writes them: for a multi-source app
 * `revisions` + `sources` (the sync result's `revision` empty), else `revision` + `source`.
 */
export function syncedRevisions(
  app: Application,
  desired: DesiredState,
  request: DesiredRequest = {},
) {
  if (isMultiSource(app)) {
    const sources = request.sources ?? app.spec.sources!;
    const revisions = desired.revisions;
    return {
      operation: { revisions },
      result: { revision: '', revisions, sources },
      history: { revisions, sources },
    };
  }
  const revision = desired.revisions[0];
  const source = request.source ?? app.spec.source;
  return {
    operation: { revision },
    result: { revision, source },
    history: { revision, source },
  };
}
