import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { TENANT_ANNOTATION } from '@kupe/plugin-gitops-common';
import { normalizeEntityRef } from '@kupe/plugin-gitops-node';
import { NOTHING_WRITTEN } from './messages';

/** An owner written `team-a` is `group:default/team-a`, as the catalog reads spec.owner. */
const DEFAULTS = { kind: 'group', namespace: 'default' };
const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';

/** The catalog as the checks need it: entity reads with the backend's own credentials. */
export interface CatalogChecks {
  catalog: Pick<CatalogService, 'getEntityByRef' | 'getEntities'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
}

export type EntityInCatalog =
  | { state: 'new'; entityRef: string }
  /** Registered from the same file with the same owner: an identical earlier run. */
  | { state: 'identical'; entityRef: string };

function refOf(entity: Record<string, unknown>): string {
  const metadata = (entity.metadata ?? {}) as {
    name?: unknown;
    namespace?: unknown;
  };
  if (typeof entity.kind !== 'string' || typeof metadata.name !== 'string') {
    throw new InputError(
      `catalogInfo needs a kind and a metadata.name. ${NOTHING_WRITTEN}`,
    );
  }
  const namespace =
    typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
  return `${entity.kind}:${namespace}/${metadata.name}`.toLocaleLowerCase(
    'en-US',
  );
}

/**
 * Checks, before anything is written, that the owner is a group or user of the tenant and
 * that the entity's name is free in the catalog, or already taken by an identical earlier run
 * (same file, same owner). Reads with the backend's own credentials, so an entity the user may
 * not see still counts as taken; another tenant's entity is named without its owner.
 */
export async function checkCatalog(
  options: {
    tenant: string;
    owner: string;
    entity?: Record<string, unknown>;
    /** Where the entity will be registered from, when known. */
    catalogInfoUrl?: string;
  },
  deps: CatalogChecks,
): Promise<EntityInCatalog | undefined> {
  const { tenant } = options;
  const credentials: BackstageCredentials =
    await deps.auth.getOwnServiceCredentials();
  const ownerRef = normalizeEntityRef(options.owner, DEFAULTS);
  const owner = await deps.catalog.getEntityByRef(ownerRef, { credentials });
  const ownerTenant = owner?.metadata.annotations?.[TENANT_ANNOTATION];
  const ownerKind = owner?.kind.toLocaleLowerCase('en-US');
  if (
    !owner ||
    (ownerKind !== 'group' && ownerKind !== 'user') ||
    (ownerKind === 'group' && ownerTenant && ownerTenant !== tenant)
  ) {
    const { items } = await deps.catalog.getEntities(
      {
        filter: {
          kind: 'Group',
          [`metadata.annotations.${TENANT_ANNOTATION}`]: tenant,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    const choices = items
      .map(g =>
        normalizeEntityRef(
          `group:${g.metadata.namespace ?? 'default'}/${g.metadata.name}`,
          DEFAULTS,
        ),
      )
      .sort();
    let why = 'is not a group or user in the catalog';
    if (owner && ownerKind !== 'group' && ownerKind !== 'user') {
      why = `is a ${owner.kind}, not a group or user`;
    } else if (owner) {
      why = `is a group of another tenant`;
    }
    throw new InputError(
      `Owner "${
        options.owner
      }" ${why}; choose one of tenant ${tenant}'s groups: ${
        choices.join(', ') || 'none found'
      }. ${NOTHING_WRITTEN}`,
    );
  }

  if (!options.entity) return undefined;
  const entityRef = refOf(options.entity);
  const existing = await deps.catalog.getEntityByRef(entityRef, {
    credentials,
  });
  if (!existing) return { state: 'new', entityRef };
  const existingTenant = existing.metadata.annotations?.[TENANT_ANNOTATION];
  if (existingTenant && existingTenant !== tenant) {
    throw new ConflictError(
      `${entityRef} is already in the catalog, registered by another tenant. ${NOTHING_WRITTEN} Choose another name`,
    );
  }
  const existingOwner =
    typeof existing.spec?.owner === 'string'
      ? normalizeEntityRef(existing.spec.owner, DEFAULTS)
      : undefined;
  const location = existing.metadata.annotations?.[LOCATION_ANNOTATION];
  const sameLocation =
    !options.catalogInfoUrl || location === `url:${options.catalogInfoUrl}`;
  if (existingOwner === ownerRef && sameLocation) {
    return { state: 'identical', entityRef };
  }
  throw new ConflictError(
    `${entityRef} is already in the catalog, owned by ${
      existingOwner ?? 'nobody'
    } and registered from ${
      location ?? 'an unknown location'
    }. ${NOTHING_WRITTEN} Choose another name`,
  );
}

/**
 * Who the catalog says owns the service, for a name conflict found elsewhere: `The catalog
 * lists component:default/web, owned by group:default/team-a.` Undefined when the catalog has
 * no such entity; another tenant's entity is not described.
 */
export async function catalogOwnerNote(
  deps: CatalogChecks,
  options: {
    tenant: string;
    service: string;
    entity?: Record<string, unknown>;
  },
): Promise<string | undefined> {
  const ref = options.entity
    ? refOf(options.entity)
    : `component:default/${options.service}`;
  const credentials = await deps.auth.getOwnServiceCredentials();
  const existing = await deps.catalog.getEntityByRef(ref, { credentials });
  if (!existing) return undefined;
  const tenant = existing.metadata.annotations?.[TENANT_ANNOTATION];
  if (tenant && tenant !== options.tenant) {
    return `The catalog lists ${ref} as another tenant's.`;
  }
  const owner =
    typeof existing.spec?.owner === 'string'
      ? normalizeEntityRef(existing.spec.owner, DEFAULTS)
      : undefined;
  return owner
    ? `The catalog lists ${ref}, owned by ${owner}.`
    : `The catalog lists ${ref}.`;
}

/**
 * A name conflict found in Git or Argo CD, also saying who owns the service when the catalog
 * knows it (a service laid out by hand has no owner in its files). Without a catalog, or
 * when the catalog cannot tell, the conflict as it was.
 */
export async function withCatalogOwnerNote<T>(
  check: Promise<T>,
  deps: Parameters<typeof catalogOwnerNote>[0] | undefined,
  request: Parameters<typeof catalogOwnerNote>[1],
): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (!(error instanceof ConflictError) || !deps) throw error;
    const note = await catalogOwnerNote(deps, request).catch(() => undefined);
    throw note ? new ConflictError(`${error.message}. ${note}`) : error;
  }
}
