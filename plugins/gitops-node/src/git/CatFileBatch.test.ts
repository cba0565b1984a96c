import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CatFileBatch } from './CatFileBatch';

jest.setTimeout(60_000);

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

describe('CatFileBatch (one git cat-file --batch for many reads)', () => {
  let dir: string;
  let work: string;
  let head: string;
  let webTree: string;
  let log: string;
  let path: string | undefined;
  const binary = Buffer.from([0, 10, 1, 0xff, 10, 10, 0x80]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cat-file-batch-'));
    work = join(dir, 'work');
    git(['init', '--quiet', '--initial-branch=main', work], dir);
    mkdirSync(join(work, 'apps/web'), { recursive: true });
    for (let i = 0; i < 20; i++) {
      writeFileSync(join(work, `apps/web/file${i}.yaml`), `n: ${i}\n`);
    }
    writeFileSync(join(work, 'logo.png'), binary);
    writeFileSync(join(work, 'empty.txt'), '');
    git(['add', '--all'], work);
    git(['commit', '--quiet', '-m', 'First'], work);
    head = git(['rev-parse', 'HEAD'], work);
    webTree = git(['rev-parse', 'HEAD:apps/web'], work);
    // A `git` first on PATH that logs each process it starts, then runs the real one.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    log = join(dir, 'git.log');
    writeFileSync(log, '');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], {
      encoding: 'utf8',
    }).trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(join(bin, 'git'), 0o755);
    path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path ?? ''}`;
  });

  afterAll(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  const processes = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);

  it('answers reads sent together in their order, from one process', async () => {
    writeFileSync(log, '');
    const batch = new CatFileBatch([], { cwd: work });
    const names = [
      ...Array.from({ length: 20 }, (_, i) => `${head}:apps/web/file${i}.yaml`),
      `${head}:apps/web/absent.yaml`,
      `${head}:logo.png`,
      'main:empty.txt',
      'main:apps/web',
      `${head}^{commit}`,
      '--all',
      'main\nmain:logo.png',
    ];
    const objects = await Promise.all(names.map(n => batch.read(n)));
    expect(
      objects.slice(0, 20).map(o => o?.type === 'blob' && String(o.content)),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `n: ${i}\n`));
    const [absent, logo, empty, tree, commit, option, twoLines] =
      objects.slice(20);
    expect(absent).toBeUndefined();
    expect(logo?.content.equals(binary)).toBe(true);
    expect(empty).toMatchObject({ type: 'blob', content: Buffer.alloc(0) });
    expect(tree).toMatchObject({
      type: 'tree',
      sha: webTree,
    });
    expect(commit).toMatchObject({ type: 'commit', sha: head });
    expect(String(commit?.content)).toContain('First');
    // Names are never options, and one name is one line.
    expect(option).toBeUndefined();
    expect(twoLines).toBeUndefined();
    expect(processes()).toEqual(['cat-file --batch']);
  });

  it('ends its process when idle and starts another for the next read', async () => {
    writeFileSync(log, '');
    const batch = new CatFileBatch(['--git-dir', join(work, '.git')], {});
    expect((await batch.read(`${head}:logo.png`))?.type).toBe('blob');
    await new Promise(resolve => setTimeout(resolve, 2_500));
    expect((await batch.read('main:empty.txt'))?.type).toBe('blob');
    expect(processes()).toEqual([
      `--git-dir ${join(work, '.git')} cat-file --batch`,
      `--git-dir ${join(work, '.git')} cat-file --batch`,
    ]);
  });

  it('fails the waiting reads when git fails, and refuses reads once aborted', async () => {
    const missing = new CatFileBatch([], { cwd: join(dir, 'absent') });
    await expect(missing.read('HEAD')).rejects.toThrow(
      /git cat-file --batch (failed|exited)/,
    );
    const controller = new AbortController();
    const batch = new CatFileBatch([], {
      cwd: work,
      signal: controller.signal,
    });
    expect((await batch.read('main:empty.txt'))?.type).toBe('blob');
    controller.abort(new Error('Git operation timed out'));
    await expect(batch.read('main:empty.txt')).rejects.toThrow('timed out');
  });
});
