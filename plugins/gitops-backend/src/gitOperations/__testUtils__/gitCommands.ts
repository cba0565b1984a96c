import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The git commands run while recording, each as its arguments joined by spaces. */
export interface GitCommandLog {
  /** What ran since the start or the last {@link GitCommandLog.clear}. */
  commands(): Promise<string[]>;
  clear(): Promise<void>;
  /** Puts PATH back and removes the wrapper. */
  stop(): Promise<void>;
}

/**
 * Records every git command this process starts (the product runs git by name from PATH):
 * a `git` first on PATH that writes its arguments to a log, then runs the real git.
 */
export async function recordGitCommands(): Promise<GitCommandLog> {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], {
    encoding: 'utf8',
  }).trim();
  const dir = await mkdtemp(join(tmpdir(), 'kupe-git-log-'));
  const log = join(dir, 'commands.log');
  await writeFile(log, '');
  await writeFile(
    join(dir, 'git'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`,
  );
  await chmod(join(dir, 'git'), 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${path ?? ''}`;
  return {
    commands: async () =>
      (await readFile(log, 'utf8')).split('\n').filter(Boolean),
    clear: () => writeFile(log, ''),
    stop: async () => {
      process.env.PATH = path;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
