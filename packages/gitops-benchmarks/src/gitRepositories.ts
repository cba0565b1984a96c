import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '@kupe/plugin-gitops-node';
import {
  type ArgoCdFake,
  GitHttpServer,
  SimpleController,
} from '@kupe/plugin-gitops-node-test-utils';
import { inTurns } from './types';

/** Where a scenario's GitOps repositories are: served from `origin`, stored under `dataDir`. */
export interface GitRepositoriesAt {
  origin: string;
  dataDir: string;
}

/**
 * The Git host of a scenario: bare repositories under a temporary directory, served over Git's
 * smart HTTP protocol by the real `git http-backend` on loopback, without credentials. The
 * seeded applications deploy from it, so Kupe's promotion previews clone, fetch and read real
 * repositories.
 */
export async function startGitHost(): Promise<
  GitRepositoriesAt & { stop(): Promise<void> }
> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kupe-bench-git-'));
  const root = path.join(dataDir, 'repos');
  await mkdir(root);
  const server = await GitHttpServer.start({ root });
  return {
    origin: server.origin,
    dataDir,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * How many commits each repository's `main` has: one per history entry a realistic app has
 * (10), and one more, the head, which an OutOfSync app has not deployed yet.
 */
export const RELEASES = 11;

/** `registry/name:tag` as kustomize's `images` entry names it. */
function imageEntry(image: string): { name: string; tag?: string } {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/')
    ? { name: image.slice(0, colon), tag: image.slice(colon + 1) }
    : { name: image };
}

/**
 * The commit (0 = the first) an app deployed last: the head, unless Argo CD reports it
 * OutOfSync, which the commit after its deployment made it.
 */
function deployedRelease(app: Application): number {
  return app.status?.sync?.status === 'OutOfSync' ? RELEASES - 2 : RELEASES - 1;
}

/**
 * The tag release `release` of a repository pins for an image the app runs at `deployed`:
 * that image's own tag at the deployed release, an older one before, a newer one after.
 */
function tagAt(
  tag: string | undefined,
  release: number,
  deployed: number,
): string | undefined {
  if (release === deployed) return tag;
  const base = tag ?? 'latest';
  return release < deployed ? `${base}-r${release}` : `${base}-next`;
}

/**
 * An environment's directory as a kustomize overlay sets its version at one release: a
 * Deployment running the app's images, and the kustomization pinning each image's tag (what
 * Kupe's promotion reads and would write into the next environment).
 */
function environmentFiles(
  dir: string,
  name: string,
  images: string[],
  release: number,
  deployed: number,
): Record<string, string> {
  const entries = images.map(imageEntry);
  return {
    [`${dir}/deployment.yaml`]: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      ...entries.flatMap((image, i) => [
        `        - name: c${i}`,
        `          image: ${image.name}`,
      ]),
      '',
    ].join('\n'),
    [`${dir}/kustomization.yaml`]: [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - deployment.yaml',
      'images:',
      ...entries.flatMap(image => {
        const tag = tagAt(image.tag, release, deployed);
        return [
          `  - name: ${image.name}`,
          ...(tag ? [`    newTag: ${tag}`] : []),
        ];
      }),
      '',
    ].join('\n'),
  };
}

/** Runs git with `input` on stdin; its stdout, or a rejection with its stderr. */
function git(args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    child.on('error', reject);
    // A git that exits before reading all of it says why on stderr: the exit code reports it.
    child.stdin.on('error', () => {});
    child.on('close', code =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`git ${args[0]} failed: ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

const AUTHOR = 'Platform team <platform@example.com>';
// 2026-01-01T00:00:00Z: before any seeded deployment.
const FIRST_COMMIT_EPOCH = 1767225600;

/** The repository's releases, one commit each on `main`, as `git fast-import` reads them. */
function fastImportStream(releases: Record<string, string>[]): string {
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  return [
    ...releases.flatMap((files, release) => {
      const who = `${AUTHOR} ${FIRST_COMMIT_EPOCH + release * 3600} +0000`;
      return [
        'commit refs/heads/main\n',
        `author ${who}\ncommitter ${who}\n`,
        data(`Release r${release} of every environment`),
        ...Object.entries(files).map(
          ([file, content]) => `M 100644 inline ${file}\n${data(content)}`,
        ),
      ];
    }),
    'done\n',
  ].join('');
}

/** The repository (`<owner>/<name>` under the Git host) an app deploys from, if it is one. */
function repositoryOf(app: Application, at: GitRepositoriesAt) {
  const source = app.spec.source;
  const prefix = `${at.origin}/`;
  if (!source?.path || !source.repoURL.startsWith(prefix)) return undefined;
  return {
    repo: source.repoURL.slice(prefix.length).replace(/\.git$/, ''),
    path: source.path,
  };
}

const gitDirOf = (at: GitRepositoriesAt, repo: string) =>
  path.join(at.dataDir, 'repos', `${repo}.git`);

/**
 * Writes the bare repositories the fake's applications deploy from `at.origin`
 * (`<dataDir>/repos/<owner>/<name>.git`, where the Git host serves them): per repository
 * {@link RELEASES} commits on `main`, each holding every application's source directory, so
 * that the apps' histories can name real commits ({@link useRepositoryHistory}); the commit
 * an app deployed last holds the images Argo CD reports it runs, so a promotion preview finds
 * them. Written with `git fast-import` (one process per repository), four repositories at a
 * time.
 */
export async function writeRepositories(
  fake: ArgoCdFake,
  at: GitRepositoriesAt,
): Promise<void> {
  const releasesOf = new Map<string, Record<string, string>[]>();
  for (const app of fake.listApplications()) {
    const source = repositoryOf(app, at);
    if (!source) continue;
    if (!releasesOf.has(source.repo))
      releasesOf.set(
        source.repo,
        Array.from({ length: RELEASES }, () => ({})),
      );
    const deployed = deployedRelease(app);
    releasesOf
      .get(source.repo)!
      .forEach((files, release) =>
        Object.assign(
          files,
          environmentFiles(
            source.path,
            app.metadata.name ?? '',
            app.status?.summary?.images ?? [],
            release,
            deployed,
          ),
        ),
      );
  }
  await inTurns(
    4,
    [...releasesOf.entries()].map(([repo, releases]) => async () => {
      const gitDir = gitDirOf(at, repo);
      await git(['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
      await git(
        ['--git-dir', gitDir, 'fast-import', '--quiet', '--done'],
        fastImportStream(releases),
      );
    }),
  );
}

/**
 * Makes the fake's apps name the commits of the repositories they deploy from
 * ({@link writeRepositories} wrote them): each history entry a release, the last the one the
 * app deployed, the sync target the head; and the fake describes each commit as Git does
 * (author, date, message), for those who ask Argo CD. Every double of a scenario seeds the
 * same apps, so each can run this once the repositories are written.
 */
export async function useRepositoryHistory(
  fake: ArgoCdFake,
  at: GitRepositoriesAt,
): Promise<void> {
  const commitsOf = new Map<string, string[]>();
  const described =
    fake.controller instanceof SimpleController
      ? fake.controller.commits
      : undefined;
  const commitsOfRepo = async (repo: string) => {
    if (!commitsOf.has(repo)) {
      const listed = await git([
        '--git-dir',
        gitDirOf(at, repo),
        'rev-list',
        '--reverse',
        'main',
      ]);
      const commits = listed.trim().split('\n');
      commits.forEach((sha, release) =>
        described?.set(sha, {
          author: AUTHOR,
          date: new Date((FIRST_COMMIT_EPOCH + release * 3600) * 1000)
            .toISOString()
            .replace('.000Z', 'Z'),
          message: `Release r${release} of every environment`,
        }),
      );
      commitsOf.set(repo, commits);
    }
    return commitsOf.get(repo)!;
  };
  for (const app of fake.listApplications()) {
    const source = repositoryOf(app, at);
    if (!source || !app.status) continue;
    const commits = await commitsOfRepo(source.repo);
    if (commits.length !== RELEASES)
      throw new Error(
        `${source.repo} has ${commits.length} commits, not ${RELEASES}`,
      );
    fake.putApplication(withRevisions(app, commits));
  }
}

/** `app` deploying `commits` (oldest first) as {@link useRepositoryHistory} says. */
function withRevisions(app: Application, commits: string[]): Application {
  const status = app.status!;
  const history = status.history ?? [];
  const deployed = deployedRelease(app);
  const first = deployed - (history.length - 1);
  if (first < 0)
    throw new Error(
      `${app.metadata.name} has more history than ${RELEASES - 1} releases`,
    );
  const operationState = status.operationState;
  return {
    ...app,
    status: {
      ...status,
      sync: status.sync && { ...status.sync, revision: commits[RELEASES - 1] },
      history: history.map((entry, i) => ({
        ...entry,
        revision: commits[first + i],
      })),
      operationState: operationState && {
        ...operationState,
        operation: {
          ...operationState.operation,
          sync: operationState.operation.sync && {
            ...operationState.operation.sync,
            revision: commits[deployed],
          },
        },
        syncResult: operationState.syncResult && {
          ...operationState.syncResult,
          revision: commits[deployed],
        },
      },
    },
  };
}
