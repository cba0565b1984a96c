import type { AuthService } from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_MEMBER_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { TenantResolver } from '@kupe/plugin-gitops-node';
import type { Reviewer, ReviewerDirectory } from './FourEyes';

/** The annotation Backstage's GitHub org ingestion puts on users: their GitHub login. */
export const GITHUB_LOGIN_ANNOTATION = 'github.com/user-login';

/**
 * GitHub logins as the catalog knows them: the one User of a trusted origin annotated with
 * the login (none, or several, is nobody), and the tenants of its trusted groups. Read with
 * the plugin's own identity, so nobody's catalog permissions change who counts as a reviewer.
 */
export class CatalogReviewers implements ReviewerDirectory {
  readonly #catalog: Pick<CatalogService, 'getEntities' | 'getEntitiesByRefs'>;
  readonly #tenants: Pick<TenantResolver, 'isTrusted' | 'getEntityTenant'>;
  readonly #auth: Pick<AuthService, 'getOwnServiceCredentials'>;

  constructor(options: {
    catalog: Pick<CatalogService, 'getEntities' | 'getEntitiesByRefs'>;
    tenants: Pick<TenantResolver, 'isTrusted' | 'getEntityTenant'>;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  }) {
    this.#catalog = options.catalog;
    this.#tenants = options.tenants;
    this.#auth = options.auth;
  }

  async byGitHubLogin(login: string): Promise<Reviewer | undefined> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          kind: 'User',
          [`metadata.annotations.${GITHUB_LOGIN_ANNOTATION}`]: login,
        },
      },
      { credentials },
    );
    // GitHub logins are case-insensitive; the catalog's filter may not be exact.
    const users = items.filter(
      user =>
        user.metadata.annotations?.[GITHUB_LOGIN_ANNOTATION]?.toLowerCase() ===
          login.toLowerCase() && this.#tenants.isTrusted(user),
    );
    if (users.length !== 1) return undefined;
    const user = users[0];
    const groupRefs = groupsOf(user);
    const groups = groupRefs.length
      ? (
          await this.#catalog.getEntitiesByRefs(
            { entityRefs: groupRefs },
            { credentials },
          )
        ).items
      : [];
    const tenants = new Set<string>();
    for (const group of groups) {
      if (!group || !this.#tenants.isTrusted(group)) continue;
      const tenant = await this.#tenants.getEntityTenant(group);
      if (tenant) tenants.add(tenant);
    }
    return {
      userEntityRef: stringifyEntityRef(user).toLowerCase(),
      tenants,
    };
  }
}

/** The user's groups: its memberOf relations, else its spec.memberOf. */
function groupsOf(user: Entity): string[] {
  const related = (user.relations ?? [])
    .filter(r => r.type === RELATION_MEMBER_OF)
    .map(r => r.targetRef);
  const declared = Array.isArray(user.spec?.memberOf)
    ? (user.spec!.memberOf as unknown[]).filter(
        (r): r is string => typeof r === 'string',
      )
    : [];
  const refs = [...related, ...declared].map(ref =>
    stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: user.metadata.namespace ?? 'default',
      }),
    ).toLowerCase(),
  );
  return [...new Set(refs)];
}
