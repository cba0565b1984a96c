import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitHubHost } from '@kupe/plugin-gitops-node';
import {
  GitHttpServer,
  LocalGitHub,
  gitHubMswHandlers,
} from '@kupe/plugin-gitops-node-test-utils';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { CatalogDouble } from '../__testUtils__/catalogDouble';
import {
  loadTemplate,
  runTemplate,
  type TemplateRun,
} from '../__testUtils__/templateRunner';
import {
  Checkpoints,
  TempDir,
  argoCdWorld,
  bareRepository,
  commitsOf,
  fileAt,
  git,
  noIntegrations,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createArgoCdApplicationCreateAction } from '../actions/argocdApplicationCreate';
import { createArgoCdApplicationWaitAction } from '../actions/argocdApplicationWait';
import { createCatalogRegisterAction } from '../actions/catalogRegister';
import { createGitOpsRepoCreateAction } from '../actions/gitopsRepoCreate';

const TEMPLATE = resolve(
  __dirname,
  '../../../../packages/app/templates/new-service/template.yaml',
);

const BOT = 'kupe-scaffolder';
const GITHUB_TOKEN = 'ghs_kupeTemplateTestToken0123456789';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// real git over smart HTTP, several template runs per test on a busy machine
jest.setTimeout(60_000);

/** The Git hosts the template publishes to, both by direct push to main. */
const GIT_TARGETS = ['plain git over HTTP', 'GitHub double'] as const;
type GitTarget = (typeof GIT_TARGETS)[number];

// A stack frame or a source path; ANSI escapes are checked by their ESC character.
const STACK = /\n\s+at |\.ts:\d+/;

describe.each(GIT_TARGETS)(
  'New service (GitOps) template, steps as the scaffolder runs them (%s)',
  gitTarget => {
    let tmp: TempDir;
    let stop: (() => Promise<void>) | undefined;
    beforeEach(() => {
      tmp = new TempDir();
    });
    afterEach(async () => {
      await stop?.();
      stop = undefined;
      tmp.cleanup();
    });

    async function setup() {
      let bare = join(tmp.path, 'acme/gitops.git');
      let origin: string;
      let integrations = noIntegrations();
      let github: GitHubHost | undefined;
      if ((gitTarget as GitTarget) === 'GitHub double') {
        const host = await LocalGitHub.start({
          repositoriesRoot: tmp.path,
          users: [{ login: BOT, type: 'Bot', tokens: [GITHUB_TOKEN] }],
          organizations: [{ login: 'acme', members: [BOT] }],
        });
        stop = () => host.stop();
        origin = host.origin;
        await host.fake.createRepository(BOT, 'acme', {
          name: 'gitops',
          private: true,
        });
        server.use(...gitHubMswHandlers(host.fake));
        integrations = ScmIntegrations.fromConfig(
          new ConfigReader({
            integrations: { github: [host.integration(GITHUB_TOKEN)] },
          }),
        );
        github = new GitHubHost(integrations);
      } else {
        bare = bareRepository(tmp.path, 'acme/gitops');
        const host = await GitHttpServer.start({ root: tmp.path });
        stop = () => host.stop();
        origin = host.origin;
      }
      const repoUrl = `${origin}/acme/gitops.git`;
      const world = argoCdWorld(server, {
        sourceRepos: tenant => [`${origin}/${tenant}/*`],
      });

      // What the catalog's URL reader sees: a file on a branch of the bare repository, by
      // the GitHub blob URL or (plain git has no file URLs) the template's own override.
      const readable = { failNext: 0 };
      const catalog = new CatalogDouble({
        read: async url => {
          if (readable.failNext > 0) {
            readable.failNext--;
            return undefined;
          }
          const m = /\/(?:blob\/)?main\/(apps\/.+)$/.exec(url);
          if (!m) return undefined;
          try {
            return fileAt(bare, m[1]);
          } catch {
            return undefined;
          }
        },
      });
      for (const [name, tenant] of [
        ['team-acme', 'acme'],
        ['acme-ops', 'acme'],
        ['team-globex', 'globex'],
      ]) {
        catalog.addEntity({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: {
            name,
            namespace: 'default',
            annotations: { 'kupe.cloud/tenant': tenant },
          },
          spec: { type: 'team' },
        });
      }
      const tenants = tenantResolver();
      const actions = [
        createGitOpsRepoCreateAction({
          integrations,
          argoCd: world.argoCd,
          tenants,
          github,
          catalog,
          auth: {
            getOwnServiceCredentials: async () => mockCredentials.service(),
          },
        }),
        createArgoCdApplicationCreateAction({ argoCd: world.argoCd, tenants }),
        createArgoCdApplicationWaitAction({
          argoCd: world.argoCd,
          tenants,
          pollIntervalMs: 20,
        }),
        createCatalogRegisterAction({ catalog }),
      ];
      const template = loadTemplate(TEMPLATE);

      function parameters(overrides: Record<string, unknown> = {}) {
        const name = (overrides.name as string) ?? 'web';
        return {
          name,
          description: `The ${name} service`,
          owner: 'group:default/team-acme',
          tenant: 'acme',
          repoUrl,
          image: `registry.example.com/acme/${name}`,
          port: 8080,
          manifestType: 'kustomize',
          environments: [
            {
              name: 'dev',
              cluster: 'dev',
              syncPolicy: 'auto-prune-self-heal',
              imageTag: '1.0.0',
            },
            {
              name: 'production',
              cluster: 'production',
              syncPolicy: 'manual',
              imageTag: '1.0.0',
            },
          ],
          directPush: true,
          // Plain git has no file URLs the catalog could read: the template's override.
          ...(github
            ? {}
            : {
                catalogInfoUrl: `https://files.example.com/acme/gitops/main/apps/${name}/catalog-info.yaml`,
              }),
          ...overrides,
        };
      }

      const run = (
        overrides: Record<string, unknown> = {},
        options: { isDryRun?: boolean; checkpoints?: Checkpoints } = {},
      ) =>
        runTemplate(template, {
          parameters: parameters(overrides),
          actions,
          tmp: tmp.path,
          ...options,
        });

      /** Everything a run could change: commits, files, Applications, catalog. */
      function snapshot() {
        const commits = commitsOf(bare);
        return {
          commits,
          files: commits.length
            ? git(['ls-tree', '-r', 'main'], bare)
            : '(empty repository)',
          applications: world.fake.listApplications().map(a => ({
            name: a.metadata.name,
            resourceVersion: a.metadata.resourceVersion,
            spec: a.spec,
          })),
          locations: [...catalog.locations].sort(),
          web: catalog.entity('component:default/web'),
        };
      }

      return { bare, repoUrl, world, catalog, readable, run, snapshot, github };
    }

    function expectCompleted(run: TemplateRun) {
      if (run.error) throw run.error;
      expect(run.failedStep).toBeUndefined();
      expect(run.ran).toEqual(['repo', 'apps', 'register', 'wait']);
    }

    function expectPlainMessage(run: TemplateRun) {
      expect(run.error?.message).not.toMatch(STACK);
      expect(run.error?.message).not.toContain('\u001b');
      // The scaffolder writes String(error.stack) of a failed step into the task log.
      expect(String(run.error?.stack)).not.toMatch(STACK);
      expect(String(run.error?.stack)).not.toContain('\u001b');
    }

    it.each([
      ['a cluster that does not exist', 'mars'],
      ["globex's cluster under tenant acme", 'globex-dev'],
    ])(
      'case 1: %s is refused by the first step, in the real run exactly as in the dry run; the repository keeps its commits and files',
      async (_what, cluster) => {
        const w = await setup();
        expectCompleted(await w.run({ name: 'api' }));
        const before = w.snapshot();
        const environments = [
          { name: 'dev', cluster, syncPolicy: 'auto', imageTag: '1.0.0' },
        ];
        const message = `Cluster "${cluster}" (environment dev) is not one of tenant acme's clusters; choose one of: dev, staging, production. Nothing was written.`;

        const dry = await w.run({ environments }, { isDryRun: true });
        expect(dry.failedStep).toBe('repo');
        expect(dry.error).toMatchObject({ name: 'InputError', message });

        const real = await w.run({ environments });
        expect(real.failedStep).toBe('repo');
        expect(real.error).toMatchObject({ name: 'InputError', message });
        expect(real.error?.message).not.toContain(`acme-${cluster}`);
        expectPlainMessage(real);
        expect(w.snapshot()).toEqual(before);
      },
    );

    it('case 2: the same name with another image is refused before writing, saying what exists, where and who owns it; the service is untouched', async () => {
      const w = await setup();
      expectCompleted(await w.run());
      const before = w.snapshot();
      const [commit] = before.commits;

      const other = await w.run({ image: 'registry.example.com/acme/other' });
      expect(other.failedStep).toBe('repo');
      expect(other.error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          `Service web already exists in ${
            w.repoUrl
          } (apps/web/ on main, commit ${commit.slice(
            0,
            12,
          )}; owned by group:default/team-acme; CODEOWNERS "/apps/web/ @`,
        ),
      });
      expect(other.error?.message).toContain(
        'deploying registry.example.com/acme/web, registry.example.com/acme/web:1.0.0',
      );
      expect(other.error?.message).toContain(
        'Nothing was written. Choose another name',
      );
      expectPlainMessage(other);
      expect(w.snapshot()).toEqual(before);
      // dev (auto-sync) still deploys the original image.
      expect(
        parse(fileAt(w.bare, 'apps/web/overlays/dev/kustomization.yaml'))
          .images,
      ).toEqual([{ name: 'registry.example.com/acme/web', newTag: '1.0.0' }]);
    });

    it('case 2: the same name with another owner is refused; CODEOWNERS and the catalog owner stay', async () => {
      const w = await setup();
      expectCompleted(await w.run());
      const before = w.snapshot();
      const codeowners = fileAt(w.bare, 'CODEOWNERS');

      const other = await w.run({ owner: 'group:default/acme-ops' });
      expect(other.failedStep).toBe('repo');
      expect(other.error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /^Service web already exists in .*owned by group:default\/team-acme.*its CODEOWNERS line would become "\/apps\/web\/ @(acme\/)?acme-ops"\. Nothing was written\./,
        ),
      });
      expect(w.snapshot()).toEqual(before);
      expect(fileAt(w.bare, 'CODEOWNERS')).toBe(codeowners);
      expect(w.catalog.entity('component:default/web')?.spec?.owner).toBe(
        'group:default/team-acme',
      );
    });

    it('case 2: a service laid out by hand under the name is refused, naming its image and its owner from the catalog', async () => {
      const w = await setup();
      expectCompleted(await w.run({ name: 'api' }));
      const seed = join(tmp.path, 'by-hand');
      git(['clone', '--quiet', w.bare, seed]);
      const overlay = join(seed, 'apps/shop/overlays/dev');
      require('node:fs').mkdirSync(overlay, { recursive: true });
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        'kind: Kustomization\nresources: [../../base]\nimages:\n  - name: registry.example.com/acme/shop\n    newTag: 0.9.0\n',
      );
      git(['add', '.'], seed);
      git(['commit', '--quiet', '-m', 'shop by hand'], seed);
      git(['push', '--quiet', 'origin', 'HEAD:main'], seed);
      w.catalog.addEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'shop',
          namespace: 'default',
          annotations: {
            'kupe.cloud/tenant': 'acme',
            'backstage.io/managed-by-location':
              'url:https://git.example.com/acme/catalog/blob/main/shop.yaml',
          },
        },
        spec: { type: 'service', owner: 'acme-ops' },
      });
      const before = w.snapshot();
      const [commit] = before.commits;

      const shop = await w.run({ name: 'shop' });
      expect(shop.failedStep).toBe('repo');
      expect(shop.error).toMatchObject({
        name: 'ConflictError',
        message: `Service shop already exists in ${
          w.repoUrl
        } (apps/shop/ on main, commit ${commit.slice(
          0,
          12,
        )}; deploying registry.example.com/acme/shop:0.9.0), and this run asks for something else: 7 of its files differ (apps/shop/base/deployment.yaml, apps/shop/base/service.yaml, apps/shop/base/kustomization.yaml, apps/shop/overlays/dev/kustomization.yaml, apps/shop/overlays/production/kustomization.yaml, …) and its CODEOWNERS line would become "/apps/shop/ @${
          w.github ? 'acme/' : ''
        }team-acme". Nothing was written. Choose another name, or change shop through a pull request to its files. The catalog lists component:default/shop, owned by group:default/acme-ops.`,
      });
      expect(w.snapshot()).toEqual(before);
    });

    it('case 3: an identical re-run completes, reports what already existed and gives the same outputs and links', async () => {
      const w = await setup();
      const first = await w.run();
      expectCompleted(first);
      const before = w.snapshot();

      const again = await w.run();
      // On the old template this was register's "409 Conflict".
      expectCompleted(again);
      expect(first.steps.register.output).toMatchObject({
        entityRef: 'component:default/web',
        alreadyRegistered: false,
      });
      expect(again.output).toEqual(first.output);
      expect(again.steps.repo.output).toEqual({
        ...first.steps.repo.output,
        changed: false,
      });
      expect(again.steps.apps.output).toEqual(first.steps.apps.output);
      expect(again.steps.register.output).toEqual({
        ...first.steps.register.output,
        alreadyRegistered: true,
      });
      expect(w.snapshot()).toEqual(before);
      // No second registration was attempted: no 409 to fail on.
      expect(w.catalog.requests.filter(r => r.startsWith('create'))).toEqual([
        `create ${first.steps.register.output.catalogInfoUrl}`,
      ]);
    });

    it('an Applications step failing part-way removes its Applications; running the template again completes', async () => {
      const w = await setup();
      w.world.fake.clearRequests();
      let failures = 1;
      server.use(
        http.post(
          'http://argocd.test/api/v1/applications',
          async ({ request }) => {
            const body = (await request.clone().json()) as {
              metadata: { name: string };
            };
            if (body.metadata.name !== 'web-production' || failures-- <= 0) {
              return undefined;
            }
            return HttpResponse.json(
              {
                error: 'connection reset',
                code: 14,
                message: 'connection reset',
              },
              { status: 503 },
            );
          },
        ),
      );
      const failed = await w.run();
      expect(failed.failedStep).toBe('apps');
      expect(failed.error?.message).toMatch(
        /^Creating Application web-production \(environment production\) failed: .*\. Rolled back: deleted web-dev\. Running the template again creates them$/,
      );
      expectPlainMessage(failed);
      const afterFailure = w.snapshot();
      expect(afterFailure.commits).toHaveLength(1);
      expect(afterFailure.locations).toEqual([]);
      // Argo CD removes the deleted Application once its resources are gone.
      for (let i = 0; w.world.fake.getApplication('web-dev', 'argocd'); i++) {
        if (i > 300) throw new Error('web-dev was never deleted');
        await new Promise(r => setTimeout(r, 10));
      }
      expect(
        w.world.fake.getApplication('web-production', 'argocd'),
      ).toBeUndefined();

      const again = await w.run();
      expectCompleted(again);
      expect(again.steps.repo.output.changed).toBe(false);
      expect(commitsOf(w.bare)).toEqual(afterFailure.commits);
      expect(
        w.world.fake.getApplication('web-production', 'argocd'),
      ).toBeDefined();
      expect(w.catalog.entity('component:default/web')).toBeDefined();
    });

    it("a push that loses a race with another run's commit writes nothing; the scaffolder's retry of the task completes on top of it", async () => {
      const w = await setup();
      expectCompleted(await w.run({ name: 'api' }));
      const checkpoints = new Checkpoints();
      let raced = false;
      checkpoints.before = key => {
        if (raced || !key.startsWith('repo.kupe.gitops-repo.publish')) return;
        raced = true;
        const seed = join(tmp.path, 'other-run');
        git(['clone', '--quiet', w.bare, seed]);
        writeFileSync(join(seed, 'NOTES.md'), 'another run was here\n');
        git(['add', '.'], seed);
        git(['commit', '--quiet', '-m', 'Another run'], seed);
        git(['push', '--quiet', 'origin', 'HEAD:main'], seed);
      };
      const first = await w.run({}, { checkpoints });
      expect(first.failedStep).toBe('repo');
      expect(first.error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /^Pushing web to .* \(main\) failed: git push failed: .*\. Nothing was written\. Running the template again checks main anew and completes$/s,
        ),
      });
      expectPlainMessage(first);
      const [other] = commitsOf(w.bare);
      expect(git(['log', '-1', '--format=%s', 'main'], w.bare).trim()).toBe(
        'Another run',
      );
      expect(w.world.fake.listApplications()).toHaveLength(2); // api's only

      const retry = await w.run({}, { checkpoints });
      expectCompleted(retry);
      const [head, parent] = commitsOf(w.bare);
      expect(parent).toBe(other);
      expect(retry.steps.repo.output.commitSha).toBe(head);
      expect(fileAt(w.bare, 'NOTES.md')).toBe('another run was here\n');
    });

    it('a registration the catalog cannot read yet fails saying nothing was registered; running the template again registers it', async () => {
      const w = await setup();
      w.readable.failNext = 1;
      const failed = await w.run();
      expect(failed.failedStep).toBe('register');
      expect(failed.error?.message).toMatch(
        /^The catalog cannot read .*catalog-info\.yaml: NotFoundError: .*\. Nothing was registered; the repository and Applications are in place, so running the template again registers it once the file is readable$/,
      );
      expectPlainMessage(failed);
      expect(w.catalog.locations.size).toBe(0);

      const again = await w.run();
      expectCompleted(again);
      expect(again.steps.register.output).toMatchObject({
        entityRef: 'component:default/web',
        alreadyRegistered: false,
      });
    });

    it('a name taken in the catalog or an owner that is not a group of the tenant is refused up front', async () => {
      const w = await setup();
      const before = w.snapshot();
      const owner = await w.run({ owner: 'group:default/team-globex' });
      expect(owner.failedStep).toBe('repo');
      expect(owner.error).toMatchObject({
        name: 'InputError',
        message:
          'Owner "group:default/team-globex" is a group of another tenant; choose one of tenant acme\'s groups: group:default/acme-ops, group:default/team-acme. Nothing was written.',
      });
      const missing = await w.run({ owner: 'group:default/nobody' });
      expect(missing.error?.message).toMatch(
        /^Owner "group:default\/nobody" is not a group or user in the catalog; choose one of/,
      );

      w.catalog.addEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'web',
          namespace: 'default',
          annotations: {
            'kupe.cloud/tenant': 'acme',
            'backstage.io/managed-by-location':
              'url:https://git.example.com/acme/legacy/blob/main/catalog-info.yaml',
          },
        },
        spec: { type: 'service', owner: 'acme-ops' },
      });
      const taken = await w.run();
      expect(taken.failedStep).toBe('repo');
      expect(taken.error).toMatchObject({
        name: 'ConflictError',
        message:
          'component:default/web is already in the catalog, owned by group:default/acme-ops and registered from url:https://git.example.com/acme/legacy/blob/main/catalog-info.yaml. Nothing was written. Choose another name',
      });
      expect({ ...w.snapshot(), web: undefined }).toEqual({
        ...before,
        web: undefined,
      });
    });
  },
);
