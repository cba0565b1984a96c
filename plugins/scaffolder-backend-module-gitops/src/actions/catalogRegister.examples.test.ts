import { stringify } from 'yaml';
import { CatalogDouble } from '../__testUtils__/catalogDouble';
import { stepInput } from '../__testUtils__/examples';
import { actionContext } from '../__testUtils__/testWorld';
import { createCatalogRegisterAction } from './catalogRegister';
import { examples } from './catalogRegister.examples';

describe('kupe:catalog:register examples', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const input = stepInput(example);
      const catalog = new CatalogDouble({
        read: async url =>
          url === input.catalogInfoUrl
            ? stringify({
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'web' },
                spec: { type: 'service', owner: 'team-acme' },
              })
            : undefined,
      });
      const action = createCatalogRegisterAction({ catalog });
      const run = async () => {
        const { ctx, outputs } = actionContext(input);
        await action.handler(ctx as any);
        return outputs;
      };
      const first = await run();
      expect(first).toEqual({
        catalogInfoUrl: input.catalogInfoUrl,
        entityRef: 'component:default/web',
        alreadyRegistered: false,
      });
      expect(await run()).toEqual({ ...first, alreadyRegistered: true });
      expect(catalog.locations).toEqual(new Set([input.catalogInfoUrl]));
    },
  );
});
