export {
  TenantResolver,
  normalizeEntityRef,
  type CallerTenants,
  type TenantCatalog,
  type TenantEntity,
  type TenantResolverOptions,
} from './TenantResolver';
