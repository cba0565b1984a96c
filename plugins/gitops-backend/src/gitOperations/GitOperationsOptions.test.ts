import { ConfigReader } from '@backstage/config';
import { readGitOperationsOptions } from './GitOperationsOptions';

describe('readGitOperationsOptions', () => {
  it('defaults to direct commits in dev only', () => {
    expect(readGitOperationsOptions(new ConfigReader({}))).toEqual({
      directCommitEnvironments: ['dev'],
      committer: { name: 'Kupe GitOps', email: 'gitops@kupe.invalid' },
      allowLocalRepositories: false,
    });
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
