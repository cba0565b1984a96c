import { mockCredentials } from '@backstage/backend-test-utils';
import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  type Harness,
  users,
  startHarness,
} from '../__testUtils__/gitopsBackend';

const spec = parse(
  fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, 'openapi');
const validatorOf = (
  operation: { responses: Record<string, any> },
  status: number,
) => {
  let response =
    operation.responses[String(status)] ?? operation.responses.default;
  if (response.$ref)
    response = spec.components.responses[response.$ref.split('/').pop()];
  const schema = response.content['application/json'].schema;
  const ref = schema.$ref ? `openapi${schema.$ref}` : undefined;
  // Inline schemas point into the document; resolve their refs against the added copy.
  const rebased = JSON.parse(
    JSON.stringify(schema).replace(/"\$ref":"#/g, '"$ref":"openapi#'),
  );
  return ref ? ajv.getSchema(ref)! : ajv.compile(rebased);
};

describe('openapi.yaml', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  it.each([
    [
      'get',
      '/entities/{namespace}/{kind}/{name}/applications',
      '/entities/default/component/acme-web/applications',
      undefined,
      200,
    ],
    [
      'get',
      '/instances/{instance}/applications/{name}',
      '/instances/main/applications/acme-web-prod',
      undefined,
      200,
    ],
    [
      'get',
      '/instances/{instance}/applications/{name}/resources',
      '/instances/main/applications/acme-web-prod/resources',
      undefined,
      200,
    ],
    [
      'post',
      '/instances/{instance}/applications/{name}/sync',
      '/instances/main/applications/acme-web-prod/sync',
      { dryRun: true },
      200,
    ],
    [
      'post',
      '/instances/{instance}/applications/{name}/rollback',
      '/instances/main/applications/acme-web-dev/rollback',
      { id: 0 },
      409,
    ],
    [
      'get',
      '/instances/{instance}/applications/{name}',
      '/instances/main/applications/globex-shop-dev',
      undefined,
      404,
    ],
    ['get', '/tenants', '/tenants', undefined, 200],
  ])('describes %s %s', async (method, template, url, body, status) => {
    const operation = spec.paths[template][method];
    expect(operation).toBeDefined();
    const req = request(h.server)
      [method as 'get' | 'post'](`/api/gitops${url}`)
      .set({
        Authorization: mockCredentials.user.header(users.alice),
      });
    const res = body === undefined ? await req : await req.send(body);
    expect(res.status).toBe(status);
    const validate = validatorOf(operation, status);
    const valid = validate(res.body);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});
