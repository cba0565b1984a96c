import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitWorkingCopy } from './GitWorkingCopy';
import { GitCommandError, redact, runGit } from './runGit';

const author = { name: 'Kupe Test', email: 'test@kupe.cloud' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap(entry => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('GitWorkingCopy (clone, commit, push over real git)', () => {
  let root: string;
  let remote: string;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'kupe-git-'));
    remote = join(root, 'remote.git');
    await runGit([
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      remote,
    ]);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const open = (name: string, remoteUrl = `file://${remote}`) =>
    GitWorkingCopy.open({ remoteUrl, branch: 'main', dir: join(root, name) });

  it('clones one branch in one go, bare for reads, and says when the repository, the branch or any commit is missing', async () => {
    const clone = (name: string, remoteUrl = `file://${remote}`) =>
      GitWorkingCopy.cloneBranch({
        remoteUrl,
        branch: 'main',
        dir: join(root, name),
        bare: true,
      }).catch(error => error);
    const missing = [
      await clone('a', `file://${root}/absent.git`),
      await clone('b'),
    ];
    expect(missing.map(e => GitWorkingCopy.isMissingBranch(e))).toEqual([
      true,
      true,
    ]);
    const writer = await open('w');
    await writer.writeFiles({ 'apps/web/a.yaml': 'a: 1\n' });
    const { sha } = await writer.commitIfChanged('first', author);
    await writer.push('main');
    await writer.push('other');

    const bare = await clone('c');
    expect(bare).toBeInstanceOf(GitWorkingCopy);
    expect(await bare.head()).toBe(sha);
    expect(await bare.readFileAt(sha!, 'apps/web/a.yaml')).toBe('a: 1\n');
    // The branch alone, no working tree.
    expect(await runGit(['branch', '--list'], { cwd: bare.dir })).toBe(
      '* main\n',
    );
    expect(readdirSync(bare.dir)).not.toContain('apps');
    expect(
      GitWorkingCopy.isMissingBranch(
        new GitCommandError('clone', 128, 'fatal: unable to access: timed out'),
      ),
    ).toBe(false);
  });

  it('tells a missing repository from an empty one and an existing branch', async () => {
    expect((await open('a', `file://${root}/absent.git`)).state).toBe(
      'missing',
    );
    const empty = await open('b');
    expect(empty.state).toBe('empty');
    expect(await empty.head()).toBeUndefined();

    await empty.writeFiles({ 'apps/web/a.yaml': 'a: 1\n' });
    const { changed, sha } = await empty.commitIfChanged('first', author);
    expect(changed).toBe(true);
    await empty.push('main');

    const existing = await open('c');
    expect(existing.state).toBe('existing');
    expect(await existing.head()).toBe(sha);
    expect(await existing.readFile('apps/web/a.yaml')).toBe('a: 1\n');
    expect(await existing.readFile('apps/web/absent.yaml')).toBeUndefined();
  });

  it('commits only when the tree changed, so a re-run adds no commit', async () => {
    const copy = await open('a');
    await copy.writeFiles({ 'a.yaml': 'a: 1\n' });
    const first = await copy.commitIfChanged('first', author);
    await copy.writeFiles({ 'a.yaml': 'a: 1\n' });
    expect(await copy.commitIfChanged('again', author)).toEqual({
      changed: false,
      sha: first.sha,
    });
  });

  it('refuses paths that leave the working copy or reach into .git', async () => {
    const copy = await open('a');
    for (const file of [
      '../escape.yaml',
      '/etc/passwd',
      '.git/config',
      'a/../../b',
    ]) {
      await expect(copy.writeFiles({ [file]: 'x' })).rejects.toThrow(
        /Refusing to write outside the repository/,
      );
    }
  });

  it('diffs writes over a commit without a working tree, as a checkout would after writing them', async () => {
    const writer = await open('w');
    await writer.writeFiles({
      'envs/staging/values.yaml': 'image:\n  tag: 1.0.0\n',
      'envs/staging/kustomization.yaml': 'resources: []\n',
      'scripts/render.sh': '#!/bin/sh\necho 1\n',
    });
    chmodSync(join(writer.dir, 'scripts/render.sh'), 0o755);
    const { sha } = await writer.commitIfChanged('first', author);
    await writer.push('main');
    const writes = {
      // changed, unchanged (written with the same content), new in a new directory, and an
      // executable whose mode must stay
      'envs/staging/values.yaml': 'image:\n  tag: 1.2.0\n',
      'envs/staging/kustomization.yaml': 'resources: []\n',
      'envs/production/values.yaml': 'image:\n  tag: 1.2.0\n',
      'scripts/render.sh': '#!/bin/sh\necho 2\n',
    };

    // What the working-tree way says ...
    const checkout = await open('checkout');
    await checkout.writeFiles(writes);
    const expected = {
      files: await checkout.changedFiles(),
      diff: await checkout.diff(),
    };
    expect(expected.files).toEqual([
      'envs/production/values.yaml',
      'envs/staging/values.yaml',
      'scripts/render.sh',
    ]);
    expect(expected.diff).toContain('100755\n--- a/scripts/render.sh');
    expect(expected.diff).not.toMatch(/old mode/);

    // ... a bare clone says from its objects alone, and stays as it was.
    const bare = await GitWorkingCopy.cloneBranch({
      remoteUrl: `file://${remote}`,
      branch: 'main',
      dir: join(root, 'bare'),
      bare: true,
    });
    const refsBefore = await runGit(['show-ref'], { cwd: bare.dir });
    expect(await bare.diffOfWrites(sha!, writes)).toEqual(expected);
    expect(await bare.diffOfWrites(sha!, {})).toEqual({ files: [], diff: '' });
    expect(await runGit(['show-ref'], { cwd: bare.dir })).toBe(refsBefore);
    expect(await bare.head()).toBe(sha);
    expect(readdirSync(bare.dir)).not.toContain('index');

    for (const file of [
      '../escape.yaml',
      '/etc/passwd',
      '.git/config',
      'a/../../b',
      'a//b',
    ]) {
      await expect(bare.diffOfWrites(sha!, { [file]: 'x' })).rejects.toThrow(
        /Refusing to write outside the repository/,
      );
    }
  });

  it('gives the commit and tree of a remote branch, undefined for a missing one', async () => {
    const copy = await open('a');
    await copy.writeFiles({ 'a.yaml': 'a: 1\n' });
    const { sha } = await copy.commitIfChanged('first', author);
    expect(await copy.remoteBranch('proposal')).toBeUndefined();
    await copy.push('proposal');
    expect(await copy.remoteBranch('proposal')).toEqual({
      sha,
      tree: await copy.treeOf('HEAD'),
    });
    expect(await copy.remoteTreeOf('proposal')).toBe(await copy.treeOf('HEAD'));
  });

  it('keeps credentials out of the working copy, and out of error messages', async () => {
    const credentials = {
      username: 'x-access-token',
      password: 'ghs_secretToken123',
    };
    const copy = await GitWorkingCopy.open({
      remoteUrl: `file://${remote}`,
      branch: 'main',
      dir: join(root, 'a'),
      credentials,
    });
    await copy.writeFiles({ 'a.yaml': 'a: 1\n' });
    await copy.commitIfChanged('first', author);
    await copy.push('main');
    const leaking = filesUnder(join(root, 'a')).filter(f =>
      readFileSync(f).includes('ghs_secretToken123'),
    );
    expect(leaking).toEqual([]);

    const error = await runGit(['ls-remote', 'ghs_secretToken123'], {
      credentials,
    }).catch(e => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect(error.message).not.toContain('ghs_secretToken123');
    expect(error.message).toContain('***');
    expect(
      redact('Bearer abcd1234 and abcd1234', { bearerToken: 'abcd1234' }),
    ).toBe('Bearer *** and ***');
  });
});
