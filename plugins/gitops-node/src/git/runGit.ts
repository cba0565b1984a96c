import { execFile } from 'node:child_process';

/**
 * How git authenticates to an HTTP(S) remote; absent for anonymous remotes.
 *
 * @public
 */
export interface GitCredentials {
  /** Sent as HTTP Basic with `password`. */
  username?: string;
  password?: string;
  /** Sent as `Authorization: Bearer`, for hosts that take tokens that way. */
  bearerToken?: string;
}

/**
 * Options of one git CLI call: working directory, credentials, extra environment and an abort signal.
 *
 * @public
 */
export interface RunGitOptions {
  cwd?: string;
  credentials?: GitCredentials;
  /** Extra environment, e.g. the committer identity. */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Written to git's standard input, which is then closed (e.g. `hash-object --stdin`). */
  input?: string;
}

/**
 * A git command failed; the message is free of credentials.
 *
 * @public
 */
export class GitCommandError extends Error {
  readonly exitCode: number | undefined;
  readonly stderr: string;
  constructor(command: string, exitCode: number | undefined, stderr: string) {
    super(`git ${command} failed: ${stderr.trim() || `exit ${exitCode}`}`);
    this.name = 'GitCommandError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

function authorizationHeader(credentials: GitCredentials): string | undefined {
  if (credentials.bearerToken)
    return `Authorization: Bearer ${credentials.bearerToken}`;
  if (credentials.password) {
    const basic = Buffer.from(
      `${credentials.username ?? 'x-access-token'}:${credentials.password}`,
    ).toString('base64');
    return `Authorization: Basic ${basic}`;
  }
  return undefined;
}

function secretsOf(credentials: GitCredentials | undefined): string[] {
  if (!credentials) return [];
  const header = authorizationHeader(credentials);
  return [
    credentials.password,
    credentials.bearerToken,
    header,
    header?.split(' ').pop(),
  ].filter((s): s is string => !!s && s.length >= 4);
}

/** Replaces every secret by `***`, for anything that may reach a log or an error. */
export function redact(text: string, credentials?: GitCredentials): string {
  return secretsOf(credentials).reduce(
    (t, secret) => t.split(secret).join('***'),
    text,
  );
}

/**
 * Runs the real `git` CLI. Credentials travel as an `http.extraHeader` in git's environment
 * config (`GIT_CONFIG_*`), never in the URL or on the command line, so they reach neither
 * `.git/config`, nor the process list, nor git's own error messages. Prompts are disabled so a
 * missing credential fails instead of hanging the task.
 *
 * @public
 */
export function runGit(
  args: string[],
  options: RunGitOptions = {},
): Promise<string> {
  return execGit(args, options);
}

/** The environment git runs in with `options`: see {@link runGit}. */
export function gitEnvironment(options: RunGitOptions): Record<string, string> {
  const header = options.credentials
    ? authorizationHeader(options.credentials)
    : undefined;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'echo',
    // System and user config must not change what is committed or where it is pushed.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    LANG: 'C',
    ...options.env,
  };
  if (header) {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = header;
  }
  return env;
}

function execGit(args: string[], options: RunGitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: gitEnvironment(options),
        signal: options.signal,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : undefined;
          reject(
            new GitCommandError(
              redact(args[0] ?? '', options.credentials),
              code,
              redact(String(stderr || error.message), options.credentials),
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
    // Without input git's stdin stays open but unread: no command here reads it unasked.
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
