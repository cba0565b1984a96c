import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitWorkingCopy } from './GitWorkingCopy';
import { runGit } from './runGit';

const author = { name: 'Alice', email: 'alice@example.com' };

describe('GitWorkingCopy history and restore', () => {
  let root: string;
  let remote: string;
  const shas: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kupe-wc-history-'));
    remote = join(root, 'remote.git');
    await runGit([
      'init',
      '--bare',
      '--quiet',
      '--initial-branch=main',
      remote,
    ]);
    const seed = await GitWorkingCopy.open({
      remoteUrl: remote,
      branch: 'main',
      dir: join(root, 'seed'),
    });
    const steps: Array<Record<string, string>> = [
      { 'apps/a/x.yaml': 'x: 1\n', 'apps/b/y.yaml': 'y: 1\n' },
      { 'apps/a/x.yaml': 'x: 2\n' },
      { 'apps/b/y.yaml': 'y: 2\n', 'apps/a/new.yaml': 'n: 1\n' },
    ];
    for (const [i, files] of steps.entries()) {
      await seed.writeFiles(files);
      shas.push((await seed.commitIfChanged(`step ${i}`, author)).sha!);
    }
    await seed.push('main');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const open = async (name: string) =>
    GitWorkingCopy.open({
      remoteUrl: remote,
      branch: 'main',
      dir: join(root, name),
    });

  it('logs the commits on a path between revisions, newest first, with their files', async () => {
    const copy = await open('log');
    const commits = await copy.log({
      from: shas[0],
      to: 'HEAD',
      paths: ['apps/a'],
    });
    expect(commits.map(c => c.sha)).toEqual([shas[2], shas[1]]);
    expect(commits[0]).toMatchObject({
      authorName: 'Alice',
      authorEmail: 'alice@example.com',
      subject: 'step 2',
      files: ['apps/a/new.yaml'],
    });
    expect(Date.parse(commits[0].date)).not.toBeNaN();
  });

  it('resolves commits, ancestry, files and contents at a revision', async () => {
    const copy = await open('read');
    expect(await copy.resolveCommit(shas[1].slice(0, 10))).toBe(shas[1]);
    expect(await copy.resolveCommit('0'.repeat(40))).toBeUndefined();
    expect(await copy.isAncestor(shas[0], shas[2])).toBe(true);
    expect(await copy.isAncestor(shas[2], shas[0])).toBe(false);
    expect(await copy.readFileAt(shas[0], 'apps/a/x.yaml')).toBe('x: 1\n');
    expect(await copy.readFileAt(shas[0], 'apps/a/new.yaml')).toBeUndefined();
    expect(await copy.listFilesAt(shas[2], ['apps/a'])).toEqual([
      'apps/a/new.yaml',
      'apps/a/x.yaml',
    ]);
    expect(await GitWorkingCopy.defaultBranchOf({ remoteUrl: remote })).toBe(
      'main',
    );
  });

  it('restores files to a revision (deleting those absent there) and diffs the result', async () => {
    const copy = await open('restore');
    await copy.restoreFrom(shas[0], ['apps/a/x.yaml', 'apps/a/new.yaml']);
    expect(await copy.changedFiles()).toEqual([
      'apps/a/new.yaml',
      'apps/a/x.yaml',
    ]);
    const diff = await copy.diff();
    expect(diff).toContain('-x: 2\n+x: 1');
    expect(diff).toContain('deleted file mode');
    const { sha } = await copy.commitIfChanged('restore', author);
    expect(await copy.objectAt(sha!, 'apps/a')).toBe(
      await copy.objectAt(shas[0], 'apps/a'),
    );
    expect(await copy.objectAt(sha!, 'apps/b')).toBe(
      await copy.objectAt(shas[2], 'apps/b'),
    );
  });
});
