import { createArgoCdApplicationCreateAction } from './argocdApplicationCreate';
import { createGitOpsRepoCreateAction } from './gitopsRepoCreate';
import { applySchemaDefaults, withInputDefaults } from './withInputDefaults';

describe('withInputDefaults', () => {
  // The factories only keep their dependencies; the schemas need none of them.
  const deps = { tenants: {} } as any;

  it('fills the zod defaults a template leaves out, also inside array items', () => {
    const action = createGitOpsRepoCreateAction(deps);
    expect(
      applySchemaDefaults(action.schema?.input as any, {
        repoUrl: 'http://127.0.0.1:7008/git/acme/gitops.git',
        tenant: 'acme',
        name: 'web',
        owner: 'group:default/acme-devs',
        image: 'registry.example.com/acme/web',
        environments: [{ name: 'dev', imageTag: '1.0.0' }, { name: 'prod' }],
        directPush: true,
      }),
    ).toMatchObject({
      manifestType: 'kustomize',
      port: 8080,
      targetBranch: 'main',
      directPush: true,
      environments: [
        { name: 'dev', imageTag: '1.0.0', replicas: 1 },
        { name: 'prod', imageTag: 'latest', replicas: 1 },
      ],
    });
    const apps = createArgoCdApplicationCreateAction(deps);
    expect(
      applySchemaDefaults(apps.schema?.input as any, { tenant: 'acme' }),
    ).toMatchObject({ entityNamespace: 'default', targetRevision: 'main' });
  });

  it('hands the handler the input with defaults, leaving given values alone', async () => {
    const handler = jest.fn();
    const action = withInputDefaults({
      id: 'test:action',
      schema: {
        input: {
          type: 'object',
          properties: {
            a: { type: 'string', default: 'x' },
            b: { type: 'string', default: 'y' },
          },
        },
      },
      handler,
    } as any);
    await action.handler({ input: { b: 'given' }, logger: 'kept' } as any);
    expect(handler).toHaveBeenCalledWith({
      input: { a: 'x', b: 'given' },
      logger: 'kept',
    });
  });
});
