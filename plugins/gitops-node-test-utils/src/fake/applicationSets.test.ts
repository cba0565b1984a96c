import type { ApplicationSet } from '@kupe/plugin-gitops-node';
import { call, seededFake } from '../__testUtils__/seededFake';
import { previewSet } from '../__testUtils__/previewSet';

function fakeWithSets() {
  const seeded = seededFake();
  seeded.fake.applicationSets.put(previewSet('acme'));
  seeded.fake.applicationSets.put(previewSet('globex'));
  return seeded;
}

describe('ArgoCdFake ApplicationSets (server/applicationset)', () => {
  it('lists only the sets whose template project the token may read', async () => {
    const { fake, tokens } = fakeWithSets();
    const names = async (token: string, query = '') =>
      (
        await call(fake, 'GET', `/api/v1/applicationsets${query}`, { token })
      ).json.items.map((s: ApplicationSet) => s.metadata.name);
    expect(await names(tokens.admin)).toEqual([
      'acme-previews',
      'globex-previews',
    ]);
    expect(await names(tokens.acme)).toEqual(['acme-previews']);
    expect(await names(tokens.globex)).toEqual(['globex-previews']);
    // The viewer role has no `applicationsets` policy: Argo CD shows it none.
    expect(await names(tokens.acmeViewer)).toEqual([]);
    expect(await names(tokens.admin, '?projects=tenant-globex')).toEqual([
      'globex-previews',
    ]);
    expect(await names(tokens.admin, '?selector=team%3Dacme')).toEqual([
      'acme-previews',
    ]);
    fake.close();
  });

  it('gets a set: 404 naming a missing one, 403 naming the object for another project', async () => {
    const { fake, tokens } = fakeWithSets();
    const own = await call(
      fake,
      'GET',
      '/api/v1/applicationsets/acme-previews',
      {
        token: tokens.acme,
      },
    );
    expect(own.status).toBe(200);
    expect(own.json.spec.template.spec.project).toBe('tenant-acme');
    expect(own.json.metadata.uid).toEqual(expect.any(String));

    const missing = await call(fake, 'GET', '/api/v1/applicationsets/nope', {
      token: tokens.acme,
    });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      error:
        'error getting ApplicationSet: applicationset.argoproj.io "nope" not found',
      code: 5,
      message:
        'error getting ApplicationSet: applicationset.argoproj.io "nope" not found',
    });

    const foreign = await call(
      fake,
      'GET',
      '/api/v1/applicationsets/globex-previews',
      { token: tokens.acme },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.json.message).toMatch(
      /^permission denied: applicationsets, get, tenant-globex\/globex-previews, sub: proj:tenant-acme:backstage, iat: /,
    );

    const unserved = await call(
      fake,
      'GET',
      '/api/v1/applicationsets/acme-previews?appsetNamespace=elsewhere',
      { token: tokens.admin },
    );
    expect(unserved.status).toBe(500);
    expect(unserved.json.message).toBe(
      "namespace 'elsewhere' is not permitted",
    );

    const anonymous = await call(fake, 'GET', '/api/v1/applicationsets');
    expect(anonymous.status).toBe(401);
    fake.close();
  });

  it('keeps uid and creation time when a set is replaced, and drops removed sets', () => {
    const { fake } = fakeWithSets();
    const before = fake.applicationSets.get('acme-previews')!;
    const after = fake.applicationSets.updateStatus(before, {
      conditions: [
        {
          type: 'ResourcesUpToDate',
          status: 'True',
          reason: 'ApplicationSetUpToDate',
          message: 'All applications have been generated successfully',
        },
      ],
    })!;
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.resourceVersion).not.toBe(
      before.metadata.resourceVersion,
    );
    expect(before.status).toBeUndefined();
    fake.applicationSets.remove('acme-previews');
    expect(fake.applicationSets.list().map(s => s.metadata.name)).toEqual([
      'globex-previews',
    ]);
    fake.close();
  });
});
