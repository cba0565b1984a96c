import { memoryTree } from './__testUtils__/memoryTree';
import { type RevertInput, planRevert } from './revertPlanner';

const source = {
  repoURL: 'https://github.example/acme/gitops.git',
  path: 'apps/api',
  targetRevision: 'main',
  valueFiles: ['values-dev.yaml'],
};
const chart = 'apiVersion: v2\nname: api\nversion: 0.4.0\n';
const target = memoryTree({
  'apps/api/Chart.yaml': chart,
  'apps/api/values-dev.yaml': 'image:\n  tag: "1.8.0"\n',
  'apps/api/values-prod.yaml': 'image:\n  tag: "1.6.0"\n',
  'README.md': '# acme\n',
});
const head = memoryTree({
  'apps/api/Chart.yaml': chart,
  'apps/api/values-dev.yaml': 'image:\n  tag: "1.9.0"\n',
  'apps/api/values-prod.yaml': 'image:\n  tag: "1.7.5"\n',
  'apps/api/templates/probe.yaml': 'kind: ConfigMap\n',
  'README.md': '# acme, changed\n',
});
const commit = (sha: string, subject: string, files: string[]) => ({
  sha,
  authorName: 'Alice',
  authorEmail: 'alice@acme.example',
  date: '2026-12-01T10:00:00Z',
  subject,
  files,
});
const input = (overrides: Partial<RevertInput> = {}): RevertInput => ({
  source,
  name: 'api-dev',
  branch: 'main',
  toRevision: 'aaaaaaa',
  to: 'a'.repeat(40),
  inHistory: true,
  head,
  target,
  log: [
    commit('c3', 'Pin prod', ['apps/api/values-prod.yaml']),
    commit('c2', 'Ship 1.9.0 to dev and a probe', [
      'apps/api/values-dev.yaml',
      'apps/api/templates/probe.yaml',
      'README.md',
    ]),
  ],
  ...overrides,
});

describe('planRevert', () => {
  it("restores the app's own files only (not another environment's values, not other paths)", async () => {
    const plan = await planRevert(input());
    expect(plan.blocked).toBeUndefined();
    expect(plan.restore).toEqual([
      'apps/api/Chart.yaml',
      'apps/api/templates/probe.yaml',
      'apps/api/values-dev.yaml',
    ]);
    // The probe is absent at the target, so restoring removes it.
    expect(plan.changed).toEqual([
      'apps/api/templates/probe.yaml',
      'apps/api/values-dev.yaml',
    ]);
    expect(plan.commits).toEqual([
      expect.objectContaining({
        sha: 'c2',
        message: 'Ship 1.9.0 to dev and a probe',
        files: ['apps/api/values-dev.yaml', 'apps/api/templates/probe.yaml'],
      }),
    ]);
  });

  it('refuses a revision that is not a commit of the branch', async () => {
    const plan = await planRevert(input({ to: undefined, toRevision: 'nope' }));
    expect(plan.blocked).toEqual({
      code: 'unknown-revision',
      message: 'toRevision nope is not a commit of branch main',
    });
    expect(plan.restore).toEqual([]);
  });

  it("refuses a revision outside the branch's history", async () => {
    const plan = await planRevert(input({ inHistory: false }));
    expect(plan.blocked?.code).toBe('not-in-history');
    expect(plan.blocked?.message).toBe(
      'toRevision aaaaaaa is not in the history of branch main',
    );
  });

  it('says there is nothing to revert when the own files are as at the target', async () => {
    const plan = await planRevert(input({ head: target, log: [] }));
    expect(plan.changed).toEqual([]);
    expect(plan.blocked).toEqual({
      code: 'nothing-to-revert',
      message: `The files of api-dev are already as at aaaaaaa; nothing to revert`,
    });
  });
});
