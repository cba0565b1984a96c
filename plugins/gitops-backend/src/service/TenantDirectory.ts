import type { JsonObject } from '@backstage/types';
import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { TenantInfo, TenantsResponse } from '@kupe/plugin-gitops-common';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import {
  type ArgoCdClient,
  type ArgoCdService,
  type Cluster,
  type TenantResolver,
  globMatch,
} from '@kupe/plugin-gitops-node';

/**
 * What a caller may deploy to, per instance: their tenants' AppProjects (source repos) and
 * the registered clusters that are both named for the tenant and allowed by the project.
 * The source repos are the Git repositories a service's manifests may live in: a Helm chart
 * repository the tenant's apps take charts from is allowed by the project too, but is no place
 * for manifests, so it is left out.
 */
export class TenantDirectory {
  readonly #argoCd: ArgoCdService;
  readonly #index?: ApplicationIndex;
  readonly #tenants: TenantResolver;
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  readonly #ttlMs: number;

  constructor(options: {
    argoCd: ArgoCdService;
    /** Where the tenant's apps show which of its repositories are Helm chart repositories. */
    index?: ApplicationIndex;
    tenants: TenantResolver;
    cache: CacheService;
    logger: LoggerService;
    ttlMs: number;
  }) {
    this.#argoCd = options.argoCd;
    this.#index = options.index;
    this.#tenants = options.tenants;
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#ttlMs = options.ttlMs;
  }

  async list(credentials: BackstageCredentials): Promise<TenantsResponse> {
    const caller = await this.#tenants.getCallerTenants(credentials);
    const items: TenantInfo[] = [];
    await Promise.all(
      this.#argoCd.listInstances().map(async ({ name }) => {
        const client = this.#argoCd.forInstance(name);
        try {
          const tenants = caller.isAdmin
            ? await this.#allTenants(client)
            : [...caller.tenants];
          const infos = await Promise.all(
            tenants.map(t => this.#tenantInfo(client, t)),
          );
          items.push(...infos.filter((i): i is TenantInfo => !!i));
        } catch (error) {
          this.#logger.warn(
            `Listing tenants of instance ${name} failed: ${
              (error as Error).message
            }`,
          );
        }
      }),
    );
    items.sort(
      (a, b) =>
        a.name.localeCompare(b.name) || a.instance.localeCompare(b.instance),
    );
    return { items };
  }

  async #allTenants(client: ArgoCdClient): Promise<string[]> {
    const { items } = await client.listProjects();
    return (items ?? [])
      .map(p => this.#tenants.naming.tenantOfProject(p.metadata.name))
      .filter((t): t is string => !!t);
  }

  /** The repositories the project's apps take Helm charts from (`chart` sources). */
  #chartRepositories(instance: string, project: string): Set<string> {
    const charts = new Set<string>();
    if (!this.#index?.instances().includes(instance)) return charts;
    for (const app of this.#index.instance(instance).list()) {
      if (app.project !== project) continue;
      for (const source of app.sources ?? []) {
        if (source.chart) charts.add(source.repoURL);
      }
    }
    return charts;
  }

  async #tenantInfo(
    client: ArgoCdClient,
    tenant: string,
  ): Promise<TenantInfo | undefined> {
    const instance = client.instance.name;
    const key = `tenant-info:${instance}:${tenant}`;
    const cached = (await this.#cache.get(key)) as
      | { info: TenantInfo | null }
      | undefined;
    if (cached) return cached.info ?? undefined;

    const naming = this.#tenants.naming;
    const project = naming.projectOf(tenant);
    let info: TenantInfo | null = null;
    try {
      const [appProject, clusters] = await Promise.all([
        client.getProject(project, { tenant }),
        client.listClusters({ tenant }),
      ]);
      const destinations = appProject.spec.destinations ?? [];
      // An empty pattern or value is no rule, not a match.
      const field = (pattern?: string, value?: string) =>
        !!pattern && !!value && globMatch(pattern, value);
      const allowed = (c: Cluster) =>
        destinations.some(
          d => field(d.name, c.name) || field(d.server, c.server),
        );
      info = {
        name: tenant,
        project,
        instance,
        sourceRepos: (appProject.spec.sourceRepos ?? []).filter(
          repo => !this.#chartRepositories(instance, project).has(repo),
        ),
        clusters: (clusters.items ?? []).flatMap(c => {
          const short = naming.shortClusterOf(tenant, c.name);
          return short && allowed(c)
            ? [{ name: short, cluster: c.name, server: c.server }]
            : [];
        }),
      };
    } catch (error) {
      // The tenant simply has no project on this instance.
      if (
        !isError(error) ||
        !['NotFoundError', 'NotAllowedError'].includes(error.name)
      ) {
        throw error;
      }
    }
    // A JSON round trip drops undefined fields, which cache stores cannot hold.
    await this.#cache.set(
      key,
      JSON.parse(JSON.stringify({ info })) as JsonObject,
      {
        ttl: this.#ttlMs,
      },
    );
    return info ?? undefined;
  }
}
