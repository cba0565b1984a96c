import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import {
  DefaultArgoCdService,
  TenantResolver,
  type TenantEntity,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  SimpleController,
  TEST_IDENTITY_ORIGIN,
  argoCdMswHandlers,
  buildCluster,
  buildGroup,
  buildTenantProject,
  projectRoleSubject,
} from '@kupe/plugin-gitops-node-test-utils';
import type { SetupServer } from 'msw/node';

export const ARGOCD_URL = 'http://argocd.test';

/** Users and the groups (tenants) they belong to. */
export const USERS = {
  alice: 'user:default/alice', // acme
  bob: 'user:default/bob', // globex
  root: 'user:default/root', // platform admin
  nobody: 'user:default/nobody', // no tenant
} as const;

const GROUPS: Record<string, string[]> = {
  [USERS.alice]: ['group:default/team-acme'],
  [USERS.bob]: ['group:default/team-globex'],
  [USERS.root]: ['group:default/platform'],
  [USERS.nobody]: [],
};

/** The groups, from the trusted identity origin (the platform group has no tenant). */
const GROUP_ENTITIES = new Map<string, TenantEntity>([
  ['group:default/team-acme', buildGroup('team-acme', { tenant: 'acme' })],
  [
    'group:default/team-globex',
    buildGroup('team-globex', { tenant: 'globex' }),
  ],
  ['group:default/platform', buildGroup('platform')],
]);

export function tenantResolver(): TenantResolver {
  return new TenantResolver({
    naming: new TenantNaming(),
    adminGroups: ['group:default/platform'],
    trustedOrigins: [TEST_IDENTITY_ORIGIN],
    catalog: {
      async getEntitiesByRefs({ entityRefs }) {
        return { items: entityRefs.map(ref => GROUP_ENTITIES.get(ref)) };
      },
    },
    userInfo: {
      async getUserInfo(credentials: BackstageCredentials) {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
        };
      },
    },
    auth: { getOwnServiceCredentials: async () => mockCredentials.service() },
  });
}

/**
 * Argo CD with tenants acme and globex (projects, clusters dev/staging/production), served by
 * msw at {@link ARGOCD_URL}. `sourceRepos` lets tests allow their local bare repositories.
 */
export function argoCdWorld(
  server: SetupServer,
  options: {
    sourceRepos?: (tenant: string) => string[];
    /**
     * Give the instance each tenant's project-role token as well, as the sandbox and a
     * hardened production do: tenant calls then see only their own project.
     */
    projectTokens?: boolean;
  } = {},
) {
  const controller = new SimpleController({ stepMs: 5 });
  const fake = new ArgoCdFake({ controller });
  for (const tenant of ['acme', 'globex']) {
    fake.putProject(
      buildTenantProject({
        tenant,
        sourceRepos: [
          `https://git.example.com/${tenant}/*`,
          ...(options.sourceRepos?.(tenant) ?? []),
        ],
      }),
    );
    for (const environment of ['dev', 'staging', 'production']) {
      fake.putCluster(buildCluster({ tenant, environment }));
    }
  }
  server.use(...argoCdMswHandlers(fake, ARGOCD_URL));
  const argoCd = new DefaultArgoCdService([
    {
      name: 'main',
      url: ARGOCD_URL,
      uiUrl: 'https://argocd.example.com',
      token: ArgoCdFake.adminToken,
      projectTokens: options.projectTokens
        ? Object.fromEntries(
            ['acme', 'globex'].map(tenant => [
              tenant,
              fake.issueToken(
                projectRoleSubject(`tenant-${tenant}`, 'backstage'),
              ),
            ]),
          )
        : undefined,
    },
  ]);
  return { fake, controller, argoCd };
}

export function noIntegrations() {
  return ScmIntegrations.fromConfig(new ConfigReader({}));
}

/** A scaffolder context acting for `user`, collecting outputs in a plain object. */
export function actionContext<TInput extends Record<string, any>>(
  input: TInput,
  options: {
    user?: string;
    isDryRun?: boolean;
    tmp?: string;
    /** The task's checkpoint state, shared by the attempts of one task (see {@link Checkpoints}). */
    checkpoints?: Checkpoints;
  } = {},
) {
  const outputs: Record<string, any> = {};
  const user = options.user ?? USERS.alice;
  // The mock keeps only input, user and a few more of its options; the rest is set here.
  const ctx = {
    ...createMockActionContext<TInput>({ input, user: { ref: user } }),
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () => mockCredentials.user(user),
    createTemporaryDirectory: async () =>
      mkdtempSync(join(options.tmp ?? tmpdir(), 'ctx-')),
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    ...(options.checkpoints
      ? { checkpoint: options.checkpoints.checkpoint }
      : {}),
  };
  return { ctx, outputs };
}

/**
 * A task's checkpoints as the scaffolder's workflow runner keeps them across a retry of the
 * task: a successful `fn`'s value is stored and returned without calling `fn` again; a
 * failed one stores nothing, so the retry runs it again. `before` runs just before a `fn`
 * (not for a stored one), to make something happen between a step's checks and its writes.
 */
export class Checkpoints {
  readonly values = new Map<string, unknown>();
  before?: (key: string) => void | Promise<void>;

  checkpoint = async <T>(opts: { key: string; fn: () => Promise<T> | T }) => {
    if (this.values.has(opts.key)) return this.values.get(opts.key) as T;
    await this.before?.(opts.key);
    const value = await opts.fn();
    this.values.set(opts.key, value ?? {});
    return value;
  };
}

/** A directory that is removed by {@link TempDir.cleanup}. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'kupe-scaffolder-'));
  cleanup() {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
}

/** A bare repository, the remote of the tests. */
export function bareRepository(root: string, name: string): string {
  const path = join(root, `${name}.git`);
  git(['init', '--quiet', '--bare', '--initial-branch=main', path]);
  return path;
}

/** Every commit on a branch of a bare repository, newest first. */
export function commitsOf(bare: string, branch = 'main'): string[] {
  try {
    return git(['rev-list', branch], bare).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export function fileAt(bare: string, path: string, branch = 'main'): string {
  return git(['show', `${branch}:${path}`], bare);
}
