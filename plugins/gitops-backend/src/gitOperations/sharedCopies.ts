import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '@backstage/errors';
import {
  type GitCredentials,
  GitWorkingCopy,
  runGit,
} from '@kupe/plugin-gitops-node';

/** How long shared read-only clones are kept, how many, and how fresh (defaults: 30 s, 20, 2 s). */
export interface SharedCopiesOptions {
  /** An idle clone is removed from disk this long after its last read. */
  lifetimeMs: number;
  /** Most clones kept; the least recently read idle one goes first. */
  maxCopies: number;
  /**
   * A read this soon after a clone or fetch of its branch started takes that one's head
   * instead of asking the remote again: a commit pushed from elsewhere (a merge on GitHub) is
   * seen at most this late. The portal's own pushes end the window at once
   * ({@link SharedCopies.pushed}). 0: every read asks the remote.
   */
  freshForMs: number;
}

/** The defaults of {@link SharedCopiesOptions}. */
export const DEFAULT_SHARED_COPIES_OPTIONS: SharedCopiesOptions = {
  lifetimeMs: 30_000,
  maxCopies: 20,
  freshForMs: 2_000,
};

interface Entry {
  key: string;
  dir: Promise<string>;
  /** Aborts the clone's git commands: on a timeout, and when the clone is removed. */
  controller: AbortController;
  /** The latest clone or fetch: settles with the branch's head as it had it. */
  synced: Promise<string>;
  /** Tick of the clock when `synced` started; a read wants one that started after it asked. */
  syncedAt: number;
  /** Until then (epoch ms) a read takes `synced` as it is; 0 after the portal pushed. */
  freshUntil: number;
  /** A fetch waiting for the running clone or fetch, shared by everyone who asked meanwhile. */
  queued?: Promise<string>;
  copy?: GitWorkingCopy;
  /** The remote's credentials (from the integration of its host), for fetches. */
  credentials?: GitCredentials;
  users: number;
  lastUsed: number;
  removed: boolean;
  idleTimer?: ReturnType<typeof setTimeout>;
}

/**
 * Read-only clones of tracked branches shared by concurrent reads, one per repository and
 * branch. A read waits for a clone or fetch that started after it asked (so a commit pushed
 * before the read is seen), and reads that ask together share that one clone or fetch; but
 * within `freshForMs` of the last one's start, a read takes that one instead (a burst of reads,
 * a tab's previews, asks the remote once), unless the portal pushed to the repository since. A
 * fetch asks the remote for the branch head first and fetches only when it moved. The clones
 * are bare, of the branch alone, made in one round trip to the remote
 * ({@link GitWorkingCopy.cloneBranch}); only reads use them, and commits and pushes keep a
 * private clone each.
 */
export class SharedCopies {
  readonly #options: SharedCopiesOptions;
  readonly #timeoutMs: number;
  /** In order of use, least recent first. */
  readonly #entries = new Map<string, Entry>();
  #clock = 0;
  #closed = false;

  constructor(options: SharedCopiesOptions & { timeoutMs: number }) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs;
  }

  /** Repository keys (URL and branch) with a clone on disk or on its way. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Runs `fn` with the shared clone of `branch` at its current head (cloned or fetched for
   * this read). The key is the repository URL and branch only, and that is safe: the
   * caller's tenant check has passed before (the application gate), and `credentials` come
   * from the integration configured for the URL's host, the same for every caller of the
   * same repository, so a shared clone holds nothing that caller's own clone would not.
   */
  async read<T>(
    target: {
      repoUrl: string;
      key: string;
      branch: string;
      credentials?: GitCredentials;
    },
    fn: (copy: GitWorkingCopy, head: string) => Promise<T>,
  ): Promise<T> {
    if (this.#closed) throw new Error('Git operations are shutting down');
    const asked = ++this.#clock;
    const key = `${target.key}#${target.branch}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = this.#clone(key, target);
    } else {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    entry.users++;
    clearTimeout(entry.idleTimer);
    this.#evictBeyondLimit();
    try {
      const head = await this.#freshHead(entry, asked);
      return await this.#watched(entry, () => fn(entry!.copy!, head));
    } finally {
      this.#release(entry);
    }
  }

  /**
   * The portal pushed to the repository `key` (a commit, a branch): the next read of any of
   * its branches asks the remote again, so the portal's own changes are seen at once.
   */
  pushed(key: string): void {
    for (const entry of this.#entries.values()) {
      if (entry.key.startsWith(`${key}#`)) entry.freshUntil = 0;
    }
  }

  /** Removes every clone (backend shutdown); running reads finish first. */
  async close(): Promise<void> {
    this.#closed = true;
    const entries = [...this.#entries.values()];
    entries.forEach(e => this.#forget(e));
    await Promise.all(
      entries.filter(e => e.users === 0).map(e => this.#remove(e)),
    );
  }

  #clone(
    key: string,
    target: { repoUrl: string; branch: string; credentials?: GitCredentials },
  ): Entry {
    const controller = new AbortController();
    const dir = mkdtemp(join(tmpdir(), 'kupe-gitops-read-'));
    const entry: Entry = {
      key,
      dir,
      controller,
      syncedAt: ++this.#clock,
      freshUntil: Date.now() + this.#options.freshForMs,
      synced: Promise.resolve(''),
      credentials: target.credentials,
      users: 0,
      lastUsed: Date.now(),
      removed: false,
    };
    const missing = () =>
      new ConflictError(
        `Branch ${target.branch} of ${target.repoUrl} does not exist or is empty`,
      );
    entry.synced = this.#watched(entry, async () => {
      let copy: GitWorkingCopy;
      try {
        copy = await GitWorkingCopy.cloneBranch({
          remoteUrl: target.repoUrl,
          branch: target.branch,
          dir: join(await dir, 'repo.git'),
          bare: true,
          credentials: target.credentials,
          signal: controller.signal,
        });
      } catch (error) {
        if (GitWorkingCopy.isMissingBranch(error)) throw missing();
        throw error;
      }
      const head = await copy.head();
      if (!head) throw missing();
      entry.copy = copy;
      return head;
    });
    this.#entries.set(key, entry);
    return entry;
  }

  /** The head of a clone or fetch that started after tick `asked`, sharing one in flight. */
  async #freshHead(entry: Entry, asked: number): Promise<string> {
    try {
      if (entry.syncedAt < asked && Date.now() >= entry.freshUntil) {
        entry.queued ??= entry.synced
          .catch(() => undefined)
          .then(known => {
            entry.queued = undefined;
            entry.syncedAt = ++this.#clock;
            entry.freshUntil = Date.now() + this.#options.freshForMs;
            entry.synced = this.#watched(entry, () =>
              this.#fetch(entry, known),
            );
            return entry.synced;
          });
        await entry.queued;
      }
      return await entry.synced;
    } catch (error) {
      // Not kept: the next read clones again.
      this.#forget(entry);
      throw error;
    }
  }

  /**
   * The branch's head on the remote, fetched into the clone's local branch (so clones of this
   * clone start there). Asks the remote for the head first: when it is still `known`, the
   * head the clone already has, nothing is fetched.
   */
  async #fetch(entry: Entry, known: string | undefined): Promise<string> {
    const copy = entry.copy;
    if (!copy) throw new Error(`The clone of ${entry.key} failed`);
    const ref = `refs/heads/${copy.branch}`;
    const git = (args: string[]) =>
      runGit(args, {
        cwd: copy.dir,
        credentials: entry.credentials,
        signal: entry.controller.signal,
      });
    const [head] = (await git(['ls-remote', '--heads', 'origin', ref])).split(
      /\s/,
    );
    if (!head)
      throw new ConflictError(
        `Branch ${copy.branch} of ${copy.remoteUrl} does not exist or is empty`,
      );
    if (head === known) return head;
    // Into the branch itself, which HEAD names (a bare clone: no working tree to update).
    await git([
      'fetch',
      '--quiet',
      '--update-head-ok',
      'origin',
      `+${ref}:${ref}`,
    ]);
    // The branch as fetched: newer than the advertised head if a push came in between.
    return (await git(['rev-parse', '--verify', ref])).trim();
  }

  /** Runs `fn`; past the timeout, the clone's git commands are aborted and the clone dropped. */
  async #watched<T>(entry: Entry, fn: () => Promise<T>): Promise<T> {
    const timer = setTimeout(() => {
      entry.controller.abort(new Error('Git operation timed out'));
      this.#forget(entry);
    }, this.#timeoutMs);
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
    }
  }

  #release(entry: Entry): void {
    entry.users--;
    entry.lastUsed = Date.now();
    if (entry.users > 0) return;
    if (entry.removed || this.#closed) {
      void this.#remove(entry);
      return;
    }
    entry.idleTimer = setTimeout(
      () => void this.#remove(entry),
      this.#options.lifetimeMs,
    );
    entry.idleTimer.unref?.();
  }

  /** No longer handed to new reads; removed from disk once its running reads finished. */
  #forget(entry: Entry): void {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    entry.removed = true;
    if (entry.users === 0) void this.#remove(entry);
  }

  #evictBeyondLimit(): void {
    for (const entry of this.#entries.values()) {
      if (this.#entries.size <= this.#options.maxCopies) return;
      if (entry.users === 0) this.#forget(entry);
    }
  }

  async #remove(entry: Entry): Promise<void> {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    entry.removed = true;
    clearTimeout(entry.idleTimer);
    await entry.synced.catch(() => undefined);
    const dir = await entry.dir.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
