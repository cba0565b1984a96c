import { stringify } from 'yaml';
import { CatalogDouble } from '../__testUtils__/catalogDouble';
import { Checkpoints, actionContext } from '../__testUtils__/testWorld';
import { createCatalogRegisterAction } from './catalogRegister';

const URL =
  'https://github.example.com/acme/gitops/blob/main/apps/web/catalog-info.yaml';

const COMPONENT = stringify({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', annotations: { 'kupe.cloud/tenant': 'acme' } },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'team-acme' },
});

function setup(files: Record<string, string> = { [URL]: COMPONENT }) {
  const catalog = new CatalogDouble({ read: async url => files[url] });
  const action = createCatalogRegisterAction({ catalog });
  const run = async (
    options: { isDryRun?: boolean; checkpoints?: Checkpoints } = {},
  ) => {
    const { ctx, outputs } = actionContext({ catalogInfoUrl: URL }, options);
    await action.handler(ctx as any);
    return outputs;
  };
  return { catalog, action, run, files };
}

describe('kupe:catalog:register', () => {
  it('reads the file first, then registers the location; the component becomes the entityRef', async () => {
    const { catalog, run } = setup();
    expect(await run()).toEqual({
      catalogInfoUrl: URL,
      entityRef: 'component:default/web',
      alreadyRegistered: false,
    });
    expect(catalog.requests).toEqual([`dry-run ${URL}`, `create ${URL}`]);
    expect(catalog.entity('component:default/web')?.spec?.owner).toBe(
      'team-acme',
    );
  });

  it('a location registered before (an identical re-run) is reported as done with the same outputs, not as 409', async () => {
    const { catalog, run } = setup();
    const first = await run();
    catalog.requests.length = 0;
    expect(await run()).toEqual({ ...first, alreadyRegistered: true });
    expect(catalog.requests).toEqual([`dry-run ${URL}`]);
  });

  it('a location another run registered between the dry run and the create (409) counts as registered', async () => {
    const { catalog, run } = setup();
    const checkpoints = new Checkpoints();
    checkpoints.before = async () => {
      await catalog.addLocation({ type: 'url', target: URL });
    };
    expect(await run({ checkpoints })).toMatchObject({
      entityRef: 'component:default/web',
      alreadyRegistered: true,
    });
    expect(catalog.locations).toEqual(new Set([URL]));
  });

  it('a file the catalog cannot read fails before registering anything, with the catalog’s reason and no client wrapping', async () => {
    const { catalog, run } = setup({});
    const error = await run().catch(e => e);
    expect(error.message).toBe(
      `The catalog cannot read ${URL}: NotFoundError: Unable to read url, NotFoundError: could not read ${URL}, 404 Not Found. Nothing was registered; the repository and Applications are in place, so running the template again registers it once the file is readable`,
    );
    expect(error.message).not.toContain('Request failed with');
    expect(catalog.locations.size).toBe(0);
  });

  it('asks the catalog nothing in a dry run (the file is not written yet)', async () => {
    const { catalog, run } = setup({});
    expect(await run({ isDryRun: true })).toEqual({
      catalogInfoUrl: URL,
      alreadyRegistered: false,
    });
    expect(catalog.requests).toEqual([]);
  });
});
