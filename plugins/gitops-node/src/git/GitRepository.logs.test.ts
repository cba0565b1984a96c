import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitRepository } from './GitRepository';

// Real git: a few hundred logs of a small repository.
jest.setTimeout(120_000);

describe('GitRepository.logs (one git log for many tips)', () => {
  let dir: string;
  let work: string;
  const tips: string[] = [];
  // Seconds since the epoch of the next commit's dates; set back for skewed clocks.
  let clock = 1_780_000_000;

  const git = (args: string[], date = clock) =>
    execFileSync('git', args, {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: tmpdir(),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'Alice',
        GIT_AUTHOR_EMAIL: 'alice@acme.example',
        GIT_COMMITTER_NAME: 'Alice',
        GIT_COMMITTER_EMAIL: 'alice@acme.example',
        GIT_AUTHOR_DATE: `@${date} +0000`,
        GIT_COMMITTER_DATE: `@${date} +0000`,
      },
    }).trim();

  /** Commits `files` (all at the same second unless `tick`), returns its SHA. */
  const commit = (
    message: string,
    files: Record<string, string>,
    tick = 0,
  ): string => {
    clock += tick;
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(work, file)), { recursive: true });
      writeFileSync(join(work, file), content);
    }
    git(['add', '--all']);
    git(['commit', '--quiet', '--allow-empty', '-m', message]);
    const sha = git(['rev-parse', 'HEAD']);
    tips.push(sha);
    return sha;
  };
  const merge = (branch: string, message: string, tick = 1) => {
    clock += tick;
    git(['merge', '--quiet', '--no-ff', '-m', message, branch]);
    tips.push(git(['rev-parse', 'HEAD']));
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'git-repository-logs-'));
    work = join(dir, 'work');
    mkdirSync(work);
    git(['init', '--quiet', '--initial-branch=main']);
    commit('root: e only', { 'e/x': '1' }, 1);
    commit('d starts', { 'd/a': '1' }, 1);
    // Same second: git's walk keeps the order it reached them in.
    commit('d/a again', { 'd/a': '2' });
    commit('e only', { 'e/x': '2' });
    commit('empty', {});
    git(['checkout', '--quiet', '-b', 'side']);
    commit('side changes d/b', { 'd/b': '1' }, 1);
    // A clock set back: dated before its parent.
    clock -= 1000;
    commit('side changes d/a, skewed clock', { 'd/a': 'side' });
    clock += 1000;
    git(['checkout', '--quiet', 'main']);
    commit('main changes e', { 'e/x': '3' }, 1);
    // d as on side: TREESAME to side, so git follows side only on paths d.
    merge('side', 'merge side');
    git(['checkout', '--quiet', '-b', 'other']);
    commit('other changes d/a', { 'd/a': 'other' }, 1);
    git(['checkout', '--quiet', 'main']);
    commit('main changes d/b', { 'd/b': 'main' }, 1);
    // d differs from both parents: a merge git shows, without files.
    merge('other', 'merge other');
    // Changed d back as the first parent had it: TREESAME to it, the side is pruned.
    git(['checkout', '--quiet', '-b', 'undone']);
    commit('undone changes d/a', { 'd/a': 'undone' }, 1);
    commit('undone restores d/a', { 'd/a': 'other' }, 1);
    git(['checkout', '--quiet', 'main']);
    commit('main changes e again', { 'e/x': '4' }, 1);
    merge('undone', 'merge undone');
    // A second root joined in.
    git(['checkout', '--quiet', '--orphan', 'unrelated']);
    git(['rm', '-rq', '--cached', '.']);
    rmSync(join(work, 'd'), { recursive: true });
    rmSync(join(work, 'e'), { recursive: true });
    commit('unrelated root', { 'd/c': 'u' }, 1);
    git(['checkout', '--quiet', '-f', 'main']);
    clock += 1;
    git([
      'merge',
      '--quiet',
      '--no-ff',
      '--allow-unrelated-histories',
      '-m',
      'merge unrelated',
      'unrelated',
    ]);
    tips.push(git(['rev-parse', 'HEAD']));
    commit('d/c on main', { 'd/c': 'main' }, 1);
    // Both parents of a merge at the same second: git walks them in the merge's order.
    git(['checkout', '--quiet', '-b', 'tie']);
    commit('tie changes d/t', { 'd/t': '1' }, 1);
    git(['checkout', '--quiet', 'main']);
    commit('main changes d/u at the same second', { 'd/u': '1' });
    merge('tie', 'merge tie', 0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { paths: [] as string[], maxCount: undefined },
    { paths: ['d'], maxCount: undefined },
    { paths: ['d'], maxCount: 2 },
    { paths: ['.'], maxCount: undefined },
    { paths: ['e', 'd/a'], maxCount: 3 },
  ])(
    'gives every tip what its own git log gives ($paths, maxCount $maxCount)',
    async ({ paths, maxCount }) => {
      const repo = new GitRepository({ cwd: work });
      const logs = await repo.logs({ tips, paths, maxCount });
      expect([...logs.keys()]).toEqual([...new Set(tips)]);
      for (const tip of tips) {
        expect({ tip, log: logs.get(tip) }).toEqual({
          tip,
          log: await repo.log({ to: tip, paths, maxCount }),
        });
      }
    },
  );

  it('walks history simplified as git does: a pruned side is not in the log', async () => {
    const repo = new GitRepository({ cwd: work });
    const head = tips[tips.length - 1];
    const subjects = (await repo.logs({ tips: [head], paths: ['d'] }))
      .get(head)!
      .map(c => c.subject);
    expect(subjects).toContain('merge other');
    expect(subjects).not.toContain('undone changes d/a');
    expect(subjects).not.toContain('main changes e');
  });

  it('reads nothing for no tips and refuses a tip that is no full SHA', async () => {
    const repo = new GitRepository({ cwd: work });
    expect(await repo.logs({ tips: [], paths: ['d'] })).toEqual(new Map());
    await expect(repo.logs({ tips: ['main'], paths: ['d'] })).rejects.toThrow(
      /not a full commit SHA/,
    );
  });
});
