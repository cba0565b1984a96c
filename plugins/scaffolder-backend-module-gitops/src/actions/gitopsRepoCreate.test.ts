import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import {
  Checkpoints,
  TempDir,
  USERS,
  actionContext,
  argoCdWorld,
  bareRepository,
  commitsOf,
  fileAt,
  git,
  noIntegrations,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { TARGETS, targetWorld } from '../__testUtils__/targetWorld';
import { createGitOpsRepoCreateAction } from './gitopsRepoCreate';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// real git (clones, commits, pushes): several seconds per test on a busy machine
jest.setTimeout(30_000);

describe('kupe:gitops-repo:create', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = new TempDir();
  });
  afterEach(() => tmp.cleanup());

  function setup() {
    const world = argoCdWorld(server, {
      sourceRepos: tenant => [`file://${tmp.path}/${tenant}-*`],
    });
    const action = createGitOpsRepoCreateAction({
      integrations: noIntegrations(),
      argoCd: world.argoCd,
      tenants: tenantResolver(),
      allowFileRemotes: true,
    });
    return { ...world, action };
  }

  function input(overrides: Record<string, unknown> = {}) {
    return {
      repoUrl: `file://${tmp.path}/acme-gitops.git`,
      tenant: 'acme',
      name: 'web',
      owner: 'group:default/team-acme',
      manifestType: 'kustomize' as const,
      image: 'registry.example.com/acme/web',
      port: 8080,
      environments: [
        { name: 'dev', imageTag: '1.1.0', replicas: 1 },
        { name: 'production', imageTag: '1.0.0', replicas: 3 },
      ],
      targetBranch: 'main',
      directPush: false,
      ...overrides,
    };
  }

  it('lays a Kustomize service out in a new (empty) repository and pushes main', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    const { ctx, outputs } = actionContext(input(), { tmp: tmp.path });

    await action.handler(ctx as any);

    const [head, ...older] = commitsOf(bare);
    expect(older).toHaveLength(0);
    expect(outputs).toEqual({
      repoUrl: `file://${tmp.path}/acme-gitops.git`,
      commitSha: head,
      changed: true,
      paths: {
        dev: 'apps/web/overlays/dev',
        production: 'apps/web/overlays/production',
      },
    });
    const overlay = parse(
      fileAt(bare, 'apps/web/overlays/production/kustomization.yaml'),
    );
    expect(overlay.resources).toEqual(['../../base']);
    expect(overlay.images).toEqual([
      { name: 'registry.example.com/acme/web', newTag: '1.0.0' },
    ]);
    expect(overlay.replicas).toEqual([{ name: 'web', count: 3 }]);
    expect(
      parse(fileAt(bare, 'apps/web/base/kustomization.yaml')).resources,
    ).toEqual(['deployment.yaml', 'service.yaml']);
    expect(fileAt(bare, 'CODEOWNERS')).toContain('/apps/web/ @team-acme');
    expect(fileAt(bare, 'README.md')).toContain('tenant acme');
    expect(parse(fileAt(bare, 'kupe-gitops.yaml')).tenant).toBe('acme');
    expect(git(['log', '-1', '--format=%B', 'main'], bare)).toContain(
      `Requested-by: ${USERS.alice}`,
    );
  });

  it('is idempotent: the same inputs again make no new commit and give the same outputs', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    const first = actionContext(input(), { tmp: tmp.path });
    await action.handler(first.ctx as any);
    const second = actionContext(input({ directPush: true }), {
      tmp: tmp.path,
    });
    await action.handler(second.ctx as any);

    expect(commitsOf(bare)).toHaveLength(1);
    expect(second.outputs).toEqual({ ...first.outputs, changed: false });
  });

  it('adds a second service to an existing repository by direct push, keeping other owners', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    const { ctx, outputs } = actionContext(
      input({
        name: 'api',
        manifestType: 'helm',
        owner: 'group:default/team-api',
        environments: [{ name: 'dev', imageTag: '2.0.0', replicas: 2 }],
        directPush: true,
      }),
      { tmp: tmp.path },
    );
    await action.handler(ctx as any);

    expect(commitsOf(bare)).toHaveLength(2);
    expect(outputs.paths).toEqual({ dev: 'apps/api/chart' });
    expect(outputs.valueFiles).toEqual({ dev: ['values-dev.yaml'] });
    expect(parse(fileAt(bare, 'apps/api/chart/values-dev.yaml'))).toEqual({
      replicaCount: 2,
      image: { tag: '2.0.0' },
    });
    expect(fileAt(bare, 'apps/api/chart/templates/deployment.yaml')).toContain(
      'replicas: {{ .Values.replicaCount }}',
    );
    const owners = fileAt(bare, 'CODEOWNERS');
    expect(owners).toContain('/apps/web/ @team-acme');
    expect(owners).toContain('/apps/api/ @team-api');
  });

  it('lays out plain YAML per environment directory', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    const { ctx, outputs } = actionContext(input({ manifestType: 'plain' }), {
      tmp: tmp.path,
    });
    await action.handler(ctx as any);
    expect(outputs.paths).toEqual({
      dev: 'apps/web/dev',
      production: 'apps/web/production',
    });
    const deployment = parse(
      fileAt(bare, 'apps/web/production/deployment.yaml'),
    );
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      'registry.example.com/acme/web:1.0.0',
    );
  });

  it('refuses to push into an existing branch without directPush when the host has no pull requests', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    await action.handler(actionContext(input(), { tmp: tmp.path }).ctx as any);
    const { ctx } = actionContext(input({ name: 'api' }), { tmp: tmp.path });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /cannot open pull requests; set directPush: true/,
    );
    expect(commitsOf(bare)).toHaveLength(1);
  });

  it('refuses a user of acme scaffolding into globex, before touching the repository', async () => {
    const { action, fake } = setup();
    const bare = bareRepository(tmp.path, 'globex-gitops');
    fake.clearRequests();
    const { ctx } = actionContext(
      input({ tenant: 'globex', repoUrl: `file://${bare}` }),
      { user: USERS.alice, tmp: tmp.path },
    );
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('not a member of tenant "globex"'),
    });
    expect(commitsOf(bare)).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it("refuses another tenant's repository even for a member of the requested tenant", async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'globex-gitops');
    const { ctx } = actionContext(input({ repoUrl: `file://${bare}` }), {
      tmp: tmp.path,
    });
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('does not allow it in sourceRepos'),
    });
    expect(commitsOf(bare)).toEqual([]);
  });

  it('refuses to adopt a repository whose marker names another tenant', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-shared');
    const seed = `${tmp.path}/seed`;
    git(['clone', '--quiet', bare, seed]);
    require('node:fs').writeFileSync(
      `${seed}/kupe-gitops.yaml`,
      'tenant: globex\n',
    );
    git(['add', '.'], seed);
    git(['commit', '--quiet', '-m', 'seed'], seed);
    git(['push', '--quiet', 'origin', 'HEAD:main'], seed);

    const { ctx } = actionContext(
      input({ repoUrl: `file://${bare}`, directPush: true }),
      { tmp: tmp.path },
    );
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /belongs to tenant "globex"/,
    );
    expect(commitsOf(bare)).toHaveLength(1);
  });

  it('fails clearly when the repository does not exist and pushing cannot create it', async () => {
    const { action } = setup();
    const { ctx } = actionContext(
      input({ repoUrl: `file://${tmp.path}/acme-missing/sub.git` }),
      { tmp: tmp.path },
    );
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /does not exist and its host did not create it on push/,
    );
  });

  it('writes the catalog entity next to the manifests when given one; no read URL for a file remote', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'web',
        annotations: {
          'kupe.cloud/tenant': 'acme',
          'argocd/app-selector': 'backstage.io/kubernetes-id=web',
        },
      },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'team-acme' },
    };
    const { ctx, outputs } = actionContext(input({ catalogInfo: entity }), {
      tmp: tmp.path,
    });
    await action.handler(ctx as any);

    expect(outputs.catalogInfoPath).toBe('apps/web/catalog-info.yaml');
    expect(parse(fileAt(bare, 'apps/web/catalog-info.yaml'))).toEqual(entity);
    expect(outputs.catalogInfoUrl).toBeUndefined();
  });

  it('writes nothing in dry-run but returns the would-be paths', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    const { ctx, outputs } = actionContext(input(), {
      tmp: tmp.path,
      isDryRun: true,
    });
    await action.handler(ctx as any);
    expect(commitsOf(bare)).toEqual([]);
    expect(outputs).toMatchObject({
      changed: false,
      paths: { dev: 'apps/web/overlays/dev' },
    });
    expect(outputs.commitSha).toBeUndefined();
  });

  it('refuses the name of an existing Helm service with another image, naming what exists; nothing is committed', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    const helm = { manifestType: 'helm', directPush: true };
    await action.handler(
      actionContext(input(helm), { tmp: tmp.path }).ctx as any,
    );
    const before = commitsOf(bare);
    const { ctx } = actionContext(
      input({ ...helm, image: 'registry.example.com/acme/other' }),
      { tmp: tmp.path },
    );
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'ConflictError',
      message: `Service web already exists in file://${
        tmp.path
      }/acme-gitops.git (apps/web/ on main, commit ${before[0].slice(
        0,
        12,
      )}; owned by group:default/team-acme; CODEOWNERS "/apps/web/ @team-acme"; deploying registry.example.com/acme/web:latest), and this run asks for something else: 1 of its files differ (apps/web/chart/values.yaml). Nothing was written. Choose another name, or change web through a pull request to its files`,
    });
    expect(commitsOf(bare)).toEqual(before);
    expect(fileAt(bare, 'apps/web/chart/values.yaml')).toContain(
      'repository: registry.example.com/acme/web',
    );
  });

  it('an identical re-run after other services were added reports the commit that laid the service out, writing nothing', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    const first = actionContext(input({ manifestType: 'plain' }), {
      tmp: tmp.path,
    });
    await action.handler(first.ctx as any);
    await action.handler(
      actionContext(input({ name: 'api', directPush: true }), { tmp: tmp.path })
        .ctx as any,
    );
    // The root README removed by hand: an identical re-run does not put it back.
    const seed = `${tmp.path}/seed`;
    git(['clone', '--quiet', bare, seed]);
    git(['rm', '--quiet', 'README.md'], seed);
    git(['commit', '--quiet', '-m', 'No README'], seed);
    git(['push', '--quiet', 'origin', 'HEAD:main'], seed);
    const before = commitsOf(bare);

    const again = actionContext(
      input({ manifestType: 'plain', directPush: true }),
      { tmp: tmp.path },
    );
    await action.handler(again.ctx as any);
    expect(again.outputs).toEqual({ ...first.outputs, changed: false });
    expect(commitsOf(bare)).toEqual(before);
  });

  it('a push that loses a race with another commit writes nothing and says so; a retry of the task completes', async () => {
    const { action } = setup();
    const bare = bareRepository(tmp.path, 'acme-gitops');
    await action.handler(
      actionContext(input({ name: 'api' }), { tmp: tmp.path }).ctx as any,
    );
    const checkpoints = new Checkpoints();
    let raced = false;
    checkpoints.before = () => {
      if (raced) return;
      raced = true;
      const seed = `${tmp.path}/other-run`;
      git(['clone', '--quiet', bare, seed]);
      require('node:fs').writeFileSync(`${seed}/NOTES.md`, 'other\n');
      git(['add', '.'], seed);
      git(['commit', '--quiet', '-m', 'Another run'], seed);
      git(['push', '--quiet', 'origin', 'HEAD:main'], seed);
    };
    const web = input({ directPush: true });
    await expect(
      action.handler(
        actionContext(web, { tmp: tmp.path, checkpoints }).ctx as any,
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /^Pushing web to file:.* \(main\) failed: git push failed: .*\[rejected\].*\. Nothing was written\. Running the template again checks main anew and completes$/s,
      ),
    });
    const [other] = commitsOf(bare);
    const retry = actionContext(web, { tmp: tmp.path, checkpoints });
    await action.handler(retry.ctx as any);
    expect(commitsOf(bare)[1]).toBe(other);
    expect(retry.outputs.commitSha).toBe(commitsOf(bare)[0]);
  });

  it('rejects invalid names and URLs with credentials before any remote call', async () => {
    const { action, fake } = setup();
    fake.clearRequests();
    for (const bad of [
      { name: 'Web_App' },
      { tenant: 'ACME' },
      {
        environments: [
          { name: 'dev', imageTag: 'x', replicas: 1 },
          { name: 'dev', imageTag: 'y', replicas: 1 },
        ],
      },
      { repoUrl: 'https://user:secret@git.example.com/acme/gitops.git' },
    ]) {
      const { ctx } = actionContext(input(bad), { tmp: tmp.path });
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'InputError',
      });
    }
    expect(fake.requests).toEqual([]);
  });
});

describe.each(TARGETS)(
  'kupe:gitops-repo:create pre-flight (applicationTarget: %s)',
  targetName => {
    let tmp: TempDir;
    beforeEach(() => {
      tmp = new TempDir();
    });
    afterEach(() => tmp.cleanup());

    function setup(options: { projectTokens?: boolean } = {}) {
      const world = targetWorld(server, targetName, {
        sourceRepos: tenant => [`file://${tmp.path}/${tenant}-*`],
        projectTokens: options.projectTokens,
      });
      const action = createGitOpsRepoCreateAction({
        integrations: noIntegrations(),
        argoCd: world.argoCd,
        tenants: tenantResolver(),
        target: world.target,
        allowFileRemotes: true,
      });
      return { world, action };
    }

    function input(overrides: Record<string, unknown> = {}) {
      return {
        repoUrl: `file://${tmp.path}/acme-gitops.git`,
        tenant: 'acme',
        name: 'web',
        owner: 'group:default/team-acme',
        image: 'registry.example.com/acme/web',
        environments: [{ name: 'dev' }],
        ...overrides,
      };
    }

    it("reads the tenant's AppProject through the target, then pushes", async () => {
      const { world, action } = setup();
      const bare = bareRepository(tmp.path, 'acme-gitops');
      const { ctx, outputs } = actionContext(input(), { tmp: tmp.path });
      await action.handler(ctx as any);
      expect(outputs.commitSha).toBe(commitsOf(bare)[0]);
      expect(world.argoCdRequests().length === 0).toBe(
        targetName === 'kubernetes',
      );
    });

    it.each([
      [
        'a user outside the tenant',
        { tenant: 'globex', repoUrl: 'file:///nonexistent/globex-gitops.git' },
        USERS.alice,
        { name: 'NotAllowedError', message: /not a member of tenant "globex"/ },
      ],
      [
        'a tenant without a project',
        { tenant: 'initech' },
        USERS.root,
        { name: 'InputError', message: /no Argo CD project "tenant-initech"/ },
      ],
      [
        "a repository the project's sourceRepos do not allow",
        { repoUrl: 'file:///nonexistent/globex-gitops.git' },
        USERS.alice,
        {
          name: 'NotAllowedError',
          message: /does not allow it in sourceRepos/,
        },
      ],
      [
        'an invalid service name',
        { name: 'Web_App' },
        USERS.alice,
        { name: 'InputError', message: /Invalid name/ },
      ],
      [
        'an invalid environment name',
        { environments: [{ name: 'prod uction' }] },
        USERS.alice,
        { name: 'InputError', message: /Invalid environment name/ },
      ],
    ])('refuses %s, writing nothing', async (_what, overrides, user, error) => {
      const { world, action } = setup();
      const bare = bareRepository(tmp.path, 'acme-gitops');
      const { ctx } = actionContext(input(overrides), { user, tmp: tmp.path });
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: error.name,
        message: expect.stringMatching(error.message),
      });
      expect(commitsOf(bare)).toEqual([]);
      expect(world.writes()).toEqual([]);
    });

    it.each([
      [
        "a cluster that is not the tenant's",
        { environments: [{ name: 'dev', cluster: 'mars' }] },
        'InputError',
        'Cluster "mars" (environment dev) is not one of tenant acme\'s clusters; choose one of: dev, staging, production. Nothing was written.',
      ],
      [
        'a sync policy that does not exist',
        {
          environments: [{ name: 'dev', cluster: 'dev', syncPolicy: 'often' }],
        },
        'InputError',
        'Sync policy "often" (environment dev) is not one of: manual, auto, auto-prune, auto-self-heal, auto-prune-self-heal. Nothing was written.',
      ],
      [
        'an environment without a cluster next to one with',
        {
          environments: [
            { name: 'dev', cluster: 'dev' },
            { name: 'production' },
          ],
        },
        'InputError',
        'Environments production have no cluster; give every environment its cluster, or none. Nothing was written.',
      ],
    ])(
      'checks the Applications the next step will create before writing: refuses %s',
      async (_what, overrides, name, message) => {
        const { world, action } = setup();
        const bare = bareRepository(tmp.path, 'acme-gitops');
        for (const isDryRun of [true, false]) {
          const { ctx } = actionContext(input(overrides), {
            tmp: tmp.path,
            isDryRun,
          });
          await expect(action.handler(ctx as any)).rejects.toMatchObject({
            name,
            message,
          });
        }
        expect(commitsOf(bare)).toEqual([]);
        expect(world.writes()).toEqual([]);
      },
    );

    it("refuses before writing when another tenant's Application has the name", async () => {
      const { world, action } = setup();
      const bare = bareRepository(tmp.path, 'acme-gitops');
      world.putApplication(
        buildApplication({
          name: 'web-dev',
          tenant: 'globex',
          component: 'web',
        }),
      );
      world.clearRequests();
      const { ctx } = actionContext(
        input({ environments: [{ name: 'dev', cluster: 'dev' }] }),
        { tmp: tmp.path },
      );
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "Application web-dev (environment dev) already exists in another tenant's project; Argo CD Application names are unique across tenants. Nothing was written. Choose another name",
      });
      expect(commitsOf(bare)).toEqual([]);
      expect(world.writes()).toEqual([]);
    });

    it("refuses before writing when another tenant's Application has the name, also under project-scoped tokens", async () => {
      // A project token cannot see another project's Application (Argo CD answers 403), so
      // the check asks with the instance's own credentials, which the index lists with.
      const { world, action } = setup({ projectTokens: true });
      const bare = bareRepository(tmp.path, 'acme-gitops');
      world.putApplication(
        buildApplication({
          name: 'web-dev',
          tenant: 'globex',
          component: 'web',
        }),
      );
      world.clearRequests();
      const { ctx } = actionContext(
        input({ environments: [{ name: 'dev', cluster: 'dev' }] }),
        { tmp: tmp.path },
      );
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          "Application web-dev (environment dev) already exists in another tenant's project",
        ),
      });
      expect(commitsOf(bare)).toEqual([]);
      expect(world.writes()).toEqual([]);
    });

    it('refuses before writing when an Application of the name exists with another spec, describing it', async () => {
      const { world, action } = setup();
      const bare = bareRepository(tmp.path, 'acme-gitops');
      world.putApplication(
        buildApplication({ name: 'web-dev', tenant: 'acme', component: 'web' }),
      );
      world.clearRequests();
      const { ctx } = actionContext(
        input({ environments: [{ name: 'dev', cluster: 'dev' }] }),
        { tmp: tmp.path },
      );
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /^Application web-dev already exists in project tenant-acme \(component web, environment dev, cluster dev, .*\) and differs from what this run would create\. Nothing was written\./,
        ),
      });
      expect(commitsOf(bare)).toEqual([]);
      expect(world.writes()).toEqual([]);
    });

    it('writes nothing in dry-run', async () => {
      const { world, action } = setup();
      const bare = bareRepository(tmp.path, 'acme-gitops');
      const { ctx, outputs } = actionContext(input(), {
        tmp: tmp.path,
        isDryRun: true,
      });
      await action.handler(ctx as any);
      expect(outputs.paths).toEqual({ dev: 'apps/web/overlays/dev' });
      expect(commitsOf(bare)).toEqual([]);
      expect(world.writes()).toEqual([]);
    });
  },
);
