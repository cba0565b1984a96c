import { parse } from 'yaml';
import { setupServer } from 'msw/node';
import { buildApplication } from '@kupe/plugin-gitops-node/testUtils';
import {
  TempDir,
  actionContext,
  argoCdWorld,
  bareRepository,
  commitsOf,
  noIntegrations,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createArgocdApplicationCreateAction } from './argocdApplicationCreate';
import { examples as createExamples } from './argocdApplicationCreate.examples';
import { createArgocdApplicationWaitAction } from './argocdApplicationWait';
import { examples as waitExamples } from './argocdApplicationWait.examples';
import { createGitopsRepoCreateAction } from './gitopsRepoCreate';
import { examples as repoExamples } from './gitopsRepoCreate.examples';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The step input of an example, parsed from its YAML like a template would be. */
function stepInput(example: { example: string }): Record<string, any> {
  return parse(example.example).steps[0].input;
}

describe('action examples', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = new TempDir();
  });
  afterEach(() => tmp.cleanup());

  it.each(repoExamples.map(e => [e.description, e]))(
    'kupe:gitops-repo:create: %s',
    async (_d, example) => {
      const world = argoCdWorld(server, {
        sourceRepos: () => [`file://${tmp.path}/*`],
      });
      const action = createGitopsRepoCreateAction({
        integrations: noIntegrations(),
        argoCd: world.argoCd,
        tenants: tenantResolver(),
        allowFileRemotes: true,
      });
      const bare = bareRepository(tmp.path, 'gitops');
      // The example's own remote is not reachable in a test; everything else is as written.
      const input = stepInput(example);
      const { ctx, outputs } = actionContext(
        {
          port: 8080,
          targetBranch: 'main',
          ...withDefaults(input),
          repoUrl: `file://${bare}`,
        },
        { tmp: tmp.path },
      );
      await action.handler(ctx as any);
      expect(commitsOf(bare)).toHaveLength(1);
      expect(Object.keys(outputs.paths)).toEqual(
        input.environments.map((e: any) => e.name),
      );
    },
  );

  it.each(createExamples.map(e => [e.description, e]))(
    'kupe:argocd-application:create: %s',
    async (_d, example) => {
      const world = argoCdWorld(server);
      const action = createArgocdApplicationCreateAction({
        argoCd: world.argoCd,
        tenants: tenantResolver(),
      });
      const input = stepInput(example);
      // Template expressions are rendered by the scaffolder before the action sees them.
      const rendered: Record<string, any> = {
        ...input,
        repoUrl: 'https://git.example.com/acme/gitops.git',
        paths: undefined,
        valueFiles: undefined,
      };
      const { ctx, outputs } = actionContext({
        entityNamespace: 'default',
        targetRevision: 'main',
        upsert: false,
        ...rendered,
        environments: rendered.environments.map((e: any) => ({
          syncPolicy: 'manual',
          ...e,
        })),
      });
      await action.handler(ctx as any);
      for (const name of outputs.applications) {
        expect(world.fake.getApplication(name, 'argocd')).toBeDefined();
      }
    },
  );

  it.each(waitExamples.map(e => [e.description, e]))(
    'kupe:argocd-application:wait: %s',
    async (_d, example) => {
      const world = argoCdWorld(server);
      world.fake.putApplication(
        buildApplication({ name: 'web-dev', tenant: 'acme' }),
      );
      const action = createArgocdApplicationWaitAction({
        argoCd: world.argoCd,
        tenants: tenantResolver(),
        pollIntervalMs: 10,
      });
      const { ctx, outputs } = actionContext(stepInput(example));
      await action.handler(ctx as any);
      expect(Object.keys(outputs.revisions)).toEqual(['web-dev']);
    },
  );
});

/** zod defaults the scaffolder applies before calling the handler. */
function withDefaults(input: Record<string, any>) {
  return {
    manifestType: 'kustomize',
    directPush: false,
    ...input,
    environments: input.environments.map((e: any) => ({
      imageTag: 'latest',
      replicas: 1,
      ...e,
    })),
  };
}
