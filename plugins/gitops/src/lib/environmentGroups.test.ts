import type {
  EnvironmentVersion,
  PromotionPreview,
} from '@kupe/plugin-gitops-common';
import { comparePreview, comparisonsByApp } from './environmentGroups';

const WEB = 'registry/web';
const WORKER = 'registry/worker';

const version = (
  tags: Record<string, string>,
  overrides: Partial<EnvironmentVersion> = {},
): EnvironmentVersion => ({
  layout: 'kustomize',
  // every environment runs another commit of the shared repository
  revision: Object.values(tags).join('').padEnd(40, '0'),
  images: Object.entries(tags).map(([name, tag]) => ({ name, tag })),
  label: Object.values(tags).join(', ') || 'main',
  files: ['kustomization.yaml'],
  ...overrides,
});

/** dev's preview of a promotion into staging, as the backend answers it. */
const preview = (
  dev: EnvironmentVersion,
  staging: EnvironmentVersion | undefined,
  overrides: Partial<PromotionPreview> = {},
): PromotionPreview => ({
  application: { instance: 'main', appNamespace: 'argocd', name: 'web-dev' },
  environment: 'dev',
  version: dev,
  ...(staging
    ? {
        next: {
          application: {
            instance: 'main',
            appNamespace: 'argocd',
            name: 'web-staging',
          },
          environment: 'staging',
          version: staging,
          syncPolicy: 'auto',
        },
      }
    : {}),
  commits: [],
  changes: [],
  files: [],
  diff: '',
  promotable: false,
  requiresApproval: false,
  downgrades: [],
  ...overrides,
});

describe('comparePreview', () => {
  it('is the same when both run the same versions, whatever revision each deployed', () => {
    expect(
      comparePreview(
        preview(version({ [WEB]: '1.4.0' }), version({ [WEB]: '1.4.0' }), {
          reason: 'web-staging is already at 1.4.0',
        }),
      ),
    ).toEqual({
      environment: 'dev',
      application: 'web-dev',
      relation: 'same',
      differences: [],
      inGit: [],
    });
  });

  it('is behind exactly when the panel offers Promote, and names what waits', () => {
    const comparison = comparePreview(
      preview(
        version({ [WEB]: '1.5.0', [WORKER]: '2.0.0' }),
        version({ [WEB]: '1.3.0', [WORKER]: '2.0.0' }),
        {
          promotable: true,
          changes: [{ name: WEB, from: '1.3.0', to: '1.5.0' }],
        },
      ),
    );
    expect(comparison).toMatchObject({
      relation: 'behind',
      promotable: '1.5.0, 2.0.0',
      differences: [{ name: WEB, runs: ['1.3.0'], previous: ['1.5.0'] }],
      inGit: [],
    });
  });

  it('is ahead when promoting would be a downgrade, even where semver cannot order the tags', () => {
    const comparison = comparePreview(
      preview(version({ [WEB]: 'main-abc' }), version({ [WEB]: 'main-def' }), {
        promotable: true,
        changes: [{ name: WEB, from: 'main-def', to: 'main-abc' }],
        downgrades: [
          {
            kind: 'image',
            name: WEB,
            from: 'main-def',
            to: 'main-abc',
            basis: 'commit-order',
          },
        ],
      }),
    );
    expect(comparison?.relation).toBe('ahead');
    // A downgrade is not waiting to deploy.
    expect(comparison?.promotable).toBeUndefined();
  });

  it('runs the same while Git already holds another version: that one waits for a sync', () => {
    // Production's files say 1.4.0, it still runs 1.3.0 like staging: promoting staging would
    // move the files back (a downgrade), yet both run the same.
    const comparison = comparePreview(
      preview(version({ [WEB]: '1.3.0' }), version({ [WEB]: '1.3.0' }), {
        promotable: true,
        changes: [{ name: WEB, from: '1.4.0', to: '1.3.0' }],
        downgrades: [
          {
            kind: 'image',
            name: WEB,
            from: '1.4.0',
            to: '1.3.0',
            basis: 'semver',
          },
        ],
      }),
    );
    expect(comparison).toMatchObject({
      relation: 'same',
      inGit: [{ name: WEB, runs: ['1.4.0'], previous: ['1.3.0'] }],
    });
  });

  it('falls back on semver when there is nothing to promote but the versions differ', () => {
    // Git already has dev's version for staging; staging has not synced it yet.
    expect(
      comparePreview(
        preview(version({ [WEB]: '1.5.0' }), version({ [WEB]: '1.3.0' }), {
          reason: 'web-staging is already at 1.5.0',
          changes: [],
        }),
      )?.relation,
    ).toBe('behind');
    expect(
      comparePreview(
        preview(version({ [WEB]: 'feature-x' }), version({ [WEB]: '1.3.0' })),
      )?.relation,
    ).toBe('differs');
  });

  it('compares charts and their dependencies, and knows nothing without versions', () => {
    expect(
      comparePreview(
        preview(
          version(
            {},
            { layout: 'helm-repository', chart: 'web', chartVersion: '2.1.0' },
          ),
          version(
            {},
            { layout: 'helm-repository', chart: 'web', chartVersion: '2.0.0' },
          ),
        ),
      ),
    ).toMatchObject({
      relation: 'behind',
      differences: [
        { name: 'chart web', runs: ['2.0.0'], previous: ['2.1.0'] },
      ],
    });
    expect(
      comparePreview(
        preview(
          version({}, { layout: 'directory' }),
          version({}, { layout: 'directory' }),
        ),
      )?.relation,
    ).toBe('unknown');
    expect(
      comparePreview(
        preview(
          version({ [WEB]: '1.4.0' }),
          version({}, { label: 'never deployed', revision: undefined }),
        ),
      )?.relation,
    ).toBe('never-deployed');
  });

  it('has nothing to say for the last environment, and keys comparisons by the next app', () => {
    expect(
      comparePreview(preview(version({ [WEB]: '1.4.0' }), undefined)),
    ).toBe(undefined);
    const byApp = comparisonsByApp([
      preview(version({ [WEB]: '1.4.0' }), version({ [WEB]: '1.4.0' })),
    ]);
    expect([...byApp.keys()]).toEqual(['main/argocd/web-staging']);
  });
});
