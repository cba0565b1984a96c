import { indexed } from '../rolloutValidation/__testUtils__/validationFixtures';
import { releaseHolds, runningVersion } from './releaseVersion';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

describe('releaseHolds', () => {
  const release = {
    images: ['registry.acme.example/acme-api:2.0.0-broken', '1.2.3'],
    chartVersions: ['0.4.0'],
    revisions: [SHA],
  };

  it.each([
    ['2.0.0-broken', true],
    ['1.2.3', true],
    ['0.4.0', true],
    ['abcdef0', true],
    ['ABCDEF0123', true],
    [SHA, true],
    // Never part of a tag, nor a revision's prefix shorter than 7 digits.
    ['2.0.0', false],
    ['abcdef', false],
    ['registry.acme.example/acme-api', false],
    ['bcdef01', false],
  ])('%p: %p', (version, holds) => {
    expect(releaseHolds(release, version)).toBe(holds);
  });
});

describe('runningVersion', () => {
  it("reads the images, the chart versions and the commits an app's sources run", () => {
    const app = indexed({
      images: ['registry/acme-api:2.0.0-broken'],
      sources: [
        { repoURL: 'https://charts.example.com', chart: 'acme-api' },
        { repoURL: 'https://git.example.com/acme/gitops.git', ref: 'values' },
      ],
      deployedRevisions: ['0.4.0', SHA],
      deployedRevision: undefined,
    });
    expect(runningVersion(app)).toEqual({
      images: ['registry/acme-api:2.0.0-broken'],
      chartVersions: ['0.4.0'],
      revisions: [SHA],
    });
  });
});
