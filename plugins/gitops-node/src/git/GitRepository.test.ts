import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRepository } from './GitRepository';

function git(args: string[], cwd: string): string {
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
