import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArgoCdFake,
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_RECONCILE_JITTER_MS,
  GitHubFake,
  GitSmartHttp,
  HelmChartCatalog,
  gitHubGitAccess,
  SimpleController,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';
import { GitController } from '../controller/GitController';
import { ApplicationSetController } from '../controller/ApplicationSetController';
import { seedApplicationSets } from '../seed/seedApplicationSets';
import { handlePullRequestPage } from '../github/pullRequestPages';
import {
  createSandboxGitHub,
  SANDBOX_GITHUB_SERVICE_LOGIN,
  SANDBOX_GITHUB_TOKEN,
} from '../github/sandboxGitHub';
import { SandboxRepositories } from '../git/SandboxRepositories';
import { SandboxHelmRepository } from '../helm/SandboxHelmRepository';
import { seedSandbox, SANDBOX_TENANTS } from '../seed/seedSandbox';
import { seedScale } from '../seed/seedScale';
import { SANDBOX_ADMIN_TOKEN } from '../sandboxToken';
import { serveRawFile } from './rawFiles';

export interface ArgoCdSandboxOptions {
  /** 0 picks a free port. Default 7008. */
  port?: number;
  /** Only loopback addresses are accepted: the sandbox has a public admin token. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Where the Git repositories live; default a new temporary directory, removed on stop. */
  dataDir?: string;
  reconcileIntervalMs?: number;
  /** How long a sync operation stays Running. Default 1500 ms. */
  operationMs?: number;
  /** How long workloads stay Progressing after a sync. Default 1500 ms. */
  progressMs?: number;
  /** Artificial latency of every Argo CD API response. */
  latencyMs?: number;
  /** Skip the demo seed (tests that build their own state). */
  seed?: boolean;
  /**
   * Benchmark mode: instead of the Git-backed demo, generate this many applications (no Git,
   * a simple controller) spread over `tenants` tenants.
   */
  scale?: { applications: number; tenants?: number };
}

export interface ArgoCdSandbox {
  /** Origin of the Argo CD API, e.g. `http://127.0.0.1:7008`. */
  readonly url: string;
  readonly fake: ArgoCdFake;
  /** The Git-backed controller; undefined in scale mode. */
  readonly controller?: GitController;
  /** The ApplicationSet controller (list and Git directory generators, app of apps); not in scale mode. */
  readonly applicationSets?: ApplicationSetController;
  readonly repositories: SandboxRepositories;
  /** The tenants' Helm chart repositories, at `<url>/helm/<tenant>` (`index.yaml`, `.tgz`). */
  readonly helm: SandboxHelmRepository;
  /**
   * The GitHub-compatible REST API over the same repositories, at `gitHubApiUrl`
   * (`<url>/api/v3`, GitHub Enterprise Server's layout); pull request pages at their `html_url`.
   */
  readonly github: GitHubFake;
  readonly gitHubApiUrl: string;
  /** Token of the portal's service account on that API (sandbox only). */
  readonly gitHubToken: string;
  readonly dataDir: string;
  /** Project role tokens `proj:tenant-<t>:backstage` by tenant, valid while the sandbox runs. */
  readonly projectTokens: Record<string, string>;
  readonly adminToken: string;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The path below the git mount of a smart HTTP request, e.g. `/acme/gitops.git/info/refs`. */
function gitPathInfo(pathname: string): string {
  // `/git/<owner>/<repo>.git/...` is the older layout, kept as an alias
  return pathname.startsWith('/git/')
    ? pathname.slice('/git'.length)
    : pathname;
}

/**
 * Starts an Argo CD stand-in on loopback: the contract-true API of `ArgoCdFake`, backed by
 * a controller that reconciles real Git repositories. Like a GitHub Enterprise server it
 * serves them over Git's smart HTTP at `/<owner>/<name>.git` (clone and push; `/git/...` is
 * an alias), through a GitHub-compatible REST API under `/api/v3` (repositories, pull
 * requests, reviews, merges) with pull request pages at `/<owner>/<name>/pull/<n>`; and file
 * by file, read-only, under `/raw/<owner>/<name>/<ref>/<path>`; and each tenant's Helm chart
 * repository at `/helm/<tenant>` (`index.yaml` and packaged charts, as `helm repo add` reads).
 *
 * Git and raw files need the credentials the REST API takes (a seeded user's token or the
 * portal's service token) and are served by the same per-tenant rule, as GitHub serves private
 * repositories: without credentials 401, to a user outside the tenant's organization 404. A
 * push is checked as GitHub's pre-receive checks it ({@link GitHubFake.checkPush}): the
 * protection of `main` refuses (GH006) a direct push that changes a code-owned production path.
 * The sandbox's own seeding and tests commit through the file system, as the server's
 * administrator would.
 */
export async function startArgoCdSandbox(
  options: ArgoCdSandboxOptions = {},
): Promise<ArgoCdSandbox> {
  const startedAt = new Date();
  const host = options.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(
      `The Argo CD sandbox only listens on loopback, not on ${host}`,
    );
  }
  const ownsDataDir = !options.dataDir;
  const dataDir =
    options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kupe-argocd-sandbox-')));

  // The handler is bound after listen, when the URL (and so the repository URLs) is known.
  let handle: (request: Request) => Promise<Response> = async () =>
    new Response('starting', { status: 503 });
  let origin = '';
  // Set with the repositories and their GitHub below; git and raw files are served from then on.
  const served: {
    repositories?: SandboxRepositories;
    github?: GitHubFake;
    helm?: SandboxHelmRepository;
  } = {};
  const gitHost = await GitSmartHttp.create({
    root: join(dataDir, 'repos'),
    // The same per-tenant access as the GitHub API: 401 without credentials, 404 outside.
    access: request =>
      served.github ? gitHubGitAccess(served.github)(request) : 'not-found',
    // Branch protection on `git push`, as GitHub's pre-receive applies it.
    preReceive: async push => served.github?.checkPush(push),
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const failed = () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    };
    if (url.pathname.startsWith('/raw/')) {
      if (!served.repositories || !served.github) {
        res.writeHead(503).end();
        return;
      }
      serveRawFile(
        req,
        res,
        served.repositories,
        served.github,
        url.pathname.slice('/raw'.length),
      ).catch(failed);
      return;
    }
    if (url.pathname.startsWith('/helm/')) {
      if (!served.helm || !served.github) res.writeHead(503).end();
      else
        served.helm.serve(
          req,
          res,
          served.github,
          url.pathname.slice('/helm'.length),
        );
      return;
    }
    const gitPath = gitPathInfo(url.pathname);
    if (gitHost.handles(gitPath)) {
      let pathInfo: string;
      try {
        pathInfo = decodeURIComponent(gitPath);
      } catch {
        res.writeHead(400).end();
        return;
      }
      gitHost
        .handle(req, res, {
          origin,
          pathInfo,
          queryString: url.search.replace(/^\?/, ''),
        })
        .catch(failed);
      return;
    }
    serveFetchHandler(req, res, origin, handle).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  let port: number;
  try {
    port = await listen(server, options.port ?? 7008, host);
  } catch (e) {
    await gitHost.close();
    throw e;
  }
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const repositories = new SandboxRepositories(dataDir, origin);
  const github = createSandboxGitHub({
    repositoriesRoot: repositories.root,
    webUrl: origin,
    tenants: SANDBOX_TENANTS,
  });
  const helm = new SandboxHelmRepository(origin, new HelmChartCatalog());
  served.repositories = repositories;
  served.github = github;
  served.helm = helm;

  let fake: ArgoCdFake;
  let controller: GitController | undefined;
  let applicationSets: ApplicationSetController | undefined;
  try {
    if (options.scale) {
      fake = new ArgoCdFake({
        controller: new SimpleController({ stepMs: 500 }),
        latencyMs: options.latencyMs,
      });
      seedScale(fake, options.scale);
    } else {
      controller = new GitController({
        resolveRepository: url => repositories.resolve(url),
        helmRepository: helm,
        reconcileIntervalMs: options.reconcileIntervalMs,
        operationMs: options.operationMs,
        progressMs: options.progressMs,
      });
      fake = new ArgoCdFake({
        controller,
        latencyMs: options.latencyMs,
        // Argo CD's controller rewrites every app's status each resync (120 s + jitter).
        reconcile: {
          intervalMs: DEFAULT_RECONCILE_INTERVAL_MS,
          jitterMs: DEFAULT_RECONCILE_JITTER_MS,
        },
      });
      const gitController = controller;
      applicationSets = new ApplicationSetController({
        fake,
        resolveRepository: url => repositories.resolve(url),
        liveObjects: key => gitController.liveObjects(key),
        intervalMs: options.reconcileIntervalMs,
      });
      if (options.seed !== false) {
        await seedSandbox(fake, controller, repositories, helm, {
          now: startedAt,
        });
        await seedApplicationSets(fake, controller, repositories);
        await applicationSets.reconcileAll();
      }
      controller.start();
      applicationSets.start();
    }
  } catch (e) {
    server.close();
    await gitHost.close();
    throw e;
  }
  for (const tenant of SANDBOX_TENANTS) {
    // Production paths (CODEOWNERS) need an approval by the tenant's team, and every pull
    // request the portal's four-eyes status (only the portal's own statuses count): its
    // requester's approval is not enough for production.
    github.protectBranch(`${tenant}/gitops`, 'main', {
      requireCodeOwnerReviews: true,
      requiredStatusChecks: [
        { context: 'kupe/four-eyes', source: SANDBOX_GITHUB_SERVICE_LOGIN },
      ],
    });
  }
  handle = async request => {
    const path = new URL(request.url).pathname;
    if (path === '/api/v3' || path.startsWith('/api/v3/')) {
      return github.handle(request);
    }
    return (
      (await handlePullRequestPage(request, github, origin)) ??
      fake.handle(request)
    );
  };

  let tenants: string[] = [...SANDBOX_TENANTS];
  if (options.scale) {
    // Tenant projects only: Argo CD's built-in `default` project belongs to no tenant.
    tenants = fake
      .listProjects()
      .map(p => p.metadata.name!)
      .filter(name => name.startsWith('tenant-'))
      .map(name => name.slice('tenant-'.length));
  } else if (options.seed === false) {
    tenants = [];
  }
  const projectTokens = Object.fromEntries(
    tenants.map(t => [t, fake.issueToken(`proj:tenant-${t}:backstage`)]),
  );

  return {
    url: origin,
    fake,
    controller,
    applicationSets,
    repositories,
    helm,
    github,
    gitHubApiUrl: github.apiBaseUrl,
    gitHubToken: SANDBOX_GITHUB_TOKEN,
    dataDir,
    projectTokens,
    adminToken: SANDBOX_ADMIN_TOKEN,
    async stop() {
      applicationSets?.stop();
      fake.close();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      await gitHost.close();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
