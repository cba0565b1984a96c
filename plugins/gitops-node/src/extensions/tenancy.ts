import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  ApplicationEnvironmentRule,
  CallerTenantsRule,
} from '../tenancy/TenantResolver';

/**
 * Replaces how the gitops backend plugin resolves a caller's tenants and an Application's
 * environment. Each rule gets the built-in answer through `getDefault`, so a module can
 * refine it (for example, narrow a user's tenants by an identity provider's claim, or read
 * the environment from a `team.example.com/stage` label) instead of rewriting it. The
 * environment rule decides the plugin's index, so the card, the tab, the promotion order
 * and the permission rules on the environment all agree.
 *
 * It changes the gitops plugin's routes only. To change tenant membership or the environment
 * rule for every consumer (the gitops plugin, the scaffolder actions, the search collator
 * and the permission policy), replace the factory of `gitOpsTenantResolverServiceRef` with
 * a resolver built with `callerTenants` or `environment` rules.
 *
 * @public
 */
export interface GitOpsTenancyExtensionPoint {
  /** Replaces the caller-tenants rule; one module may set it. */
  setCallerTenantsRule(rule: CallerTenantsRule): void;
  /**
   * Replaces the environment rule; one module may set it.
   *
   * @example
   * ```ts
   * tenancy.setEnvironmentRule(
   *   (app, { getDefault }) =>
   *     app.metadata.labels?.['team.example.com/stage'] ?? getDefault(),
   * );
   * ```
   */
  setEnvironmentRule(rule: ApplicationEnvironmentRule): void;
}

/**
 * Tenant resolution of the gitops backend plugin.
 *
 * @public
 */
export const gitOpsTenancyExtensionPoint =
  createExtensionPoint<GitOpsTenancyExtensionPoint>({ id: 'gitops.tenancy' });
