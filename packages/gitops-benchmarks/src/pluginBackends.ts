import type { AddressInfo } from 'node:net';
import {
  type BackendFeature,
  type LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  type CompoundEntityRef,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { setTimeout as sleep } from 'node:timers/promises';
import communityArgoCdPlugin from '@backstage-community/plugin-argocd-backend';
import gitOpsPlugin, {
  DEFAULT_BACKEND_OPTIONS,
} from '@kupe/plugin-gitops-backend';
import {
  ARGOCD_APP_SELECTOR_ANNOTATION,
  KUBERNETES_ID_LABEL,
} from '@kupe/plugin-gitops-common';
import type { JsonObject } from '@backstage/types';
import {
  TEST_IDENTITY_ORIGIN,
  buildGroup,
} from '@kupe/plugin-gitops-node-test-utils';
import roadieArgoCdPlugin from '@roadiehq/backstage-plugin-argo-cd-backend';
import { floorPlugin } from './floorBackend';
import type {
  ArgoInstance,
  BackendId,
  Component,
  PluginBackend,
  PluginId,
} from './types';
import { processCpuMs, settledMemory } from './types';

/** The label selector every component is annotated with. */
export const selectorOf = (component: Component) =>
  `${KUBERNETES_ID_LABEL}=${component.name}`;

/** The signed-in user viewing a component: a developer of its tenant. */
export const viewerOf = (component: Component) =>
  `user:default/${component.tenant}-dev`;

export const authorizationOf = (component: Component) =>
  mockCredentials.user.header(viewerOf(component));

const teamOf = (tenant: string) => `group:default/${tenant}-team`;

/** The catalog of a scenario: per tenant a team group, and every component it owns. */
export function catalogEntities(components: Component[]): Entity[] {
  const entities: Entity[] = [];
  for (const tenant of new Set(components.map(c => c.tenant))) {
    // From the identity provider's location, which Kupe's tenancy trusts (trustedOrigins).
    entities.push(buildGroup(`${tenant}-team`, { tenant }));
  }
  for (const component of components) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: component.name,
        namespace: 'default',
        annotations: {
          [ARGOCD_APP_SELECTOR_ANNOTATION]: selectorOf(component),
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: teamOf(component.tenant),
      },
    });
  }
  return entities;
}

/**
 * A service whose every method answers `latencyMs` later, as a service behind the network
 * does: the catalog and the permission backend are separate services in production (their
 * own plugins, reached over HTTP), so each call pays the same latency the Argo CD doubles add.
 */
export function withLatency<T extends object>(
  service: T,
  latencyMs: number,
): T {
  if (latencyMs <= 0) return service;
  return new Proxy(service, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await sleep(latencyMs);
        return value.apply(target, args);
      };
    },
  });
}

/** An allow-all permission service; each call is one round trip to the permission backend. */
function allowAllPermissions(latencyMs: number) {
  // Each decision carries its request, as the permission client's do (callers match on it).
  const allow = async (requests: object[]) =>
    requests.map(request => ({ ...request, result: AuthorizeResult.ALLOW }));
  return withLatency(
    {
      authorize: allow,
      authorizeConditional: allow,
    },
    latencyMs,
  );
}

/**
 * The in-memory catalog with lookups by ref from a map, as the real catalog answers them
 * from an indexed table (the test double rebuilds its ref map on every call).
 */
function indexedCatalog(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  const lookup = (ref: string | CompoundEntityRef) =>
    byRef.get(
      stringifyEntityRef(
        typeof ref === 'string' ? parseEntityRef(ref) : ref,
      ).toLocaleLowerCase('en-US'),
    );
  catalog.getEntityByRef = async ref => lookup(ref);
  catalog.getEntitiesByRefs = async request => ({
    items: request.entityRefs.map(ref => lookup(ref)),
  });
  return catalog;
}

function quietLogger(prefix: string): LoggerService {
  const logger: LoggerService = {
    error: message => process.stderr.write(`[${prefix}] ${message}\n`),
    warn: message => process.stderr.write(`[${prefix}] ${message}\n`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

export interface BackendOptions {
  instances: ArgoInstance[];
  components: Component[];
  /** Latency of every catalog and permission call (the Argo CD doubles add the same). */
  latencyMs: number;
  /**
   * Time compression of the open-portal hour: every interval of the plugin's configuration
   * divided by it (1: the product defaults).
   */
  timeFactor?: number;
}

const scaled = (ms: number, factor: number) =>
  Math.max(1, Math.round(ms / factor));

/**
 * Each plugin's own configuration of the same instances (read from its config.d.ts), with
 * the product defaults: Kupe's request timeout (15 s), index listing timeout (120 s; a timeout,
 * not an interval, so never divided) and index wait (10 s) as shipped, and
 * rollout validation on. With a time factor, Kupe's intervals (its defaults,
 * `DEFAULT_BACKEND_OPTIONS`: index relist 10 min, liveness listing 30 s and its confirmation
 * 3 s, stale mark, reconnect backoff, event heartbeats, tenant cache lifetimes; and the
 * validation ticks) are divided by it; the peers have no interval on the backend.
 */
function configOf(
  plugin: PluginId,
  instances: ArgoInstance[],
  timeFactor = 1,
): JsonObject {
  if (plugin === 'kupe') {
    const ms = (defaultMs: number) => ({
      milliseconds: scaled(defaultMs, timeFactor),
    });
    const d = DEFAULT_BACKEND_OPTIONS;
    return {
      gitops: {
        instances: instances.map(i => ({
          name: i.name,
          url: i.url,
          token: i.token,
        })),
        tenancy: {
          projectPattern: 'tenant-{tenant}',
          clusterPattern: '{tenant}-{cluster}',
          trustedOrigins: [TEST_IDENTITY_ORIGIN],
        },
        ...(timeFactor === 1
          ? {}
          : {
              backend: {
                index: {
                  resyncInterval: ms(d.resyncIntervalMs),
                  staleAfter: ms(d.staleAfterMs),
                  initialBackoff: ms(d.initialBackoffMs),
                  maxBackoff: ms(d.maxBackoffMs),
                  livenessCheckInterval: ms(d.livenessCheckIntervalMs),
                  livenessConfirm: ms(d.livenessConfirmMs),
                },
                eventsHeartbeat: ms(d.eventsHeartbeatMs),
                tenantCacheTtl: ms(d.tenantCacheTtlMs),
                tenantsCacheTtl: ms(d.tenantsCacheTtlMs),
              },
              validation: {
                checkInterval: ms(60_000),
                tickInterval: ms(5_000),
              },
            }),
      },
    };
  }
  // Roadie and the community backend read the same `argocd.appLocatorMethods` shape.
  return {
    argocd: {
      appLocatorMethods: [
        {
          type: 'config',
          instances: instances.map(i => ({
            name: i.name,
            url: i.url,
            token: i.token,
          })),
        },
      ],
    },
  };
}

const PLUGIN_FEATURES: Record<PluginId, BackendFeature> = {
  kupe: gitOpsPlugin,
  roadie: roadieArgoCdPlugin,
  community: communityArgoCdPlugin,
};

/**
 * Starts one plugin in a real Backstage backend (`startTestBackend`: the default HTTP server,
 * auth middleware and mock user tokens) on an ephemeral port. Every plugin gets the same
 * catalog, the same signed-in users (a developer of each tenant, member of its team) and an
 * allow-all permission policy, both answering after the same latency as Argo CD; each reads
 * its own config of the same Argo CD instances.
 */
export async function startPluginBackend(
  plugin: BackendId,
  options: BackendOptions,
): Promise<PluginBackend> {
  if (plugin === 'floor') return startFloorBackend(options);
  const catalog = withLatency(
    indexedCatalog(catalogEntities(options.components)),
    options.latencyMs,
  );
  const backend = await startTestBackend({
    features: [
      PLUGIN_FEATURES[plugin],
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => quietLogger(plugin),
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: any) {
            const ref = credentials.principal.userEntityRef as string;
            const tenant = ref
              .replace(/^user:default\//, '')
              .replace(/-dev$/, '');
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [ref, teamOf(tenant)],
            };
          },
        }),
      }),
      // Only the gitops plugin sends notifications (rollout validation).
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => allowAllPermissions(options.latencyMs) as any,
      }),
      mockServices.rootConfig.factory({
        data: configOf(plugin, options.instances, options.timeFactor),
      }),
    ],
  });
  return {
    port: (backend.server.address() as AddressInfo).port,
    memory: async () => settledMemory(),
    cpuMs: async () => processCpuMs(),
    stop: () => backend.stop(),
  };
}

/** The floor (`floorPlugin`) in the same test backend, with its HTTP server and auth. */
async function startFloorBackend(
  options: BackendOptions,
): Promise<PluginBackend> {
  const backend = await startTestBackend({
    features: [
      floorPlugin(options),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => quietLogger('floor'),
      }),
    ],
  });
  return {
    port: (backend.server.address() as AddressInfo).port,
    memory: async () => settledMemory(),
    cpuMs: async () => processCpuMs(),
    stop: () => backend.stop(),
  };
}
