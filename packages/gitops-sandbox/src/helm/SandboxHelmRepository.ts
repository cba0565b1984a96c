import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as stringifyYaml } from 'yaml';
import type {
  GitHubFake,
  HelmChartCatalog,
} from '@kupe/plugin-gitops-node-test-utils';
import { requestToken } from '../server/rawFiles';
import { packTarGz, unpackTarGz } from './tarball';

/** One chart version to publish: its `Chart.yaml` fields and the files beside it. */
export interface SandboxChart {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  home?: string;
  maintainers?: Array<{ name: string; email?: string }>;
  /** `values.yaml`, `templates/*.yaml`, ... relative to the chart's directory. */
  files: Record<string, string>;
  /** When it was packaged: `created` in the index and the archive's file times. */
  created: Date;
}

interface PackagedChart {
  chart: SandboxChart;
  file: string;
  archive: Buffer;
  digest: string;
}

const TENANT = /^[a-z0-9][a-z0-9-]*$/;
const ARCHIVE = /^[A-Za-z0-9][A-Za-z0-9_.-]*\.tgz$/;

function chartYaml(chart: SandboxChart): string {
  return stringifyYaml({
    apiVersion: 'v2',
    name: chart.name,
    description: chart.description,
    type: 'application',
    version: chart.version,
    appVersion: chart.appVersion,
    home: chart.home,
    maintainers: chart.maintainers,
  });
}

/**
 * The sandbox's Helm chart repositories, one per tenant at `<origin>/helm/<tenant>`, laid out
 * as `helm repo add` expects: `index.yaml` (apiVersion v1, `entries` by chart, newest version
 * first, each with its `digest` and absolute `urls`) and each version packaged as
 * `<name>-<version>.tgz` (a gzipped tar of `<name>/Chart.yaml`, `values.yaml`, `templates/`).
 * Publishing a version also lists it in the controller's {@link HelmChartCatalog}, which
 * resolves `targetRevision` ranges and answers `chartdetails`; the controller renders a chart
 * from the archive served here, as the repo-server renders what it pulled.
 */
export class SandboxHelmRepository {
  readonly #baseUrl: string;
  readonly #charts = new Map<string, PackagedChart[]>();
  readonly #unpacked = new Map<string, Map<string, string>>();

  /** Where published versions are listed for the controller (ranges, `chartdetails`). */
  readonly catalog: HelmChartCatalog;

  constructor(baseUrl: string, catalog: HelmChartCatalog) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.catalog = catalog;
  }

  /** The repository URL of a tenant's charts, as an Application's `repoURL` names it. */
  urlOf(tenant: string): string {
    return `${this.#baseUrl}/helm/${tenant}`;
  }

  #tenantOf(repoURL: string): string | undefined {
    const prefix = `${this.#baseUrl}/helm/`;
    const tenant = repoURL.replace(/\/+$/, '').slice(prefix.length);
    return repoURL.startsWith(prefix) && TENANT.test(tenant)
      ? tenant
      : undefined;
  }

  /** Packages a chart version and adds it to the tenant's index. */
  publish(tenant: string, chart: SandboxChart): void {
    if (!TENANT.test(tenant)) throw new Error(`invalid tenant ${tenant}`);
    const files: Record<string, string> = {
      [`${chart.name}/Chart.yaml`]: chartYaml(chart),
    };
    for (const [path, content] of Object.entries(chart.files))
      files[`${chart.name}/${path}`] = content;
    const archive = packTarGz(files, chart.created);
    const packaged: PackagedChart = {
      chart,
      file: `${chart.name}-${chart.version}.tgz`,
      archive,
      digest: createHash('sha256').update(archive).digest('hex'),
    };
    const list = (this.#charts.get(tenant) ?? []).filter(
      c => c.chart.name !== chart.name || c.chart.version !== chart.version,
    );
    this.#charts.set(tenant, [...list, packaged]);
    this.catalog.add(this.urlOf(tenant), chart.name, {
      version: chart.version,
      appVersion: chart.appVersion,
      description: chart.description,
      home: chart.home,
      maintainers: chart.maintainers?.map(m =>
        m.email ? `${m.name} <${m.email}>` : m.name,
      ),
    });
  }

  /** The tenant's `index.yaml`, as `helm repo index` writes it. */
  indexYaml(tenant: string): string {
    const entries: Record<string, unknown[]> = {};
    const sorted = [...(this.#charts.get(tenant) ?? [])].sort((a, b) =>
      b.chart.version.localeCompare(a.chart.version, 'en', { numeric: true }),
    );
    for (const { chart, file, digest } of sorted) {
      (entries[chart.name] = entries[chart.name] ?? []).push({
        apiVersion: 'v2',
        appVersion: chart.appVersion,
        created: chart.created.toISOString(),
        description: chart.description,
        digest,
        home: chart.home,
        maintainers: chart.maintainers,
        name: chart.name,
        type: 'application',
        urls: [`${this.urlOf(tenant)}/${file}`],
        version: chart.version,
      });
    }
    const generated = sorted.reduce(
      (latest, c) => (c.chart.created > latest ? c.chart.created : latest),
      new Date(0),
    );
    return stringifyYaml({
      apiVersion: 'v1',
      entries,
      generated: generated.toISOString(),
    });
  }

  /**
   * The files of a chart version in the repository at `repoURL`, relative to the chart's
   * directory, read from its packaged archive; undefined when the repository has no such
   * version (the repo-server's "chart not found").
   */
  chartFiles(
    repoURL: string,
    chart: string,
    version: string,
  ): Map<string, string> | undefined {
    const tenant = this.#tenantOf(repoURL);
    const packaged = tenant
      ? this.#charts
          .get(tenant)
          ?.find(c => c.chart.name === chart && c.chart.version === version)
      : undefined;
    if (!packaged) return undefined;
    const key = `${tenant}/${packaged.file}`;
    let files = this.#unpacked.get(key);
    if (!files) {
      files = new Map();
      for (const [path, content] of unpackTarGz(packaged.archive)) {
        if (path.startsWith(`${chart}/`))
          files.set(path.slice(chart.length + 1), content.toString('utf8'));
      }
      this.#unpacked.set(key, files);
    }
    return files;
  }

  /**
   * `GET|HEAD /helm/<tenant>/index.yaml` and `/helm/<tenant>/<chart>-<version>.tgz`
   * (`pathInfo` is the path below `/helm`). A tenant's charts are private like its
   * repositories: a token (HTTP Basic password, as `helm repo add --password` sends it, or
   * `Authorization: token|Bearer`) of someone who may read `<tenant>/gitops`; anyone else gets
   * 401 without credentials and 404 otherwise.
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    github: GitHubFake,
    pathInfo: string,
  ): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const [, tenant, file, ...rest] = pathInfo.split('/');
    const token = requestToken(req.headers.authorization);
    const login = token === undefined ? undefined : github.loginOfToken(token);
    if (!login) {
      res
        .writeHead(401, { 'www-authenticate': 'Basic realm="Helm repository"' })
        .end();
      return;
    }
    const packaged =
      file && ARCHIVE.test(file)
        ? this.#charts.get(tenant ?? '')?.find(c => c.file === file)
        : undefined;
    const found =
      rest.length === 0 &&
      TENANT.test(tenant ?? '') &&
      this.#charts.has(tenant!) &&
      (file === 'index.yaml' || packaged) &&
      github.repositoryPermission(login, `${tenant}/gitops`);
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const body = packaged
      ? packaged.archive
      : Buffer.from(this.indexYaml(tenant!));
    res.writeHead(200, {
      'content-type': packaged ? 'application/gzip' : 'application/x-yaml',
      'content-length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
