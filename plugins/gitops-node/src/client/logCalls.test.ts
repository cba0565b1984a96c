import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import type { ApplicationLogEntry } from '../argocd/logTypes';
import { DefaultArgoCdClient } from './DefaultArgoCdClient';

const BASE = 'https://argocd.example.com';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2VjcmV0LW1haW4';

const server = setupServer();
const seen: URL[] = [];
server.events.on('request:start', ({ request }) => {
  seen.push(new URL(request.url));
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

const client = (url = BASE) =>
  new DefaultArgoCdClient({ name: 'main', url, token: TOKEN });

const entry = (content: string, last = false) =>
  `${JSON.stringify({
    result: {
      content,
      timeStamp: '2026-03-01T10:00:00Z',
      timeStampStr: '2026-03-01T10:00:00.000000000Z',
      podName: last ? '' : 'web-1',
      last,
    },
  })}\n`;

async function collect(logs: AsyncIterable<ApplicationLogEntry>) {
  const out: ApplicationLogEntry[] = [];
  for await (const e of logs) out.push(e);
  return out;
}

describe('streamPodLogs', () => {
  it('sends the validated query with the scope and yields entries until the last one', async () => {
    server.use(
      http.get(
        `${BASE}/api/v1/applications/web-prod/logs`,
        () =>
          // The body is cut into pieces that split a line, as chunked transfer may.
          new HttpResponse(
            `${entry('starting')}${entry('ready')}${entry('', true)}`,
            { headers: { 'content-type': 'application/json' } },
          ),
      ),
    );
    const entries = await collect(
      client().streamPodLogs(
        'web-prod',
        {
          namespace: 'web',
          podName: 'web-5d9f-abcde',
          container: 'web',
          tailLines: 100,
          sinceSeconds: 3600,
          follow: false,
        },
        { project: 'tenant-acme' },
      ),
    );
    expect(entries.map(e => e.content)).toEqual(['starting', 'ready']);
    expect(Object.fromEntries(seen[0].searchParams)).toEqual({
      project: 'tenant-acme',
      namespace: 'web',
      podName: 'web-5d9f-abcde',
      container: 'web',
      tailLines: '100',
      sinceSeconds: '3600',
      follow: 'false',
    });
  });

  it.each([
    ['a pod name that adds a query', { podName: 'web&container=x' }],
    ['a pod name with a path', { podName: '../secrets' }],
    ['a container with a space', { container: 'a b' }],
    ['a zero tail', { tailLines: 0 }],
    ['a fractional since', { sinceSeconds: 1.5 }],
    ['an upper-case namespace', { namespace: 'Web' }],
  ])('refuses %s without sending anything', (_, override) => {
    expect(() =>
      client().streamPodLogs('web-prod', {
        namespace: 'web',
        podName: 'web-1',
        ...override,
      }),
    ).toThrow(InputError);
    expect(seen).toHaveLength(0);
  });

  it("maps Argo CD's stream error answered before any line to its HTTP status", async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/web-prod/logs`, () =>
        HttpResponse.json(
          {
            error: {
              grpc_code: 7,
              http_code: 403,
              message:
                'permission denied: logs, get, tenant-acme/web-prod, sub: proj:tenant-acme:viewer, iat: 2026-01-01T00:00:00Z',
              http_status: 'Forbidden',
            },
          },
          { status: 403 },
        ),
      ),
    );
    const logs = client().streamPodLogs('web-prod', {
      namespace: 'web',
      podName: 'web-1',
    });
    const error = await collect(logs).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(
      /^Argo CD main: permission denied: logs, get, tenant-acme\/web-prod, sub: /,
    );
  });

  it('throws an error line sent mid-stream after the lines before it', async () => {
    server.use(
      http.get(
        `${BASE}/api/v1/applications/web-prod/logs`,
        () =>
          new HttpResponse(
            `${entry('one')}${JSON.stringify({
              error: {
                grpc_code: 5,
                http_code: 404,
                message: 'pods "web-1" not found',
                http_status: 'Not Found',
              },
            })}\n`,
          ),
      ),
    );
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const e of client().streamPodLogs('web-prod', {
          namespace: 'web',
          podName: 'web-1',
        }))
          got.push(e.content ?? '');
      })(),
    ).rejects.toThrow(NotFoundError);
    expect(got).toEqual(['one']);
  });

  it('closes the upstream connection when the caller aborts a followed stream', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>(resolve => {
      closed = resolve;
    });
    const upstream = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(entry('first'));
      const timer = setInterval(() => res.write(entry('tick')), 20);
      req.socket.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    await new Promise<void>(resolve =>
      upstream.listen(0, '127.0.0.1', resolve),
    );
    server.use(http.all('http://127.0.0.1*', () => passthrough()));
    try {
      const { port } = upstream.address() as AddressInfo;
      const abort = new AbortController();
      const got: string[] = [];
      for await (const e of client(`http://127.0.0.1:${port}`).streamPodLogs(
        'web-prod',
        { namespace: 'web', podName: 'web-1', follow: true },
        { signal: abort.signal },
      )) {
        got.push(e.content ?? '');
        if (got.length === 3) abort.abort();
      }
      expect(got).toEqual(['first', 'tick', 'tick']);
      await upstreamClosed;
    } finally {
      upstream.closeAllConnections();
      upstream.close();
    }
  });

  it('reports a cut connection as the log stream breaking', async () => {
    const upstream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(entry('first'));
      setTimeout(() => res.destroy(), 20);
    });
    await new Promise<void>(resolve =>
      upstream.listen(0, '127.0.0.1', resolve),
    );
    server.use(http.all('http://127.0.0.1*', () => passthrough()));
    try {
      const { port } = upstream.address() as AddressInfo;
      await expect(
        collect(
          client(`http://127.0.0.1:${port}`).streamPodLogs('web-prod', {
            namespace: 'web',
            podName: 'web-1',
            follow: true,
          }),
        ),
      ).rejects.toThrow(ServiceUnavailableError);
    } finally {
      upstream.close();
    }
  });
});

describe('listEvents of one resource', () => {
  it('sends the resource name, namespace and uid Argo CD matches against the tree', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/web-prod/events`, () =>
        HttpResponse.json({ metadata: {}, items: [] }),
      ),
    );
    await client().listEvents('web-prod', {
      project: 'tenant-acme',
      resource: {
        name: 'web-1',
        namespace: 'web',
        uid: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
      },
    });
    expect(Object.fromEntries(seen[0].searchParams)).toEqual({
      project: 'tenant-acme',
      resourceName: 'web-1',
      resourceNamespace: 'web',
      resourceUID: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
    });
  });

  it('refuses a uid that could change the query', async () => {
    await expect(
      client().listEvents('web-prod', {
        resource: { name: 'web-1', namespace: 'web', uid: 'x&project=other' },
      }),
    ).rejects.toThrow(InputError);
    expect(seen).toHaveLength(0);
  });
});
