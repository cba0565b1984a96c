import {
  ANNOTATION_ORIGIN_LOCATION,
  type GroupEntity,
} from '@backstage/catalog-model';
import { TENANT_ANNOTATION } from '@kupe/plugin-gitops-common';

/**
 * The origin that {@link buildGroup} gives its groups, as the catalog would for groups read
 * from the platform's identity provider. Tests trust it with
 * `gitops.tenancy.trustedOrigins: [TEST_IDENTITY_ORIGIN]` (or `trustedOrigins` of
 * `TenantResolver`); a group built with another `origin` stands for one a user registered.
 *
 * @public
 */
export const TEST_IDENTITY_ORIGIN = 'url:https://identity.kupe.test/org.yaml';

/**
 * A Group entity as the catalog returns it, by default from {@link TEST_IDENTITY_ORIGIN}.
 *
 * @public
 */
export function buildGroup(
  name: string,
  options: {
    tenant?: string;
    namespace?: string;
    members?: string[];
    origin?: string;
  } = {},
): GroupEntity {
  const origin = options.origin ?? TEST_IDENTITY_ORIGIN;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      annotations: {
        [ANNOTATION_ORIGIN_LOCATION]: origin,
        ...(options.tenant ? { [TENANT_ANNOTATION]: options.tenant } : {}),
      },
    },
    spec: {
      type: 'team',
      children: [],
      ...(options.members ? { members: options.members } : {}),
    },
  };
}
