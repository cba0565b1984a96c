import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { stepInput } from '../__testUtils__/examples';
import { GitHttpServer } from '@kupe/plugin-gitops-node-test-utils';
import {
  TempDir,
  actionContext,
  argoCdWorld,
  bareRepository,
  commitsOf,
  fileAt,
  noIntegrations,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createGitOpsRepoCreateAction } from './gitopsRepoCreate';
import { examples } from './gitopsRepoCreate.examples';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// real git (clones, commits, pushes): several seconds per test on a busy machine
jest.setTimeout(30_000);

describe('kupe:gitops-repo:create examples', () => {
  let tmp: TempDir;
  let gitHost: GitHttpServer;
  beforeEach(async () => {
    tmp = new TempDir();
    gitHost = await GitHttpServer.start({ root: tmp.path });
  });
  afterEach(async () => {
    await gitHost.stop();
    tmp.cleanup();
  });

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const input = stepInput(example);
      const world = argoCdWorld(server, {
        sourceRepos: () => [`${gitHost.origin}/*`],
      });
      const action = createGitOpsRepoCreateAction({
        integrations: noIntegrations(),
        argoCd: world.argoCd,
        tenants: tenantResolver(),
      });
      // The example's host is not reachable from a test: the same repository path on a local
      // smart-HTTP Git host instead; every other input exactly as written (defaults applied by
      // the action).
      const bare = bareRepository(tmp.path, 'acme/gitops');
      const repoUrl = `${gitHost.origin}${new URL(input.repoUrl).pathname}`;
      const run = async () => {
        const { ctx, outputs } = actionContext(
          { ...input, repoUrl },
          { tmp: tmp.path },
        );
        await action.handler(ctx as any);
        return outputs;
      };

      const outputs = await run();

      const service: string = input.name;
      const envs: string[] = input.environments.map((e: any) => e.name);
      const helm = input.manifestType === 'helm';
      const [head] = commitsOf(bare);
      expect(outputs).toEqual({
        repoUrl,
        commitSha: head,
        changed: true,
        paths: Object.fromEntries(
          envs.map(env => [
            env,
            helm ? `apps/${service}/chart` : `apps/${service}/overlays/${env}`,
          ]),
        ),
        ...(helm
          ? {
              valueFiles: Object.fromEntries(
                envs.map(env => [env, [`values-${env}.yaml`]]),
              ),
            }
          : {}),
      });
      // Each environment's image tag and replicas, where the layout keeps them.
      const written = (env: any) => {
        if (helm) {
          return parse(
            fileAt(bare, `apps/${service}/chart/values-${env.name}.yaml`),
          );
        }
        const overlay = parse(
          fileAt(
            bare,
            `apps/${service}/overlays/${env.name}/kustomization.yaml`,
          ),
        );
        return { images: overlay.images, replicas: overlay.replicas };
      };
      const expected = (env: any) => {
        const tag = env.imageTag ?? 'latest';
        const replicas = env.replicas ?? 1;
        return helm
          ? { replicaCount: replicas, image: { tag } }
          : {
              images: [{ name: input.image, newTag: tag }],
              replicas: [{ name: service, count: replicas }],
            };
      };
      expect(input.environments.map(written)).toEqual(
        input.environments.map(expected),
      );
      expect(fileAt(bare, 'CODEOWNERS')).toContain(`/apps/${service}/ @team-a`);

      // Running the example again changes nothing and gives the same outputs.
      expect(await run()).toEqual({ ...outputs, changed: false });
      expect(commitsOf(bare)).toEqual([head]);
    },
  );
});
