import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readDurationMs } from '../config/readDurationMs';
import { TenantEntityCache } from '../tenancy/TenantEntityCache';
import { TenantResolver } from '../tenancy/TenantResolver';

/**
 * How long the shared cache remembers a User's or Group's tenant facts:
 * `gitops.backend.tenantCacheTtl` (a duration; default 60 s), or its deprecated
 * number-of-milliseconds alias `tenantCacheTtlMs`, the key the backend plugin always read.
 */
export function readTenantCacheTtlMs(
  config: Config,
  logger?: { warn(message: string): void },
): number | undefined {
  return readDurationMs(
    config.getOptionalConfig('gitops.backend'),
    'tenantCacheTtl',
    { path: 'gitops.backend', deprecatedMsKey: 'tenantCacheTtlMs', logger },
  );
}

/**
 * The one group cache of the tenant rules in a backend. Root-scoped so that every plugin
 * gets the same instance; it depends on nothing plugin-scoped (it holds catalog facts but
 * never reads the catalog itself; see {@link gitOpsTenantResolverServiceRef}).
 *
 * @public
 */
export const gitOpsTenantCacheServiceRef = createServiceRef<TenantEntityCache>({
  id: 'gitops.tenant-cache',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory: ({ config, logger }) =>
        new TenantEntityCache({ ttlMs: readTenantCacheTtlMs(config, logger) }),
    }),
});

/**
 * The tenant rules (`gitops.tenancy`) of the calling plugin, used by the gitops backend, the
 * scaffolder module, the search module and the portal's permission policy.
 *
 * Why two services: the rules read User and Group entities from the catalog with the
 * calling plugin's own service token, and tokens come from the plugin-scoped `auth` service,
 * which a root-scoped service cannot depend on. So this ref is plugin-scoped (one thin
 * resolver per plugin, carrying that plugin's `auth`, `userInfo` and catalog client), and
 * all of them share the root-scoped {@link gitOpsTenantCacheServiceRef}: a group read by one
 * plugin is not read again by another within the TTL, concurrent misses from different
 * plugins wait on one catalog request, and a miss is always read with a valid token of the
 * plugin that asked. The cache keeps raw facts (kind, origin, annotation), and each resolver
 * judges trust against `gitops.tenancy.trustedOrigins` itself.
 *
 * Replace the factory to change tenant membership for all four consumers at once (the
 * gitops plugin's `gitOpsTenancyExtensionPoint` changes only that plugin's routes).
 *
 * @public
 */
export const gitOpsTenantResolverServiceRef = createServiceRef<TenantResolver>({
  id: 'gitops.tenant-resolver',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        cache: gitOpsTenantCacheServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
      },
      factory: ({ config, cache, catalog, auth, userInfo }) =>
        TenantResolver.fromConfig(config, { cache, catalog, auth, userInfo }),
    }),
});
