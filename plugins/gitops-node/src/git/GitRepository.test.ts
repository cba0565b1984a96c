import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitRepository } from './GitRepository';

// Real git: the logs of every commit of a small repository, a few hundred of them.
jest.setTimeout(120_000);

/** Runs git as Alice; `date` (seconds since the epoch) dates the commits it makes. */
function git(args: string[], cwd: string, date?: number): string {
  return execFileSync('git', args, {
    cwd,
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
      ...(date
        ? {
            GIT_AUTHOR_DATE: `@${date} +0000`,
            GIT_COMMITTER_DATE: `@${date} +0000`,
          }
        : {}),
    },
  }).trim();
}

describe('GitRepository (reads of a bare repository)', () => {
  let dir: string;
  let bare: string;
  let first: string;
  let second: string;
  const binary = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'git-repository-'));
    const work = join(dir, 'work');
    bare = join(dir, 'acme', 'gitops.git');
    git(['init', '--quiet', '--initial-branch=main', work], dir);
    mkdirSync(join(work, 'apps/web/overlays/dev'), { recursive: true });
    writeFileSync(join(work, 'apps/web/overlays/dev/kustomization.yaml'), 'a');
    writeFileSync(join(work, 'logo.png'), binary);
    git(['add', '--all'], work);
    git(['commit', '--quiet', '-m', 'First\n\nWith a body.'], work);
    first = git(['rev-parse', 'HEAD'], work);
    writeFileSync(join(work, 'README.md'), '# acme\n');
    git(['add', '--all'], work);
    git(['commit', '--quiet', '-m', 'Second'], work);
    second = git(['rev-parse', 'HEAD'], work);
    // A tag named like the branch points elsewhere: hosts prefer the branch.
    git(['tag', 'main', first], work);
    git(['tag', 'v1', first], work);
    git(['clone', '--quiet', '--bare', work, bare], dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const repo = () => new GitRepository({ gitDir: bare });

  it('resolves a branch before a tag of the same name, then tags and (short) SHAs', async () => {
    expect(await repo().resolve('main')).toBe(second);
    expect(await repo().resolve('v1')).toBe(first);
    expect(await repo().resolve(first.slice(0, 8))).toBe(first);
    expect(await repo().resolve('HEAD')).toBe(second);
    expect(await repo().resolve('nope')).toBeUndefined();
    // A revision is never read as an option.
    expect(await repo().resolveCommit('--all')).toBeUndefined();
  });

  it('tells a commit’s author, date and message as Argo CD’s revision metadata does', async () => {
    const work = join(dir, 'metadata');
    git(['init', '--quiet', '--initial-branch=main', work], dir);
    writeFileSync(join(work, 'a.yaml'), 'a: 1\n');
    git(['add', '--all'], work);
    // Another time zone than UTC, and a message with a body and trailing blank lines.
    execFileSync(
      'git',
      [
        'commit',
        '--quiet',
        '-m',
        'Roll out web 1.2.0\n\nBy the release train.\n\n',
      ],
      {
        cwd: work,
        env: {
          PATH: process.env.PATH,
          HOME: tmpdir(),
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_NAME: 'Bob Müller',
          GIT_AUTHOR_EMAIL: 'bob@acme.example',
          GIT_AUTHOR_DATE: '2026-03-01T10:30:00+0130',
          GIT_COMMITTER_NAME: 'CI',
          GIT_COMMITTER_EMAIL: 'ci@acme.example',
          GIT_COMMITTER_DATE: '2026-03-02T00:00:00+0000',
        },
      },
    );
    const sha = git(['rev-parse', 'HEAD'], work);
    // Argo CD's repo server: `git show -s --format=%an <%ae>%n%at%n%B`, split in three, the
    // date from the author's epoch seconds (as UTC on the wire), the message trimmed.
    const out = git(['show', '-s', '--format=%an <%ae>%n%at%n%B', sha], work);
    const [author, at] = out.split('\n', 2);
    const message = out.slice(author.length + at.length + 2);
    const withWork = new GitRepository({ cwd: work });
    expect(await withWork.commitMetadata(sha)).toEqual({
      author,
      date: new Date(Number(at) * 1000).toISOString().replace('.000Z', 'Z'),
      message: message.trim(),
    });
    expect(await withWork.commitMetadata(sha)).toEqual({
      author: 'Bob Müller <bob@acme.example>',
      date: '2026-03-01T09:00:00Z',
      message: 'Roll out web 1.2.0\n\nBy the release train.',
    });
    // A tree, a missing object, an option: no commit.
    expect(await withWork.commitMetadata(`${sha}^{tree}`)).toBeUndefined();
    expect(await withWork.commitMetadata('f'.repeat(40))).toBeUndefined();
    expect(await withWork.commitMetadata('--all')).toBeUndefined();
  });

  it('reads files as bytes and text; a directory or a missing path is undefined', async () => {
    expect(await repo().readFile(second, 'logo.png')).toEqual(binary);
    expect(await repo().readTextFile(second, 'README.md')).toBe('# acme\n');
    expect(await repo().readTextFile(first, 'README.md')).toBeUndefined();
    expect(await repo().readFile(second, 'apps/web')).toBeUndefined();
  });

  it('lists files under paths and the entries of a directory', async () => {
    expect(await repo().listFiles(second, ['apps'])).toEqual([
      'apps/web/overlays/dev/kustomization.yaml',
    ]);
    expect(await repo().listFiles(second)).toEqual([
      'README.md',
      'apps/web/overlays/dev/kustomization.yaml',
      'logo.png',
    ]);
    expect(await repo().listDirectory(second, '')).toEqual([
      expect.objectContaining({ name: 'README.md', type: 'file', size: 7 }),
      expect.objectContaining({ name: 'apps', type: 'dir', size: 0 }),
      expect.objectContaining({ name: 'logo.png', type: 'file', size: 7 }),
    ]);
    expect(await repo().listDirectory(second, 'README.md')).toBeUndefined();
    expect(await repo().listDirectory(second, 'nope')).toBeUndefined();
  });

  it('lists the files under paths with their objects, as listFiles and objectAt do', async () => {
    for (const paths of [[], ['apps'], ['README.md', 'nope']]) {
      const objects = await repo().fileObjects(second, paths);
      const files = await repo().listFiles(second, paths);
      expect([...objects.keys()]).toEqual(files);
      for (const file of files)
        expect(objects.get(file)).toBe(await repo().objectAt(second, file));
    }
    expect((await repo().fileObjects(second, ['apps'])).size).toBe(1);
  });

  it('logs commits newest first with their whole message, files and tags', async () => {
    const log = await repo().log({ to: second });
    expect(log.map(c => c.sha)).toEqual([second, first]);
    expect(log[1]).toMatchObject({
      authorName: 'Alice',
      authorEmail: 'alice@acme.example',
      subject: 'First',
      message: 'First\n\nWith a body.',
      files: ['apps/web/overlays/dev/kustomization.yaml', 'logo.png'],
    });
    expect(
      (await repo().log({ to: second, paths: ['README.md'] })).map(c => c.sha),
    ).toEqual([second]);
    expect(await repo().tagsAt(first)).toEqual(['main', 'v1']);
    expect(await repo().isAncestor(first, second)).toBe(true);
    expect(await repo().isAncestor(second, first)).toBe(false);
  });
});

describe('GitRepository.logs (one git log for many tips)', () => {
  let dir: string;
  let work: string;
  const tips: string[] = [];
  // Seconds since the epoch of the next commit's dates; set back for skewed clocks.
  let clock = 1_780_000_000;

  const run = (args: string[]) => git(args, work, clock);

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
    run(['add', '--all']);
    run(['commit', '--quiet', '--allow-empty', '-m', message]);
    const sha = run(['rev-parse', 'HEAD']);
    tips.push(sha);
    return sha;
  };
  const merge = (branch: string, message: string, tick = 1) => {
    clock += tick;
    run(['merge', '--quiet', '--no-ff', '-m', message, branch]);
    tips.push(run(['rev-parse', 'HEAD']));
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'git-repository-logs-'));
    work = join(dir, 'work');
    mkdirSync(work);
    run(['init', '--quiet', '--initial-branch=main']);
    commit('root: e only', { 'e/x': '1' }, 1);
    commit('d starts', { 'd/a': '1' }, 1);
    // Same second: git's walk keeps the order it reached them in.
    commit('d/a again', { 'd/a': '2' });
    commit('e only', { 'e/x': '2' });
    commit('empty', {});
    run(['checkout', '--quiet', '-b', 'side']);
    commit('side changes d/b', { 'd/b': '1' }, 1);
    // A clock set back: dated before its parent.
    clock -= 1000;
    commit('side changes d/a, skewed clock', { 'd/a': 'side' });
    clock += 1000;
    run(['checkout', '--quiet', 'main']);
    commit('main changes e', { 'e/x': '3' }, 1);
    // d as on side: TREESAME to side, so git follows side only on paths d.
    merge('side', 'merge side');
    run(['checkout', '--quiet', '-b', 'other']);
    commit('other changes d/a', { 'd/a': 'other' }, 1);
    run(['checkout', '--quiet', 'main']);
    commit('main changes d/b', { 'd/b': 'main' }, 1);
    // d differs from both parents: a merge git shows, without files.
    merge('other', 'merge other');
    // Changed d back as the first parent had it: TREESAME to it, the side is pruned.
    run(['checkout', '--quiet', '-b', 'undone']);
    commit('undone changes d/a', { 'd/a': 'undone' }, 1);
    commit('undone restores d/a', { 'd/a': 'other' }, 1);
    run(['checkout', '--quiet', 'main']);
    commit('main changes e again', { 'e/x': '4' }, 1);
    merge('undone', 'merge undone');
    // A second root joined in.
    run(['checkout', '--quiet', '--orphan', 'unrelated']);
    run(['rm', '-rq', '--cached', '.']);
    rmSync(join(work, 'd'), { recursive: true });
    rmSync(join(work, 'e'), { recursive: true });
    commit('unrelated root', { 'd/c': 'u' }, 1);
    run(['checkout', '--quiet', '-f', 'main']);
    clock += 1;
    run([
      'merge',
      '--quiet',
      '--no-ff',
      '--allow-unrelated-histories',
      '-m',
      'merge unrelated',
      'unrelated',
    ]);
    tips.push(run(['rev-parse', 'HEAD']));
    commit('d/c on main', { 'd/c': 'main' }, 1);
    // Both parents of a merge at the same second: git walks them in the merge's order.
    run(['checkout', '--quiet', '-b', 'tie']);
    commit('tie changes d/t', { 'd/t': '1' }, 1);
    run(['checkout', '--quiet', 'main']);
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
