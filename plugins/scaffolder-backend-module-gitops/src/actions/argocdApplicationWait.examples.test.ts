import { setupServer } from 'msw/node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { stepInput } from '../__testUtils__/examples';
import { TARGETS, targetWorld } from '../__testUtils__/targetWorld';
import { actionContext, tenantResolver } from '../__testUtils__/testWorld';
import { createArgoCdApplicationWaitAction } from './argocdApplicationWait';
import { examples } from './argocdApplicationWait.examples';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe.each(TARGETS)(
  'kupe:argocd-application:wait examples (applicationTarget: %s)',
  targetName => {
    it.each(examples.map(e => [e.description, e] as const))(
      '%s',
      async (_description, example) => {
        const input = stepInput(example);
        const world = targetWorld(server, targetName);
        const revisions: Record<string, string> = {};
        for (const name of input.applications as string[]) {
          const app = buildApplication({ name, tenant: input.tenant });
          world.putApplication(app);
          revisions[name] = app.status!.sync!.revision!;
        }
        const action = createArgoCdApplicationWaitAction({
          argoCd: world.argoCd,
          tenants: tenantResolver(),
          target: world.target,
          pollIntervalMs: 10,
        });
        const { ctx, outputs } = actionContext(input);
        await action.handler(ctx as any);
        expect(outputs).toEqual({ revisions });
      },
    );
  },
);
