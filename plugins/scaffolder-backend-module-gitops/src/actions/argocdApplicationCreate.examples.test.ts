import { setupServer } from 'msw/node';
import { renderExpressions, stepInput } from '../__testUtils__/examples';
import { TARGETS, targetWorld } from '../__testUtils__/targetWorld';
import { actionContext, tenantResolver } from '../__testUtils__/testWorld';
import { createArgoCdApplicationCreateAction } from './argocdApplicationCreate';
import { examples } from './argocdApplicationCreate.examples';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/**
 * What the scaffolder renders the examples' expressions from: the outputs
 * kupe:gitops-repo:create gives for a Helm service `api` with a dev environment.
 */
const context = {
  steps: {
    repo: {
      output: {
        repoUrl: 'https://git.example.com/acme/gitops.git',
        paths: { dev: 'apps/api/chart' },
        valueFiles: { dev: ['values-dev.yaml'] },
      },
    },
  },
};

describe.each(TARGETS)(
  'kupe:argocd-application:create examples (applicationTarget: %s)',
  targetName => {
    it.each(examples.map(e => [e.description, e] as const))(
      '%s',
      async (_description, example) => {
        const world = targetWorld(server, targetName);
        const action = createArgoCdApplicationCreateAction({
          argoCd: world.argoCd,
          tenants: tenantResolver(),
          target: world.target,
        });
        const input = renderExpressions(stepInput(example), context);
        const { ctx, outputs } = actionContext(input);
        await action.handler(ctx as any);

        const names = input.environments.map(
          (e: any) => `${input.name}-${e.name}`,
        );
        expect(outputs).toEqual({
          applications: names,
          argoCdUrls: names.map(
            (n: string) =>
              `https://argocd.example.com/applications/argocd/${n}`,
          ),
          entityGitOpsUrl: `/catalog/default/component/${input.name}/gitops`,
        });
        for (const env of input.environments) {
          const app = world.getApplication(`${input.name}-${env.name}`)!;
          expect(app.spec.project).toBe(`tenant-${input.tenant}`);
          expect(app.spec.destination).toEqual({
            name: `${input.tenant}-${env.cluster}`,
            namespace: input.namespace ?? input.name,
          });
          expect(app.spec.source).toMatchObject({
            repoURL: input.repoUrl,
            targetRevision: 'main',
            path:
              input.paths?.[env.name] ??
              `apps/${input.name}/overlays/${env.name}`,
          });
          expect(app.spec.source?.helm?.valueFiles).toEqual(
            input.valueFiles?.[env.name],
          );
          expect(app.spec.syncPolicy?.automated !== undefined).toBe(
            env.syncPolicy !== 'manual',
          );
        }
      },
    );
  },
);
