import { TenantNaming } from './tenancy';

describe('TenantNaming', () => {
  const naming = new TenantNaming();

  it('maps tenants to projects and back with the default patterns', () => {
    expect(naming.projectOf('acme')).toBe('tenant-acme');
    expect(naming.tenantOfProject('tenant-acme')).toBe('acme');
    expect(naming.tenantOfProject('tenant-big-co')).toBe('big-co');
    expect(naming.tenantOfProject('default')).toBeUndefined();
    expect(naming.tenantOfProject('tenant-')).toBeUndefined();
    expect(naming.tenantOfProject(undefined)).toBeUndefined();
  });

  it('maps clusters and reads the short cluster name of a destination', () => {
    expect(naming.clusterOf('acme', 'dev')).toBe('acme-dev');
    expect(naming.shortClusterOf('acme', 'acme-prod')).toBe('prod');
    expect(naming.shortClusterOf('acme', 'globex-prod')).toBeUndefined();
    expect(naming.shortClusterOf('acme', 'acme-')).toBeUndefined();
    expect(naming.shortClusterOf('acme', undefined)).toBeUndefined();
  });

  it('supports custom patterns', () => {
    const custom = new TenantNaming({
      projectPattern: '{tenant}-apps',
      clusterPattern: 'vc-{cluster}-{tenant}',
    });
    expect(custom.projectOf('acme')).toBe('acme-apps');
    expect(custom.tenantOfProject('acme-apps')).toBe('acme');
    expect(custom.tenantOfProject('tenant-acme')).toBeUndefined();
    expect(custom.clusterOf('acme', 'dev')).toBe('vc-dev-acme');
    expect(custom.shortClusterOf('acme', 'vc-dev-acme')).toBe('dev');
  });

  it('refuses invalid patterns and names', () => {
    expect(() => new TenantNaming({ projectPattern: 'tenant' })).toThrow(
      /\{tenant\} exactly once/,
    );
    expect(() => new TenantNaming({ clusterPattern: '{tenant}' })).toThrow(
      /\{cluster\}/,
    );
    expect(
      () => new TenantNaming({ projectPattern: 'Tenant_{tenant}' }),
    ).toThrow(/DNS-1123/);
    expect(() => naming.projectOf('../x')).toThrow(/Invalid tenant/);
    expect(() => naming.clusterOf('acme', 'Prod')).toThrow(/Invalid cluster/);
  });
});
