import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type ArgoCdFake,
  GitHttpServer,
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

/** `registry/name:tag` as kustomize's `images` entry names it. */
function imageEntry(image: string): { name: string; tag?: string } {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/')
    ? { name: image.slice(0, colon), tag: image.slice(colon + 1) }
    : { name: image };
}

/**
 * An environment's directory as a kustomize overlay sets its version: a Deployment running
 * the app's images, and the kustomization pinning each image's tag (what Kupe's promotion
 * reads and would write into the next environment).
 */
function environmentFiles(
  dir: string,
  name: string,
  images: string[],
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
      ...entries.flatMap(image => [
        `  - name: ${image.name}`,
        ...(image.tag ? [`    newTag: ${image.tag}`] : []),
      ]),
      '',
    ].join('\n'),
  };
}

/** Runs git with `input` on stdin; rejects with its stderr when it fails. */
function git(args: string[], input = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    child.on('error', reject);
    // A git that exits before reading all of it says why on stderr: the exit code reports it.
    child.stdin.on('error', () => {});
    child.on('close', code =>
      code === 0
        ? resolve()
        : reject(new Error(`git ${args[0]} failed: ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

/** One commit of `files` on `main`, as `git fast-import` reads it. */
function fastImportStream(files: Record<string, string>): string {
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const who = 'Platform team <platform@example.com> 1767225600 +0000';
  return [
    'commit refs/heads/main\n',
    `author ${who}\ncommitter ${who}\n`,
    data('Deploy every environment'),
    ...Object.entries(files).map(
      ([file, content]) => `M 100644 inline ${file}\n${data(content)}`,
    ),
    'done\n',
  ].join('');
}

/**
 * Writes the bare repositories the fake's applications deploy from `at.origin`
 * (`<dataDir>/repos/<owner>/<name>.git`, where the Git host serves them): per repository one
 * commit on `main` holding every application's source directory with the images the app runs,
 * so a promotion preview finds what Argo CD reports. Written with `git fast-import` (one
 * process per repository), four repositories at a time.
 */
export async function writeRepositories(
  fake: ArgoCdFake,
  at: GitRepositoriesAt,
): Promise<void> {
  const prefix = `${at.origin}/`;
  const files = new Map<string, Record<string, string>>();
  for (const app of fake.listApplications()) {
    const source = app.spec.source;
    if (!source?.path || !source.repoURL.startsWith(prefix)) continue;
    const repo = source.repoURL.slice(prefix.length).replace(/\.git$/, '');
    if (!files.has(repo)) files.set(repo, {});
    Object.assign(
      files.get(repo)!,
      environmentFiles(
        source.path,
        app.metadata.name ?? '',
        app.status?.summary?.images ?? [],
      ),
    );
  }
  await inTurns(
    4,
    [...files.entries()].map(([repo, content]) => async () => {
      const gitDir = path.join(at.dataDir, 'repos', `${repo}.git`);
      await git(['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
      await git(
        ['--git-dir', gitDir, 'fast-import', '--quiet', '--done'],
        fastImportStream(content),
      );
    }),
  );
}
