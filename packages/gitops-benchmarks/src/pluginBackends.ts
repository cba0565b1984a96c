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
import communityArgoCdPlugin from '@backstage-community/plugin-argocd-backend';
import gitopsPlugin from '@kupe/plugin-gitops-backend';
import {
  ARGOCD_APP_SELECTOR_ANNOTATION,
  KUBERNETES_ID_LABEL,
  TENANT_ANNOTATION,
} from '@kupe/plugin-gitops-common';
import type { JsonObject } from '@backstage/types';
import roadieArgoCdPlugin from '@roadiehq/backstage-plugin-argo-cd-backend';
import type { ArgoInstance, Component, PluginBackend, PluginId } from './types';
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
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: `${tenant}-team`,
        namespace: 'default',
        annotations: { [TENANT_ANNOTATION]: tenant },
      },
      spec: { type: 'team', children: [] },
    });
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

/** Each plugin's own configuration of the same instances (read from its config.d.ts). */
function configOf(plugin: PluginId, instances: ArgoInstance[]): JsonObject {
  if (plugin === 'kupe') {
    return {
      gitops: {
        instances: instances.map(i => ({
          name: i.name,
          url: i.url,
          token: i.token,
          timeoutMs: 60_000,
        })),
        tenancy: {
          projectPattern: 'tenant-{tenant}',
          clusterPattern: '{tenant}-{cluster}',
        },
        backend: { index: { readyTimeoutMs: 120_000 } },
        // Post-deploy validation follows rollouts; no part of an entity view.
        validation: { enabled: false },
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
  kupe: gitopsPlugin,
  roadie: roadieArgoCdPlugin,
  community: communityArgoCdPlugin,
};

/**
 * Starts one plugin in a real Backstage backend (`startTestBackend`: the default HTTP server,
 * auth middleware and mock user tokens) on an ephemeral port. Every plugin gets the same
 * catalog, the same signed-in users (a developer of each tenant, member of its team) and an
 * allow-all permission policy; each reads its own config of the same Argo CD instances.
 */
export async function startPluginBackend(
  plugin: PluginId,
  options: { instances: ArgoInstance[]; components: Component[] },
): Promise<PluginBackend> {
  const catalog = indexedCatalog(catalogEntities(options.components));
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
      // Only the gitops plugin sends notifications (rollout validation, disabled here).
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: configOf(plugin, options.instances),
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
