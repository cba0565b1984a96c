import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { GitHubFake } from './GitHubFake';

/** GitHub's REST API description, the operations the fake serves (see __fixtures__/github/NOTICE.md). */
const API = JSON.parse(
  readFileSync(
    resolve(__dirname, '../__fixtures__/github/github-rest-api-subset.json'),
    'utf8',
  ),
) as {
  operations: Record<string, Record<string, unknown>>;
  definitions: Record<string, unknown>;
};

/** Every endpoint answers these without documenting them per operation. */
const GLOBAL_STATUS: Record<string, unknown> = {
  '401': { $ref: '#/definitions/basic-error' },
  '404': { $ref: '#/definitions/basic-error' },
};

const WEB = 'http://ghe.example.test';
const BOT = 'ghs_bot00000000000000000000000000000000';
const ALICE = 'ghp_alice000000000000000000000000000000';
const ARJUN = 'ghp_arjun000000000000000000000000000000';

function git(args: string[], cwd?: string) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.test',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.test',
    },
  });
}

jest.setTimeout(60_000);

describe('GitHubFake against GitHub REST API description', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'github', definitions: API.definitions });
  const validators = new Map<string, ValidateFunction>();
  let dir: string;
  let fake: GitHubFake;
  const exercised = new Set<string>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'github-contract-'));
    fake = new GitHubFake({
      repositoriesRoot: join(dir, 'repos'),
      webUrl: WEB,
      users: [
        { login: 'kupe-portal', type: 'Bot', tokens: [BOT] },
        { login: 'alice', tokens: [ALICE], email: 'alice@acme.example' },
        { login: 'arjun', tokens: [ARJUN] },
      ],
      organizations: [
        {
          login: 'acme',
          members: ['kupe-portal', 'alice', 'arjun'],
          teams: { devs: ['alice', 'arjun'] },
        },
      ],
    });
    fake.protectBranch('acme/gitops', 'main', {
      requireCodeOwnerReviews: true,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Calls the fake and checks the answer against the operation's documented responses. */
  async function call(
    operation: string,
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const response = await fake.handle(
      new Request(`${WEB}/api/v3${path}`, {
        method,
        headers: token ? { authorization: `token ${token}` } : {},
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const status = String(response.status);
    const responses = { ...GLOBAL_STATUS, ...API.operations[operation] };
    expect(Object.keys(responses)).toContain(status);
    exercised.add(`${operation} ${status}`);
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    const schema = responses[status];
    if (schema) {
      expect(response.headers.get('content-type')).toBe(
        'application/json; charset=utf-8',
      );
      // the operation's schema, its references resolved in the shared definitions
      const key = JSON.stringify(schema).replace(
        /"#\/definitions\//g,
        '"github#/definitions/',
      );
      const validate = validators.get(key) ?? ajv.compile(JSON.parse(key));
      validators.set(key, validate);
      const valid = validate(json);
      expect({
        operation,
        status,
        errors: valid ? [] : validate.errors,
      }).toEqual({ operation, status, errors: [] });
    }
    return { status: response.status, json };
  }

  it('answers every operation with documented status codes and response shapes', async () => {
    await call('repos/get', undefined, 'GET', '/repos/acme/gitops');
    await call('repos/create-in-org', BOT, 'POST', '/orgs/acme/repos', {
      name: 'gitops',
      private: true,
    });
    await call('repos/create-in-org', BOT, 'POST', '/orgs/acme/repos', {
      name: 'gitops',
    });
    await call('repos/create-in-org', ALICE, 'POST', '/orgs/nobody/repos', {
      name: 'x',
    });
    await call('repos/get', ALICE, 'GET', '/repos/acme/gitops');
    await call('repos/get', ALICE, 'GET', '/repos/acme/missing');
    await call('users/get-authenticated', ALICE, 'GET', '/user');

    const work = join(dir, 'work');
    git(['clone', '--quiet', join(dir, 'repos/acme/gitops.git'), work]);
    writeFileSync(join(work, 'CODEOWNERS'), '**/prod/** @acme/devs\n');
    git(['add', '.'], work);
    git(['commit', '--quiet', '-m', 'codeowners'], work);
    git(['push', '--quiet', 'origin', 'HEAD:main'], work);
    git(['checkout', '--quiet', '-b', 'to-prod'], work);
    execFileSync('mkdir', ['-p', join(work, 'apps/web/prod')]);
    writeFileSync(join(work, 'apps/web/prod/values.yaml'), 'tag: 2\n');
    git(['add', '.'], work);
    git(['commit', '--quiet', '-m', 'prod 2'], work);
    git(['push', '--quiet', 'origin', 'to-prod'], work);

    await call(
      'repos/get-content',
      ALICE,
      'GET',
      '/repos/acme/gitops/contents/CODEOWNERS',
    );
    await call(
      'repos/get-content',
      ALICE,
      'GET',
      '/repos/acme/gitops/contents/apps?ref=to-prod',
    );
    await call(
      'repos/get-content',
      ALICE,
      'GET',
      '/repos/acme/gitops/contents/nope',
    );

    await call('pulls/create', ALICE, 'POST', '/repos/acme/gitops/pulls', {
      title: 'Prod 2',
      head: 'to-prod',
      base: 'main',
    });
    await call('pulls/create', ALICE, 'POST', '/repos/acme/gitops/pulls', {
      title: 'Prod 2',
      head: 'to-prod',
      base: 'main',
    });
    await call(
      'pulls/list',
      ALICE,
      'GET',
      '/repos/acme/gitops/pulls?state=all',
    );
    await call(
      'pulls/list',
      ALICE,
      'GET',
      '/repos/acme/gitops/pulls?state=nope',
    );
    await call('pulls/get', ALICE, 'GET', '/repos/acme/gitops/pulls/1');
    await call('pulls/get', ALICE, 'GET', '/repos/acme/gitops/pulls/2');
    await call(
      'pulls/list-files',
      ALICE,
      'GET',
      '/repos/acme/gitops/pulls/1/files',
    );
    await call('pulls/update', ALICE, 'PATCH', '/repos/acme/gitops/pulls/1', {
      body: 'Carries version 2 to prod',
    });
    await call(
      'pulls/merge',
      ALICE,
      'PUT',
      '/repos/acme/gitops/pulls/1/merge',
      {},
    );
    await call(
      'pulls/merge',
      ALICE,
      'PUT',
      '/repos/acme/gitops/pulls/1/merge',
      {
        sha: 'f'.repeat(40),
      },
    );
    await call(
      'pulls/merge',
      ALICE,
      'PUT',
      '/repos/acme/gitops/pulls/1/merge',
      {
        merge_method: 'fast-forward',
      },
    );
    await call(
      'pulls/create-review',
      ALICE,
      'POST',
      '/repos/acme/gitops/pulls/1/reviews',
      {
        event: 'APPROVE',
      },
    );
    await call(
      'pulls/create-review',
      ARJUN,
      'POST',
      '/repos/acme/gitops/pulls/1/reviews',
      {
        event: 'APPROVE',
        body: 'LGTM',
      },
    );
    await call(
      'pulls/list-reviews',
      ALICE,
      'GET',
      '/repos/acme/gitops/pulls/1/reviews',
    );
    await call(
      'pulls/check-if-merged',
      ALICE,
      'GET',
      '/repos/acme/gitops/pulls/1/merge',
    );
    await call(
      'pulls/merge',
      ALICE,
      'PUT',
      '/repos/acme/gitops/pulls/1/merge',
      {},
    );
    await call(
      'pulls/check-if-merged',
      ALICE,
      'GET',
      '/repos/acme/gitops/pulls/1/merge',
    );
    await call('pulls/get', ALICE, 'GET', '/repos/acme/gitops/pulls/1');

    expect([...exercised].sort()).toEqual(
      [
        'pulls/check-if-merged 204',
        'pulls/check-if-merged 404',
        'pulls/create 201',
        'pulls/create 422',
        'pulls/create-review 200',
        'pulls/create-review 422',
        'pulls/get 200',
        'pulls/get 404',
        'pulls/list 200',
        'pulls/list 422',
        'pulls/list-files 200',
        'pulls/list-reviews 200',
        'pulls/merge 200',
        'pulls/merge 405',
        'pulls/merge 409',
        'pulls/merge 422',
        'pulls/update 200',
        'repos/create-in-org 201',
        'repos/create-in-org 404',
        'repos/create-in-org 422',
        'repos/get 200',
        'repos/get 401',
        'repos/get 404',
        'repos/get-content 200',
        'repos/get-content 404',
        'users/get-authenticated 200',
      ].sort(),
    );
  });
});
