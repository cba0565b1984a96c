import { clustersOfEnvironment, siblingValue } from './environmentClusters';

const clusters = [
  { name: 'dev', cluster: 'acme-dev' },
  { name: 'devops', cluster: 'acme-devops' },
  { name: 'staging', cluster: 'acme-staging' },
  { name: 'prod', cluster: 'acme-prod' },
  { name: 'prod-eu', cluster: 'acme-prod-eu' },
];

describe('clustersOfEnvironment', () => {
  it.each([
    ['dev', ['dev']],
    ['staging', ['staging']],
    ['production', ['prod', 'prod-eu']],
    ['test', []],
    [undefined, []],
  ])('%s runs on %j', (environment, names) => {
    expect(
      clustersOfEnvironment(clusters, environment).map(c => c.name),
    ).toEqual(names);
  });
});

describe('siblingValue', () => {
  const formData = {
    tenant: 'acme',
    environments: [{ name: 'dev' }, { name: 'production', cluster: 'prod' }],
    deploy_targets: [{ env_name: 'staging' }],
  };

  it('reads the field beside an array item’s field', () => {
    expect(
      siblingValue(formData, 'root_environments_1_cluster', 'cluster', 'name'),
    ).toBe('production');
    // the field's own value need not be set yet
    expect(
      siblingValue(formData, 'root_environments_0_cluster', 'cluster', 'name'),
    ).toBe('dev');
  });

  it('finds keys holding underscores', () => {
    expect(
      siblingValue(
        formData,
        'root_deploy_targets_0_cluster',
        'cluster',
        'env_name',
      ),
    ).toBe('staging');
  });

  it('reads a top-level sibling', () => {
    expect(siblingValue(formData, 'root_repoUrl', 'repoUrl', 'tenant')).toBe(
      'acme',
    );
  });

  it('is undefined for an id that does not name the field or the data', () => {
    expect(
      siblingValue(formData, 'root_environments_7_cluster', 'cluster', 'name'),
    ).toBeUndefined();
    expect(
      siblingValue(formData, 'root_other_0_cluster', 'cluster', 'name'),
    ).toBeUndefined();
    expect(
      siblingValue(formData, 'root_environments_0_cluster', 'repoUrl', 'name'),
    ).toBeUndefined();
    expect(
      siblingValue(formData, undefined, 'cluster', 'name'),
    ).toBeUndefined();
  });
});
