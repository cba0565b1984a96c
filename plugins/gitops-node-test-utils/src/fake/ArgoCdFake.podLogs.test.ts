import type { Application, ApplicationTree } from '@kupe/plugin-gitops-node';
import { ArgoCdFake } from './ArgoCdFake';
import { SimpleController } from './SimpleController';
import { buildApplication } from '../builders/buildApplication';
import { buildCluster } from '../builders/buildCluster';
import { buildTenantProject } from '../builders/buildTenantProject';
import { BASE, call, readLines } from '../__testUtils__/seededFake';
import { ArgoCdSwaggerValidator } from '../contract/argoCdSwaggerValidator';

const CREATED = Date.parse('2026-03-01T10:00:00Z');

/** A controller whose apps run one Deployment → ReplicaSet → Pod with the app's image. */
class PodController extends SimpleController {
  resourceTree(app: Application): ApplicationTree {
    const name = app.metadata.name ?? '';
    const image = app.metadata.annotations?.image ?? `registry/${name}:1.0.0`;
    const createdAt = new Date(CREATED).toISOString().replace(/\.\d+Z$/, 'Z');
    const deploy = {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: name,
      name,
      uid: `${name}-deploy-uid`,
    };
    const rs = {
      ...deploy,
      kind: 'ReplicaSet',
      name: `${name}-5d9f`,
      uid: `${name}-rs-uid`,
    };
    return {
      nodes: [
        { ...deploy, createdAt, images: [image] },
        { ...rs, parentRefs: [deploy], createdAt, images: [image] },
        {
          version: 'v1',
          kind: 'Pod',
          namespace: name,
          name: `${name}-5d9f-abcde`,
          uid: `${name}-pod-uid`,
          parentRefs: [rs],
          createdAt,
          images: [image],
        },
      ],
    };
  }
}

function setup(nowMs = CREATED + 60_000) {
  let now = nowMs;
  const fake = new ArgoCdFake({
    controller: new PodController({ stepMs: 5 }),
    now: () => new Date(now),
  });
  for (const tenant of ['acme', 'globex']) {
    fake.putProject(
      buildTenantProject({
        tenant,
        roles: [
          { name: 'backstage' },
          {
            name: 'viewer',
            policies: [
              `p, proj:tenant-${tenant}:viewer, applications, get, tenant-${tenant}/*, allow`,
            ],
          },
        ],
      }),
    );
    fake.putCluster(buildCluster({ tenant, environment: 'prod' }));
  }
  const web = buildApplication({
    name: 'acme-web-prod',
    tenant: 'acme',
    component: 'acme-web',
    environment: 'prod',
  });
  fake.putApplication(web);
  const api = buildApplication({
    name: 'acme-api-prod',
    tenant: 'acme',
    component: 'acme-api',
    environment: 'prod',
  });
  api.metadata.annotations = {
    ...api.metadata.annotations,
    image: 'registry.acme.example/acme-api:2.0.0-broken',
  };
  fake.putApplication(api);
  const tokens = {
    acme: fake.issueToken('proj:tenant-acme:backstage'),
    acmeViewer: fake.issueToken('proj:tenant-acme:viewer'),
    globex: fake.issueToken('proj:tenant-globex:backstage'),
  };
  return {
    fake,
    tokens,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const logsPath = (app: string, query: string) =>
  `/api/v1/applications/${app}/logs?namespace=${app}&podName=${app}-5d9f-abcde&${query}`;

function linesOf(text: string) {
  return text
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line));
}

describe('ArgoCdFake pod logs', () => {
  const validator = new ArgoCdSwaggerValidator();

  it('streams a healthy container from start-up, cut by tailLines and sinceSeconds, then a last entry', async () => {
    const { fake, tokens } = setup();
    const all = await call(
      fake,
      'GET',
      logsPath('acme-web-prod', 'project=tenant-acme'),
      { token: tokens.acme },
    );
    expect(all.status).toBe(200);
    expect(all.contentType).toBe('application/json');
    const lines = linesOf(all.text);
    expect(lines[0].result).toMatchObject({
      podName: 'acme-web-prod-5d9f-abcde',
      content: expect.stringContaining('msg="starting acme-web-prod"'),
      timeStamp: '2026-03-01T10:00:00Z',
      last: false,
    });
    // Start-up (3 lines) and one request a second for 60 s, then `last`.
    expect(lines).toHaveLength(3 + 60 + 1);
    expect(lines.at(-1).result).toMatchObject({
      last: true,
      content: '',
      podName: '',
    });
    for (const line of lines)
      expect(validator.validate('applicationLogEntry', line.result)).toEqual(
        [],
      );

    const tail = linesOf(
      (
        await call(fake, 'GET', logsPath('acme-web-prod', 'tailLines=5'), {
          token: tokens.acme,
        })
      ).text,
    );
    expect(tail).toHaveLength(6);
    expect(tail.slice(0, 5).map(l => l.result.content)).toEqual(
      lines.slice(-6, -1).map(l => l.result.content),
    );

    const since = linesOf(
      (
        await call(fake, 'GET', logsPath('acme-web-prod', 'sinceSeconds=10'), {
          token: tokens.acme,
        })
      ).text,
    );
    expect(since).toHaveLength(11 + 1);
    expect(since[0].result.timeStamp).toBe('2026-03-01T10:00:50Z');
  });

  it('filters lines as Argo CD does: case-insensitive unless matchCase, ! inverts', async () => {
    const { fake, tokens } = setup();
    const get = async (query: string) =>
      linesOf(
        (
          await call(fake, 'GET', logsPath('acme-web-prod', query), {
            token: tokens.acme,
          })
        ).text,
      ).filter(l => !l.result.last);
    const starting = await get('filter=STARTING');
    expect(starting).toHaveLength(1);
    expect(await get('filter=STARTING&matchCase=true')).toHaveLength(0);
    expect(await get('filter=!request')).toHaveLength(3);
  });

  it('shows a broken release crashing, its previous run, and BackOff in the pod events', async () => {
    const { fake, tokens } = setup(CREATED + 45_000);
    const current = linesOf(
      (
        await call(fake, 'GET', logsPath('acme-api-prod', ''), {
          token: tokens.acme,
        })
      ).text,
    );
    const text = current.map(l => l.result.content).join('\n');
    expect(text).toContain('panic: runtime error');
    // Runs at 0 s, 10 s and 30 s: the current one started at 30 s.
    expect(current[0].result.timeStamp).toBe('2026-03-01T10:00:30Z');
    const previous = linesOf(
      (
        await call(fake, 'GET', logsPath('acme-api-prod', 'previous=true'), {
          token: tokens.acme,
        })
      ).text,
    );
    expect(previous[0].result.timeStamp).toBe('2026-03-01T10:00:10Z');

    const events = await call(
      fake,
      'GET',
      '/api/v1/applications/acme-api-prod/events?resourceName=acme-api-prod-5d9f-abcde&resourceNamespace=acme-api-prod&resourceUID=acme-api-prod-pod-uid&project=tenant-acme',
      { token: tokens.acme },
    );
    expect(events.status).toBe(200);
    expect(validator.validate('eventsEventList', events.json)).toEqual([]);
    expect(events.json.items).toContainEqual(
      expect.objectContaining({
        type: 'Warning',
        reason: 'BackOff',
        count: 2,
        message:
          'Back-off restarting failed container acme-api in pod acme-api-prod-5d9f-abcde_acme-api-prod(acme-api-prod-pod-uid)',
      }),
    );
  });

  it("names containers as the workload's pod template does (a Helm chart's release name), in logs and events", async () => {
    const { fake, tokens } = setup(CREATED + 45_000);
    const manifest = JSON.stringify({
      kind: 'Deployment',
      metadata: { name: 'acme-api-prod', namespace: 'acme-api-prod' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'acme-api-prod',
                image: 'registry.acme.example/acme-api:2.0.0-broken',
              },
            ],
          },
        },
      },
    });
    jest.spyOn(fake.controller, 'managedResources').mockReturnValue({
      items: [
        {
          group: 'apps',
          kind: 'Deployment',
          namespace: 'acme-api-prod',
          name: 'acme-api-prod',
          liveState: manifest,
          targetState: manifest,
        },
      ],
    });
    const lines = linesOf(
      (
        await call(
          fake,
          'GET',
          logsPath('acme-api-prod', 'container=acme-api-prod'),
          { token: tokens.acme },
        )
      ).text,
    );
    expect(lines[0].result.content).toContain('msg="starting acme-api-prod"');
    const events = await call(
      fake,
      'GET',
      '/api/v1/applications/acme-api-prod/events?resourceName=acme-api-prod-5d9f-abcde&resourceNamespace=acme-api-prod&resourceUID=acme-api-prod-pod-uid',
      { token: tokens.acme },
    );
    expect(
      events.json.items.find((e: { reason: string }) => e.reason === 'BackOff')
        .message,
    ).toMatch(/^Back-off restarting failed container acme-api-prod in pod /);
  });

  it('sends kubelet errors as a line: an unknown container, no previous run', async () => {
    const { fake, tokens } = setup();
    const wrong = linesOf(
      (
        await call(fake, 'GET', logsPath('acme-web-prod', 'container=nope'), {
          token: tokens.acme,
        })
      ).text,
    );
    expect(wrong[0].result).toMatchObject({
      content: 'container nope is not valid for pod acme-web-prod-5d9f-abcde',
      timeStamp: '0001-01-01T00:00:00Z',
    });
    const previous = linesOf(
      (
        await call(fake, 'GET', logsPath('acme-web-prod', 'previous=true'), {
          token: tokens.acme,
        })
      ).text,
    );
    expect(previous[0].result.content).toBe(
      'previous terminated container "acme-web-prod" in pod "acme-web-prod-5d9f-abcde" not found',
    );
  });

  it('answers a pod outside the tree with an empty body, as getSelectedPods finds nothing', async () => {
    const { fake, tokens } = setup();
    const response = await call(
      fake,
      'GET',
      '/api/v1/applications/acme-web-prod/logs?namespace=kube-system&podName=coredns-1',
      { token: tokens.acme },
    );
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });

  it('refuses as Argo CD does: 404 in another project, a detailed 403 without logs, get', async () => {
    const { fake, tokens } = setup();
    const foreign = await call(
      fake,
      'GET',
      logsPath('acme-web-prod', 'project=tenant-globex'),
      { token: tokens.globex },
    );
    expect(foreign.status).toBe(404);
    const hidden = await call(
      fake,
      'GET',
      logsPath('globex-x', 'project=tenant-acme'),
      { token: tokens.acme },
    );
    expect(hidden.status).toBe(404);
    expect(hidden.json.error).toMatchObject({
      grpc_code: 5,
      http_code: 404,
      message: 'applications.argoproj.io "globex-x" not found',
    });
    expect(validator.validate('runtimeStreamError', hidden.json.error)).toEqual(
      [],
    );
    const viewer = await call(
      fake,
      'GET',
      logsPath('acme-web-prod', 'project=tenant-acme'),
      { token: tokens.acmeViewer },
    );
    expect(viewer.status).toBe(403);
    expect(viewer.json.error.message).toMatch(
      /^permission denied: logs, get, tenant-acme\/acme-web-prod, sub: proj:tenant-acme:viewer, iat: /,
    );
  });

  it('follows a healthy container with a new line a second until the client leaves', async () => {
    const { fake, tokens, advance } = setup();
    const abort = new AbortController();
    const response = await fake.handle(
      new Request(
        `${BASE}${logsPath('acme-web-prod', 'follow=true&tailLines=1')}`,
        {
          headers: { authorization: `Bearer ${tokens.acme}` },
          signal: abort.signal,
        },
      ),
    );
    const reader = response.body!.getReader();
    const buffer = { text: '' };
    const [tail] = await readLines(reader, 1, buffer);
    expect(tail.result.last).toBe(false);
    advance(1000);
    const [next] = await readLines(reader, 1, buffer);
    expect(next.result).toMatchObject({
      podName: 'acme-web-prod-5d9f-abcde',
      content: expect.stringContaining('msg="request"'),
      timeStamp: '2026-03-01T10:01:01Z',
      last: false,
    });
    abort.abort();
    await expect(reader.read()).resolves.toMatchObject({ done: true });
  });

  it('lists events of a resource only when name, namespace and uid match a node of the tree', async () => {
    const { fake, tokens } = setup();
    const path = (query: string) =>
      `/api/v1/applications/acme-web-prod/events?${query}`;
    const deployment = await call(
      fake,
      'GET',
      path(
        'resourceName=acme-web-prod&resourceNamespace=acme-web-prod&resourceUID=acme-web-prod-deploy-uid',
      ),
      { token: tokens.acme },
    );
    expect(deployment.json.items).toEqual([
      expect.objectContaining({
        reason: 'ScalingReplicaSet',
        message: 'Scaled up replica set acme-web-prod-5d9f to 1',
        involvedObject: expect.objectContaining({
          kind: 'Deployment',
          apiVersion: 'apps/v1',
        }),
      }),
    ]);
    const wrongUid = await call(
      fake,
      'GET',
      path(
        'resourceName=acme-web-prod&resourceNamespace=acme-web-prod&resourceUID=other',
      ),
      { token: tokens.acme },
    );
    expect(wrongUid.status).toBe(400);
    expect(wrongUid.json.message).toBe(
      'acme-web-prod not found as part of application acme-web-prod',
    );
  });
});
