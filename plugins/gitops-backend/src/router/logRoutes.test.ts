import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  Application,
  ApplicationTree,
  ManagedResourcesResponse,
} from '@kupe/plugin-gitops-node';
import Ajv from 'ajv';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DefaultArgoCdClient } from '@kupe/plugin-gitops-node';
import request from 'supertest';
import { parse } from 'yaml';
import {
  type Harness,
  startHarness,
  users,
} from '../__testUtils__/gitopsBackend';

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const APP = '/api/gitops/instances/main/applications';
const POD = 'acme-web-prod-5d9f-abcde';
const logsOf = (app: string, query: string) =>
  `${APP}/${app}/logs?namespace=${app}&pod=${app}-5d9f-abcde&${query}`;

const spec = parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, 'openapi');
function expectSchema(name: string, body: unknown) {
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`)!;
  validate(body);
  expect(validate.errors ?? []).toEqual([]);
}

/** The cluster behind the fake runs one Deployment → ReplicaSet → Pod per app. */
function runPods(h: Harness, images: Record<string, string>) {
  const original = h.fake.controller.resourceTree.bind(h.fake.controller);
  jest
    .spyOn(h.fake.controller, 'resourceTree')
    .mockImplementation((app: Application): ApplicationTree => {
      const name = app.metadata.name!;
      const image = images[name];
      if (!image) return original(app);
      const createdAt = new Date(Date.now() - 60_000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      const deploy = {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: name,
        name,
        uid: `${name}-deploy`,
      };
      const rs = {
        ...deploy,
        kind: 'ReplicaSet',
        name: `${name}-5d9f`,
        uid: `${name}-rs`,
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
            uid: `${name}-pod`,
            parentRefs: [rs],
            createdAt,
            images: [image],
            info: [{ name: 'Status Reason', value: 'Running' }],
          },
        ],
      };
    });
  jest
    .spyOn(h.fake.controller, 'managedResources')
    .mockImplementation((app: Application): ManagedResourcesResponse => {
      const name = app.metadata.name!;
      const manifest = JSON.stringify({
        kind: 'Deployment',
        metadata: { name, namespace: name },
        spec: {
          template: {
            spec: {
              containers: [{ name: 'acme-web', image: images[name] }],
            },
          },
        },
      });
      return {
        items: [
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: name,
            name,
            liveState: manifest,
            targetState: manifest,
          },
        ],
      };
    });
}

const logRequests = (h: Harness) =>
  h.fake.requests.filter(r => r.path.endsWith('/logs'));

describe('events and logs routes', () => {
  let h: Harness;
  jest.setTimeout(30_000);

  afterEach(async () => {
    jest.restoreAllMocks();
    await h.stop();
  });

  describe('with every permission', () => {
    beforeEach(async () => {
      h = await startHarness();
      runPods(h, {
        'acme-web-prod': 'registry.acme.example/acme-web:1.4.0',
        'acme-web-dev': 'registry.acme.example/acme-web:2.0.0-broken',
      });
    });

    it('lists the pods of the tree with the containers of their workload', async () => {
      const res = await request(h.server)
        .get(`${APP}/acme-web-prod/pods`)
        .set(as(users.alice))
        .expect(200);
      expectSchema('LogPodsResponse', res.body);
      expect(res.body.items).toEqual([
        {
          namespace: 'acme-web-prod',
          name: POD,
          statusReason: 'Running',
          owner: 'Deployment/acme-web-prod',
          containers: ['acme-web'],
        },
      ]);
    });

    it('reads the last lines of a pod, audited with who and which pod but no line', async () => {
      const res = await request(h.server)
        .get(logsOf('acme-web-prod', 'container=acme-web&tailLines=5'))
        .set(as(users.alice))
        .expect(200);
      expectSchema('PodLogsResponse', res.body);
      expect(res.body.lines).toHaveLength(5);
      expect(res.body.lines[4].content).toMatch(/msg="request"/);
      const sent = logRequests(h)[0];
      expect(Object.fromEntries(sent.query)).toMatchObject({
        project: 'tenant-acme',
        namespace: 'acme-web-prod',
        podName: POD,
        container: 'acme-web',
        tailLines: '5',
      });
      const audit = h.audits.find(
        a =>
          (a.options as { eventId: string }).eventId ===
          'application-logs-read',
      )!;
      expect(audit).toMatchObject({
        options: {
          severityLevel: 'medium',
          meta: {
            name: 'acme-web-prod',
            pod: POD,
            container: 'acme-web',
            tailLines: 5,
          },
        },
        outcome: { status: 'succeeded' },
      });
      expect(JSON.stringify(audit)).not.toContain('msg=');
    });

    it('downloads the lines as a text attachment', async () => {
      const res = await request(h.server)
        .get(logsOf('acme-web-prod', 'download=true&tailLines=3'))
        .set(as(users.alice))
        .expect(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="${POD}.log"`,
      );
      expect(res.text.trim().split('\n')).toHaveLength(3);
      expect(res.text).toMatch(/^\d{4}-\d\d-\d\dT[\d:]+Z level=info /);
    });

    it("lists the resources' events with a crash-looping pod's BackOff first", async () => {
      const res = await request(h.server)
        .get(`${APP}/acme-web-dev/resource-events`)
        .set(as(users.alice))
        .expect(200);
      expectSchema('ResourceEventsResponse', res.body);
      expect(res.body.failed).toEqual([]);
      expect(res.body.items[0]).toMatchObject({
        kind: 'Pod',
        name: 'acme-web-dev-5d9f-abcde',
        type: 'Warning',
        reason: 'BackOff',
        source: 'kubelet',
      });
      expect(res.body.items.map((e: { reason: string }) => e.reason)).toEqual(
        expect.arrayContaining(['ScalingReplicaSet', 'SuccessfulCreate']),
      );
    });

    it("answers another tenant's app like a missing one, and nothing reaches Argo CD", async () => {
      const before = h.fake.requests.length;
      const bob = await request(h.server)
        .get(logsOf('acme-web-prod', ''))
        .set(as(users.bob));
      expect(bob.status).toBe(404);
      const missing = await request(h.server)
        .get(logsOf('nope', ''))
        .set(as(users.bob));
      expect(missing.status).toBe(404);
      expect(bob.body.error.message.replace('acme-web-prod', 'nope')).toBe(
        missing.body.error.message,
      );
      for (const route of ['resource-events', 'pods']) {
        await request(h.server)
          .get(`${APP}/acme-web-prod/${route}`)
          .set(as(users.bob))
          .expect(404);
      }
      expect(
        h.fake.requests
          .slice(before)
          .map(r => r.path)
          .filter(p => p.includes('acme-web-prod')),
      ).toEqual([]);
    });

    it('refuses a pod that is not in the app before asking Argo CD for logs', async () => {
      const res = await request(h.server)
        .get(
          `${APP}/acme-web-prod/logs?namespace=kube-system&pod=coredns-5d9f-abcde`,
        )
        .set(as(users.alice));
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'Pod kube-system/coredns-5d9f-abcde is not part of application acme-web-prod',
      );
      expect(logRequests(h).map(r => r.path)).toEqual([]);
      // A pod of alice's other app is not part of this one either.
      await request(h.server)
        .get(
          `${APP}/acme-web-prod/logs?namespace=acme-web-dev&pod=acme-web-dev-5d9f-abcde`,
        )
        .set(as(users.alice))
        .expect(404);
      expect(logRequests(h).map(r => r.path)).toEqual([]);
    });

    it('refuses too many lines and bad names with a clear 400', async () => {
      const over = await request(h.server)
        .get(logsOf('acme-web-prod', 'tailLines=5001'))
        .set(as(users.alice));
      expect(over.status).toBe(400);
      expect(over.body.error.message).toBe(
        'tailLines 5001 is over the limit of 5000 lines; ask for fewer lines, a shorter time (sinceSeconds) or follow the log',
      );
      await request(h.server)
        .get(`${APP}/acme-web-prod/logs?namespace=a&pod=${POD}&container=A_B`)
        .set(as(users.alice))
        .expect(400);
      expect(logRequests(h).map(r => r.path)).toEqual([]);
    });

    it('follows a pod as server-sent events and closes the Argo CD stream when the browser leaves', async () => {
      // The client's own test shows an aborted signal closes the socket to Argo CD.
      const signals: AbortSignal[] = [];
      const stream = DefaultArgoCdClient.prototype.streamPodLogs;
      jest
        .spyOn(DefaultArgoCdClient.prototype, 'streamPodLogs')
        .mockImplementation(function spied(this: DefaultArgoCdClient, ...args) {
          signals.push(args[2]!.signal!);
          return stream.apply(this, args);
        });
      const { port } = h.server.address() as AddressInfo;
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const req = http.get(
          `http://127.0.0.1:${port}${logsOf(
            'acme-web-prod',
            'follow=true&tailLines=2',
          )}`,
          { headers: as(users.alice) },
          res => {
            expect(res.statusCode).toBe(200);
            expect(res.headers['content-type']).toBe('text/event-stream');
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              received.push(chunk);
              const events = received.join('').match(/event: log\n/g) ?? [];
              // Two tail lines, then one the container wrote while followed.
              if (events.length >= 3) {
                req.destroy();
                resolve();
              }
            });
          },
        );
        req.on('error', error => {
          if (!req.destroyed) reject(error);
        });
      });
      const data = received
        .join('')
        .split('\n')
        .filter(l => l.startsWith('data: '))
        .map(l => JSON.parse(l.slice(6)));
      for (const line of data) expectSchema('LogLine', line);
      expect(signals).toHaveLength(1);
      await new Promise<void>(resolve => {
        if (signals[0].aborted) resolve();
        signals[0].addEventListener('abort', () => resolve());
      });
    });
  });

  it('refuses logs without gitops.application.logs, before Argo CD is asked', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === 'gitops.application.logs'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      authorizeConditional: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    });
    h = await startHarness({ permissions });
    runPods(h, { 'acme-web-prod': 'registry.acme.example/acme-web:1.4.0' });
    const res = await request(h.server)
      .get(logsOf('acme-web-prod', ''))
      .set(as(users.alice));
    expect(res.status).toBe(403);
    expect(logRequests(h).map(r => r.path)).toEqual([]);
    const audit = h.audits.find(
      a =>
        (a.options as { eventId: string }).eventId === 'application-logs-read',
    );
    expect(audit?.outcome).toMatchObject({ status: 'failed' });
    // Pods and events stay readable with read alone.
    await request(h.server)
      .get(`${APP}/acme-web-prod/pods`)
      .set(as(users.alice))
      .expect(200);
  });
});
