import { execFile } from 'node:child_process';

export interface GitIdentity {
  name: string;
  email: string;
  /** RFC3339; default now. */
  date?: string;
}

/**
 * Runs `git` without a shell (arguments are never interpreted), with prompts disabled and
 * the user's global configuration ignored, so a developer's hooks or signing settings cannot
 * change what the sandbox does.
 */
export function runGit(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `git ${args[0]} failed: ${stderr.trim() || error.message}`,
            ),
          );
        else resolve(stdout);
      },
    );
  });
}

/** Author and committer environment for one identity. */
export function identityEnv(identity: GitIdentity): Record<string, string> {
  const date = identity.date ?? new Date().toISOString();
  return {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    GIT_COMMITTER_DATE: date,
  };
}
