import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ApplicationsEvent } from '@kupe/plugin-gitops-common';
import {
  GitOpsClient,
  POLL_INITIAL_MS,
  POLL_MAX_MS,
  RECONNECT_INITIAL_MS,
  RECONNECT_MAX_MS,
} from './GitOpsClient';
import { makeApp, makeResponse } from '../__testUtils__/fixtures';

const BASE = 'http://localhost:7007/api/gitops';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('GitOpsClient', () => {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });

  it('encodes every path segment and the app namespace', async () => {
    const fetch = jest.fn(async () => jsonResponse({ summary: makeApp() }));
    const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
    await client.sync(
      { instance: 'main', appNamespace: 'team a', name: 'x/../y' },
      { prune: true },
    );
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/instances/main/applications/x%2F..%2Fy/sync?appNamespace=team%20a`,
      expect.objectContaining({ method: 'POST', body: '{"prune":true}' }),
    );
  });

  it('fills each route template from the typed parameters, with a JSON body only where the route takes one', async () => {
    const fetch = jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        jsonResponse({ summary: makeApp(), items: [], errors: [] }),
    );
    const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
    const app = { instance: 'main', appNamespace: 'argocd', name: 'web' };
    await client.getEntityApplications('component:my ns/a/b');
    await client.getManagedResources(app);
    await client.terminate(app);
    await client.refresh(app, { hard: true });
    expect(fetch.mock.calls.map(([url, init]) => [url, init])).toEqual([
      [
        `${BASE}/entities/my%20ns/component/a%2Fb/applications`,
        { method: 'GET' },
      ],
      [
        `${BASE}/instances/main/applications/web/resources?appNamespace=argocd`,
        { method: 'GET' },
      ],
      [
        `${BASE}/instances/main/applications/web/terminate?appNamespace=argocd`,
        { method: 'POST' },
      ],
      [
        `${BASE}/instances/main/applications/web/refresh?appNamespace=argocd`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"hard":true}',
        },
      ],
    ]);
  });

  it('throws a ResponseError carrying the backend message', async () => {
    const fetch = jest.fn(async () =>
      jsonResponse(
        {
          error: { name: 'NotFoundError', message: 'no such app' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
    const error = await client
      .getApplication({
        instance: 'main',
        appNamespace: 'argocd',
        name: 'gone',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('no such app');
  });

  describe('subscribe without an event stream', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('polls with a doubling delay up to a minute and resets on change', async () => {
      let version = 0;
      // Fixed answers per version: only a real change may reset the backoff.
      const answers = [0, 1].map(v =>
        makeResponse([
          makeApp({
            sync: { status: 'Synced', revision: `rev${v}` },
            lastSyncedAt: '2026-01-01T00:00:00Z',
          }),
        ]),
      );
      const calls: number[] = [];
      const fetch = jest.fn(async (input: RequestInfo | URL) => {
        if (String(input).startsWith(`${BASE}/events?`))
          return jsonResponse({ error: { name: 'NotFoundError' } }, 404);
        calls.push(Date.now());
        expect(String(input)).toBe(
          `${BASE}/entities/default/component/payments/applications`,
        );
        return jsonResponse(answers[version]);
      });
      const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
      const events: string[] = [];
      const stop = client.subscribe('component:default/payments', e =>
        events.push(e.items[0].sync.revision!),
      );

      const start = Date.now();
      // The stream does not open: the list is read at once instead, then polled.
      await jest.advanceTimersByTimeAsync(0);
      expect(events).toEqual(['rev0']);
      await jest.advanceTimersByTimeAsync(POLL_INITIAL_MS);
      expect(events).toEqual(['rev0']);
      // Unchanged answers back off: 10 s, 20 s, 40 s, then 60 s at most.
      await jest.advanceTimersByTimeAsync(
        10_000 + 20_000 + 40_000 + POLL_MAX_MS,
      );
      expect(calls.map(t => t - start)).toEqual([
        0, 5_000, 15_000, 35_000, 75_000, 135_000,
      ]);
      expect(events).toEqual(['rev0']);

      version = 1;
      await jest.advanceTimersByTimeAsync(POLL_MAX_MS);
      expect(events).toEqual(['rev0', 'rev1']);
      await jest.advanceTimersByTimeAsync(POLL_INITIAL_MS);
      expect(calls).toHaveLength(8);

      stop();
      await jest.advanceTimersByTimeAsync(10 * POLL_MAX_MS);
      expect(calls).toHaveLength(8);
    });

    it.each([
      [
        'a 401',
        () => jsonResponse({ error: { name: 'AuthenticationError' } }, 401),
      ],
      [
        'an HTML page',
        () =>
          new Response('<html></html>', {
            headers: { 'Content-Type': 'text/html' },
          }),
      ],
      [
        'a network error',
        () => Promise.reject(new TypeError('Failed to fetch')),
      ],
    ])(
      'falls back to polling when the stream answers %s',
      async (_, answer) => {
        const list = makeResponse([makeApp()]);
        const fetch = jest.fn(
          async (input: RequestInfo | URL, _init?: RequestInit) =>
            String(input).startsWith(`${BASE}/events?`)
              ? answer()
              : jsonResponse(list),
        );
        const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
        const onEvent = jest.fn();
        const onError = jest.fn();
        const stop = client.subscribe(
          'component:default/payments',
          onEvent,
          onError,
        );
        await jest.advanceTimersByTimeAsync(0);
        // fetchApi adds the user's bearer token; no cookie is involved any more.
        expect(fetch).toHaveBeenNthCalledWith(
          1,
          `${BASE}/events?entityRef=component%3Adefault%2Fpayments`,
          {
            signal: expect.any(AbortSignal),
            headers: { Accept: 'text/event-stream' },
          },
        );
        // The list, read at once instead, is the first state.
        expect(fetch).toHaveBeenNthCalledWith(
          2,
          `${BASE}/entities/default/component/payments/applications`,
          { method: 'GET' },
        );
        expect(onEvent).toHaveBeenCalledWith({
          entityRef: 'component:default/payments',
          ...list,
        });

        // The poll's unchanged answer is no news.
        await jest.advanceTimersByTimeAsync(POLL_INITIAL_MS);
        expect(onEvent).toHaveBeenCalledTimes(1);
        expect(fetch).toHaveBeenCalledTimes(3);
        expect(onError).not.toHaveBeenCalled();
        expect(
          fetch.mock.calls.some(([url]) => /cookie/.test(String(url))),
        ).toBe(false);
        stop();
      },
    );
  });

  describe('subscribe with an event stream', () => {
    const entityRef = 'component:default/payments';
    const eventOf = (revision: string): ApplicationsEvent => ({
      entityRef,
      items: [makeApp({ sync: { status: 'Synced', revision } })],
      errors: [],
    });
    const frame = (event: ApplicationsEvent) =>
      `event: applications\ndata: ${JSON.stringify(event)}\n\n`;

    /** A streamed body the test writes to; `close` ends it like the server does. */
    function stream() {
      const encoder = new TextEncoder();
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const cancelled = jest.fn();
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
        cancel: cancelled,
      });
      return {
        body,
        cancelled,
        write: (text: string) => controller.enqueue(encoder.encode(text)),
        close: () => controller.close(),
      };
    }

    describe('through msw', () => {
      const server = setupServer();
      registerMswTestHooks(server);

      it('dispatches applications events of the streamed body, however it is chunked', async () => {
        const body = stream();
        const seen: Array<{ auth: string | null; accept: string | null }> = [];
        const polls: string[] = [];
        server.use(
          http.get(`${BASE}/events`, ({ request }) => {
            seen.push({
              auth: request.headers.get('authorization'),
              accept: request.headers.get('accept'),
            });
            return new HttpResponse(body.body, {
              headers: { 'Content-Type': 'text/event-stream' },
            });
          }),
          http.get(
            `${BASE}/entities/:namespace/:kind/:name/applications`,
            ({ request }) => {
              polls.push(request.url);
              return HttpResponse.json(makeResponse([]));
            },
          ),
        );
        let signal: AbortSignal | undefined;
        const fetchApi = {
          // Stands in for Backstage's fetchApi, which adds the user's token.
          fetch: (input: RequestInfo | URL, init?: RequestInit) => {
            signal = init?.signal ?? undefined;
            return fetch(input, {
              ...init,
              headers: {
                ...(init?.headers as Record<string, string>),
                Authorization: 'Bearer user-token',
              },
            });
          },
        };
        const client = new GitOpsClient({ discoveryApi, fetchApi });
        const received: string[] = [];
        const stop = client.subscribe(entityRef, e =>
          received.push(e.items[0].sync.revision!),
        );

        const first = frame(eventOf('rev1'));
        body.write(': heartbeat\n\n');
        body.write(first.slice(0, 30));
        body.write(first.slice(30));
        body.write('event: error\ndata: {"message":"boom"}\n\n');
        body.write(
          frame({ ...eventOf('other'), entityRef: 'component:default/other' }),
        );
        // Multi-line data: the lines join with newlines, which JSON accepts as whitespace.
        body.write(
          `event: applications\ndata: {"entityRef":"${entityRef}",\ndata: "items":${JSON.stringify(
            eventOf('rev2').items,
          )},"errors":[]}\n\n`,
        );
        await waitFor(() => expect(received).toEqual(['rev1', 'rev2']));
        expect(seen).toEqual([
          { auth: 'Bearer user-token', accept: 'text/event-stream' },
        ]);

        stop();
        expect(signal?.aborted).toBe(true);
        await new Promise(r => setTimeout(r, 50));
        expect(polls).toEqual([]);
        expect(received).toEqual(['rev1', 'rev2']);
      });
    });

    describe('with fake timers', () => {
      beforeEach(() => jest.useFakeTimers());
      afterEach(() => jest.useRealTimers());

      it('reads the list once instead when the stream errors before its first event', async () => {
        const body = stream();
        const list = makeResponse([
          makeApp({ sync: { status: 'Synced', revision: 'listed' } }),
        ]);
        const fetch = jest.fn(async (input: RequestInfo | URL) =>
          String(input).startsWith(`${BASE}/events?`)
            ? sse(body.body)
            : jsonResponse(list),
        );
        const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
        const received: string[] = [];
        const onError = jest.fn();
        const stop = client.subscribe(
          entityRef,
          e => received.push(e.items[0].sync.revision!),
          onError,
        );
        await jest.advanceTimersByTimeAsync(0);
        // Open, and nothing read but the stream.
        expect(fetch).toHaveBeenCalledTimes(1);
        body.write('event: error\ndata: {"message":"catalog down"}\n\n');
        await jest.advanceTimersByTimeAsync(0);
        expect(received).toEqual(['listed']);
        expect(fetch).toHaveBeenLastCalledWith(
          `${BASE}/entities/default/component/payments/applications`,
          { method: 'GET' },
        );
        // The stream stays open and carries the next change; later errors read nothing.
        body.write(frame(eventOf('rev2')));
        body.write('event: error\ndata: {"message":"again"}\n\n');
        await jest.advanceTimersByTimeAsync(0);
        expect(received).toEqual(['listed', 'rev2']);
        expect(fetch).toHaveBeenCalledTimes(2);
        expect(onError).not.toHaveBeenCalled();
        stop();
      });

      it('reports the error when the stream ends before its first event and the list fails too', async () => {
        const streams = [stream(), stream()];
        let connects = 0;
        const fetch = jest.fn(async (input: RequestInfo | URL) =>
          String(input).startsWith(`${BASE}/events?`)
            ? sse(streams[connects++].body)
            : jsonResponse(
                {
                  error: { name: 'Error', message: 'Argo CD exploded' },
                  response: { statusCode: 500 },
                },
                500,
              ),
        );
        const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
        const received: string[] = [];
        const errors: Error[] = [];
        const stop = client.subscribe(
          entityRef,
          e => received.push(e.items[0].sync.revision!),
          error => errors.push(error),
        );
        await jest.advanceTimersByTimeAsync(0);
        streams[0].close();
        await jest.advanceTimersByTimeAsync(0);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(ResponseError);
        expect((errors[0] as ResponseError).body.error.message).toBe(
          'Argo CD exploded',
        );
        expect(received).toEqual([]);

        // The stream is opened again and its first event is the state after all.
        await jest.advanceTimersByTimeAsync(RECONNECT_INITIAL_MS);
        streams[1].write(frame(eventOf('rev1')));
        await jest.advanceTimersByTimeAsync(0);
        expect(received).toEqual(['rev1']);
        // One list read in all: the failed one.
        expect(
          fetch.mock.calls.filter(([url]) =>
            /\/applications$/.test(String(url)),
          ),
        ).toHaveLength(1);
        expect(errors).toHaveLength(1);
        stop();
      });

      it('reconnects with backoff after the stream ends or fails, without polling', async () => {
        const start = Date.now();
        const connects: number[] = [];
        const signals: AbortSignal[] = [];
        const streams = [stream(), stream()];
        const answers: Array<() => Response> = [
          () => sse(streams[0].body),
          () =>
            jsonResponse({ error: { name: 'ServiceUnavailableError' } }, 503),
          () =>
            jsonResponse({ error: { name: 'ServiceUnavailableError' } }, 503),
          () => sse(streams[1].body),
        ];
        const fetch = jest.fn(
          async (input: RequestInfo | URL, init?: RequestInit) => {
            expect(String(input)).toMatch(/\/events\?/);
            connects.push(Date.now() - start);
            signals.push(init!.signal!);
            return answers[connects.length - 1]();
          },
        );
        const client = new GitOpsClient({ discoveryApi, fetchApi: { fetch } });
        const received: string[] = [];
        const stop = client.subscribe(entityRef, e =>
          received.push(e.items[0].sync.revision!),
        );
        await jest.advanceTimersByTimeAsync(0);
        streams[0].write(frame(eventOf('rev1')));
        streams[0].close();
        await jest.advanceTimersByTimeAsync(0);
        expect(received).toEqual(['rev1']);

        // 1 s after a stream that worked, then doubling while answers fail.
        await jest.advanceTimersByTimeAsync(
          RECONNECT_INITIAL_MS +
            2 * RECONNECT_INITIAL_MS +
            4 * RECONNECT_INITIAL_MS,
        );
        expect(connects).toEqual([0, 1_000, 3_000, 7_000]);
        streams[1].write(frame(eventOf('rev2')));
        await jest.advanceTimersByTimeAsync(0);
        expect(received).toEqual(['rev1', 'rev2']);

        stop();
        expect(signals[3].aborted).toBe(true);
        await jest.advanceTimersByTimeAsync(10 * RECONNECT_MAX_MS);
        expect(fetch).toHaveBeenCalledTimes(4);
      });
    });
  });
});

function sse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    headers: { 'Content-Type': 'text/event-stream' },
  });
}
