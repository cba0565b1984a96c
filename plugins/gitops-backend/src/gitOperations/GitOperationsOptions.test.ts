import { ConfigReader } from '@backstage/config';
import { readGitOperationsOptions } from './GitOperationsOptions';

describe('readGitOperationsOptions', () => {
  it('defaults to direct commits in dev only', () => {
    expect(readGitOperationsOptions(new ConfigReader({}))).toEqual({
      directCommitEnvironments: ['dev'],
      committer: { name: 'Kupe GitOps', email: 'gitops@kupe.invalid' },
      allowLocalRepositories: false,
      fourEyesCheckIntervalMs: 30_000,
      readFreshnessMs: 2_000,
    });
  });

  it('reads how late a read may see an outside push, at most a minute', () => {
    const read = (readFreshness: string | { [unit: string]: number }) =>
      readGitOperationsOptions(
        new ConfigReader({ gitops: { gitOperations: { readFreshness } } }),
      ).readFreshnessMs;
    expect(read('500ms')).toBe(500);
    expect(read({ milliseconds: 0 })).toBe(0);
    expect(() => read({ minutes: 5 })).toThrow(/at most 1m/);
  });

  it('reads the four-eyes check interval as a duration, at least a second', () => {
    const read = (checkInterval: string | { [unit: string]: number }) =>
      readGitOperationsOptions(
        new ConfigReader({
          gitops: { gitOperations: { fourEyes: { checkInterval } } },
        }),
      ).fourEyesCheckIntervalMs;
    expect(read('5s')).toBe(5_000);
    expect(read({ minutes: 2 })).toBe(120_000);
    expect(() => read({ milliseconds: 10 })).toThrow(/at least 1s/);
  });

  it('normalizes environment names', () => {
    const options = readGitOperationsOptions(
      new ConfigReader({
        gitops: {
          gitOperations: { directCommitEnvironments: ['Development', 'stage'] },
        },
      }),
    );
    expect(options.directCommitEnvironments).toEqual(['dev', 'staging']);
  });

  it.each(['prod', 'production', 'PRD'])(
    'refuses %s as a direct-commit environment',
    env => {
      expect(() =>
        readGitOperationsOptions(
          new ConfigReader({
            gitops: { gitOperations: { directCommitEnvironments: [env] } },
          }),
        ),
      ).toThrow(/must not contain production/);
    },
  );
});
