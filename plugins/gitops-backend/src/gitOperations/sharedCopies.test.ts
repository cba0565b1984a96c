import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitWorkingCopy, runGit } from '@kupe/plugin-gitops-node';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import { Checkouts } from './checkout';
import { recordGitCommands } from './__testUtils__/gitCommands';

// Real git over local repositories: seconds per test on a loaded machine.
jest.setTimeout(60_000);

const author = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

describe('Checkouts: one shared clone for reads', () => {
  let root: string;
  let remote: string;
  let work: string;
  let checkouts: Checkouts;
  const source = () => ({ repoURL: remote, targetRevision: 'main' });

  /** Commits `file` with `content` on main of the remote; returns the commit. */
  const push = async (file: string, content: string) => {
    await writeFile(join(work, file), content);
    await runGit(['add', '--all'], { cwd: work });
    await runGit(['commit', '--quiet', '-m', `Set ${file}`], {
      cwd: work,
      env: author,
    });
    await runGit(['push', '--quiet', 'origin', 'HEAD:refs/heads/main'], {
      cwd: work,
    });
    return (await runGit(['rev-parse', 'HEAD'], { cwd: work })).trim();
  };

  const newCheckouts = (lifetimeMs = 30_000, freshForMs = 0) =>
    new Checkouts({
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      allowLocalRepositories: true,
      readCopies: { lifetimeMs, maxCopies: 20, freshForMs },
    });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kupe-shared-copies-'));
    const bare = join(root, 'gitops.git');
    await runGit(['init', '--bare', '--quiet', '--initial-branch=main', bare]);
    remote = pathToFileURL(bare).toString();
    work = join(root, 'work');
    await runGit(['clone', '--quiet', bare, work]);
    await runGit(['checkout', '--quiet', '-b', 'main'], { cwd: work });
    await push('app.yaml', 'tag: 1\n');
    checkouts = newCheckouts();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await checkouts.close();
    await rm(root, { recursive: true, force: true });
  });

  const readApp = () =>
    checkouts.read(source(), async c => ({
      head: c.head,
      dir: c.copy.dir,
      content: await c.at(c.head).read('app.yaml'),
    }));

  it('clones once for concurrent reads of the same repository and branch', async () => {
    const clone = jest.spyOn(GitWorkingCopy, 'cloneBranch');
    const reads = await Promise.all([1, 2, 3, 4, 5].map(() => readApp()));
    expect(clone).toHaveBeenCalledTimes(1);
    expect(new Set(reads.map(r => r.dir)).size).toBe(1);
    expect(reads.map(r => r.content)).toEqual(Array(5).fill('tag: 1\n'));
    expect(checkouts.sharedCopies()).toHaveLength(1);
  });

  it('fetches a commit pushed between two reads instead of cloning again', async () => {
    const first = await readApp();
    const clone = jest.spyOn(GitWorkingCopy, 'cloneBranch');
    const sha = await push('app.yaml', 'tag: 2\n');
    const second = await readApp();
    expect(clone).not.toHaveBeenCalled();
    expect(second).toEqual({ head: sha, dir: first.dir, content: 'tag: 2\n' });
  });

  it('makes a first read one bare clone, without asking the remote anything before', async () => {
    const git = await recordGitCommands();
    try {
      const { dir, content } = await readApp();
      expect(content).toBe('tag: 1\n');
      expect((await git.commands()).map(c => c.split(' ')[0])).toEqual([
        'clone',
        'rev-parse',
        'cat-file',
      ]);
      // Nothing checked out: the reads go by revision.
      expect(existsSync(join(dir, 'app.yaml'))).toBe(false);
      expect(existsSync(join(dir, 'HEAD'))).toBe(true);
    } finally {
      await git.stop();
    }
  });

  it('asks the remote for the head and fetches only when the branch moved', async () => {
    await readApp();
    const git = await recordGitCommands();
    // The clone's reads share one `cat-file --batch`, started again only after it idled.
    const commands = async () =>
      (await git.commands())
        .map(c => c.split(' ')[0])
        .filter(c => c !== 'cat-file');
    try {
      await readApp();
      expect(await commands()).toEqual(['ls-remote']);
      const sha = await push('app.yaml', 'tag: 2\n');
      await git.clear();
      expect(await readApp()).toMatchObject({ head: sha, content: 'tag: 2\n' });
      expect(await commands()).toEqual(['ls-remote', 'fetch', 'rev-parse']);
    } finally {
      await git.stop();
    }
  });

  it('tells which revisions are commits of the clone without a git process per revision', async () => {
    const first = (await runGit(['rev-parse', 'HEAD'], { cwd: work })).trim();
    const second = await push('app.yaml', 'tag: 2\n');
    const tree = (
      await runGit(['rev-parse', 'HEAD^{tree}'], { cwd: work })
    ).trim();
    const git = await recordGitCommands();
    try {
      const known = await checkouts.read(source(), c =>
        c.knownCommits([
          second,
          first,
          first,
          first.slice(0, 12),
          'f'.repeat(40),
          tree,
          '--all',
        ]),
      );
      expect(known).toEqual(new Set([first, second]));
      // Asked of the clone's one long-lived object reader (`cat-file --batch`).
      const commands = await git.commands();
      expect(commands.filter(c => c.includes('rev-list'))).toEqual([]);
      expect(
        commands.filter(c => c.includes('cat-file')).length,
      ).toBeLessThanOrEqual(1);
    } finally {
      await git.stop();
    }
  });

  it('lets reads soon after a fetch take its head, and sees the portal’s own pushes at once', async () => {
    await checkouts.close();
    checkouts = newCheckouts(30_000, 60_000);
    const first = await readApp();
    await push('app.yaml', 'tag: 2\n');
    const git = await recordGitCommands();
    try {
      // Pushed from outside within the window: not asked for yet.
      expect(await readApp()).toEqual(first);
      expect(
        (await git.commands()).filter(c => c.startsWith('ls-remote')),
      ).toEqual([]);
      const pushed = await checkouts.with(source(), async c => {
        await c.copy.writeFiles({ 'app.yaml': 'tag: 3\n' });
        await c.copy.commitIfChanged('Set tag 3', {
          name: 'Test',
          email: 'test@example.invalid',
        });
        await c.copy.push(c.branch);
        return c.copy.head();
      });
      expect(await readApp()).toMatchObject({
        head: pushed,
        content: 'tag: 3\n',
      });
    } finally {
      await git.stop();
    }
  });

  it('gives a plan a local working tree at the fresh head, and a write its own clone of the remote', async () => {
    const { dir: shared } = await readApp();
    const sha = await push('app.yaml', 'tag: 3\n');
    const clone = jest.spyOn(GitWorkingCopy, 'cloneBranch');
    const open = jest.spyOn(GitWorkingCopy, 'open');
    const plan = await checkouts.scratch(source(), async c => {
      await c.copy.writeFiles({ 'app.yaml': 'tag: edited\n' });
      return { head: c.head, files: await c.copy.changedFiles() };
    });
    expect(plan).toEqual({ head: sha, files: ['app.yaml'] });
    expect(clone).toHaveBeenLastCalledWith(
      expect.objectContaining({ remoteUrl: shared }),
    );
    expect(open).not.toHaveBeenCalled();

    const written = await checkouts.with(source(), async c => {
      await c.copy.writeFiles({ 'app.yaml': 'tag: 4\n' });
      await c.copy.commitIfChanged('Set tag 4', {
        name: 'Test',
        email: 'test@example.invalid',
      });
      await c.copy.push(c.branch);
      return c.copy.dir;
    });
    expect(open).toHaveBeenLastCalledWith(
      expect.objectContaining({ remoteUrl: remote }),
    );
    expect(written).not.toBe(shared);
    // The next read sees the pushed commit; the shared clone has no working tree to edit.
    expect((await readApp()).content).toBe('tag: 4\n');
    expect(existsSync(join(shared, 'app.yaml'))).toBe(false);
  });

  it('gives every waiter a failed clone’s error and clones again on the next read', async () => {
    const missing = { repoURL: remote, targetRevision: 'release' };
    const reads = await Promise.allSettled(
      [1, 2, 3].map(() => checkouts.read(missing, async c => c.head)),
    );
    expect(reads.map(r => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(String((reads[0] as PromiseRejectedResult).reason)).toContain(
      'Branch release',
    );
    expect(checkouts.sharedCopies()).toEqual([]);

    await runGit(['push', '--quiet', 'origin', 'HEAD:refs/heads/release'], {
      cwd: work,
    });
    const head = (await runGit(['rev-parse', 'HEAD'], { cwd: work })).trim();
    await expect(checkouts.read(missing, async c => c.head)).resolves.toBe(
      head,
    );
  });

  it('removes a clone from disk after its idle lifetime and at shutdown', async () => {
    await checkouts.close();
    checkouts = newCheckouts(200);
    const { dir } = await readApp();
    expect(existsSync(dir)).toBe(true);
    await waitFor(
      'the idle clone to be removed',
      () => !existsSync(dir) || undefined,
      5_000,
    );
    expect(checkouts.sharedCopies()).toEqual([]);

    const again = await readApp();
    expect(existsSync(again.dir)).toBe(true);
    await checkouts.close();
    expect(existsSync(again.dir)).toBe(false);
    await expect(readApp()).rejects.toThrow('shutting down');
  });
});
