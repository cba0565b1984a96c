import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { gitEnvironment, type RunGitOptions } from './runGit';

/** One object as `git cat-file --batch` prints it. */
export interface GitObject {
  sha: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  content: Buffer;
}

/** A batch with no read for this long ends its process; the next read starts another. */
const IDLE_MS = 2_000;

// `<sha> <type> <size>` before an object's content; anything else (`<name> missing`,
// `<name> ambiguous`) says the name is no object.
const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (blob|tree|commit|tag) (\d+)$/;

interface Waiter {
  resolve(object: GitObject | undefined): void;
  reject(error: Error): void;
}

/**
 * Reads objects of one repository through one long-lived `git cat-file --batch`, one request
 * after another on its stdin, instead of a git process per read. A name is what git's
 * revision syntax names (`<revision>:<path>`, `<revision>^{commit}`, a SHA); it goes on a
 * line of stdin, never on the command line, so no name is read as an option. The process
 * starts with the first read and ends after {@link IDLE_MS} without one; while idle it does
 * not keep Node running.
 */
export class CatFileBatch {
  readonly #args: string[];
  readonly #options: RunGitOptions;
  #child?: ChildProcessWithoutNullStreams;
  /** Reads sent and not yet answered, oldest first: git answers in order. */
  #waiting: Waiter[] = [];
  #buffer = Buffer.alloc(0);
  #idleTimer?: ReturnType<typeof setTimeout>;

  /** `args`: git's arguments before `cat-file` (e.g. `--git-dir`), `options` its directory. */
  constructor(args: string[], options: RunGitOptions) {
    this.#args = args;
    this.#options = options;
  }

  /** The object `name` names; undefined when it names none (or cannot be sent on one line). */
  read(name: string): Promise<GitObject | undefined> {
    if (/[\n\r\0]/.test(name)) return Promise.resolve(undefined);
    if (this.#options.signal?.aborted) {
      return Promise.reject(
        this.#options.signal.reason ?? new Error('Git read aborted'),
      );
    }
    const child = this.#running();
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      child.stdin.write(`${name}\n`);
    });
  }

  #running(): ChildProcessWithoutNullStreams {
    clearTimeout(this.#idleTimer);
    if (this.#child) {
      this.#hold(this.#child, true);
      return this.#child;
    }
    const child = spawn('git', [...this.#args, 'cat-file', '--batch'], {
      cwd: this.#options.cwd,
      env: gitEnvironment(this.#options),
      signal: this.#options.signal,
    });
    this.#child = child;
    this.#buffer = Buffer.alloc(0);
    let stderr = '';
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk: Buffer) => this.#received(chunk));
    // A write after git exited: the close below answers the waiting reads.
    child.stdin.on('error', () => {});
    const ended = (reason: string) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      const waiting = this.#waiting;
      this.#waiting = [];
      const error = new Error(`git cat-file --batch ${reason}`);
      waiting.forEach(w => w.reject(error));
    };
    child.on('error', error => ended(`failed: ${error.message}`));
    child.on('close', code =>
      ended(`exited (${code ?? 'killed'}): ${stderr.trim()}`),
    );
    return child;
  }

  /** Parses git's answers as they arrive; each completes the oldest waiting read. */
  #received(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const eol = this.#buffer.indexOf(10);
      if (eol === -1) return;
      const header = HEADER.exec(this.#buffer.subarray(0, eol).toString());
      let object: GitObject | undefined;
      if (header) {
        const size = Number(header[3]);
        // The content and the newline after it.
        if (this.#buffer.length < eol + 1 + size + 1) return;
        object = {
          sha: header[1],
          type: header[2] as GitObject['type'],
          content: Buffer.from(this.#buffer.subarray(eol + 1, eol + 1 + size)),
        };
        this.#buffer = this.#buffer.subarray(eol + 1 + size + 1);
      } else {
        this.#buffer = this.#buffer.subarray(eol + 1);
      }
      this.#waiting.shift()?.resolve(object);
      if (this.#waiting.length === 0) this.#idle();
    }
  }

  /** Nothing waiting: the process no longer keeps Node running, and ends if no read comes. */
  #idle(): void {
    const child = this.#child;
    if (!child) return;
    this.#hold(child, false);
    this.#idleTimer = setTimeout(() => {
      if (this.#child === child && this.#waiting.length === 0) {
        this.#child = undefined;
        child.stdin.end();
      }
    }, IDLE_MS);
    this.#idleTimer.unref?.();
  }

  /** Whether the process and its pipes keep Node's event loop running. */
  #hold(child: ChildProcessWithoutNullStreams, hold: boolean): void {
    for (const handle of [
      child,
      child.stdin as unknown as Socket,
      child.stdout as unknown as Socket,
      child.stderr as unknown as Socket,
    ]) {
      if (hold) handle.ref?.();
      else handle.unref?.();
    }
  }
}
