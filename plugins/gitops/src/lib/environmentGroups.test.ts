import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { makeApp } from '../__testUtils__/fixtures';
import { environmentPipeline } from './environmentGroups';

const app = (
  environment: string,
  images: string[],
  overrides: Partial<ApplicationSummary> = {},
) =>
  makeApp({
    name: `web-${environment}`,
    environment,
    images,
    // every environment deploys another commit of the shared repository
    sync: { status: 'Synced', revision: `${environment}`.padEnd(40, '0') },
    ...overrides,
  });

const comparisonOf = (apps: ApplicationSummary[]) =>
  environmentPipeline(apps).map(s => s.comparison);

describe('environmentPipeline', () => {
  it('is the same when the images are, whatever revision each environment deployed', () => {
    const [dev, staging] = comparisonOf([
      app('dev', ['registry/web:1.4.0']),
      app('staging', ['registry/web:1.4.0']),
    ]);
    expect(dev).toBeUndefined();
    expect(staging).toEqual({
      environment: 'dev',
      relation: 'same',
      differences: [],
    });
  });

  it('is behind when an image is older by semver, ahead when every difference is newer', () => {
    expect(
      comparisonOf([
        app('dev', ['registry/web:1.5.0', 'registry/worker:2.0.0']),
        app('staging', ['registry/web:1.3.0', 'registry/worker:2.0.0']),
      ])[1],
    ).toEqual({
      environment: 'dev',
      relation: 'behind',
      differences: [
        { name: 'registry/web', runs: ['1.3.0'], previous: ['1.5.0'] },
      ],
    });
    expect(
      comparisonOf([
        app('staging', ['registry/web:1.3.0']),
        app('production', ['registry/web:1.4.0']),
      ])[1]?.relation,
    ).toBe('ahead');
  });

  it('says it differs when tags cannot be ordered or an image runs on one side only', () => {
    expect(
      comparisonOf([
        app('dev', ['registry/web:sha-0a1b2c3']),
        app('staging', ['registry/web:sha-ff00ee1']),
      ])[1]?.relation,
    ).toBe('differs');
    expect(
      comparisonOf([
        app('dev', ['registry/web:1.4.0', 'registry/sidecar:1.0.0']),
        app('staging', ['registry/web:1.4.0']),
      ])[1],
    ).toMatchObject({
      relation: 'differs',
      differences: [
        { name: 'registry/sidecar', runs: [], previous: ['1.0.0'] },
      ],
    });
  });

  it('compares charts from Helm repositories by version, and knows nothing without versions', () => {
    const chart = (environment: string, version: string) =>
      app(environment, [], {
        source: {
          repoURL: 'https://charts.example.com',
          chart: 'nginx',
          targetRevision: version,
        },
      });
    expect(
      comparisonOf([chart('dev', '15.1.0'), chart('staging', '15.0.0')])[1],
    ).toEqual({
      environment: 'dev',
      relation: 'behind',
      differences: [
        { name: 'chart nginx', runs: ['15.0.0'], previous: ['15.1.0'] },
      ],
    });
    expect(
      comparisonOf([app('dev', []), app('staging', [])])[1]?.relation,
    ).toBe('unknown');
  });
});
