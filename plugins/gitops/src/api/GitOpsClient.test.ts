import { mockApis } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { GitOpsClient, POLL_INITIAL_MS, POLL_MAX_MS } from './GitOpsClient';
import { makeApp, makeResponse } from '../testUtils/fixtures';

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
        calls.push(Date.now());
        expect(String(input)).toBe(
          `${BASE}/entities/default/component/payments/applications`,
        );
        return jsonResponse(answers[version]);
      });
      const client = new GitOpsClient({
        discoveryApi,
        fetchApi: { fetch },
        createEventSource: undefined,
      });
      const events: string[] = [];
      const stop = client.subscribe('component:default/payments', e =>
        events.push(e.items[0].sync.revision!),
      );

      const start = Date.now();
      await jest.advanceTimersByTimeAsync(POLL_INITIAL_MS);
      expect(events).toEqual(['rev0']);
      // Unchanged answers back off: 10 s, 20 s, 40 s, then 60 s at most.
      await jest.advanceTimersByTimeAsync(
        10_000 + 20_000 + 40_000 + POLL_MAX_MS,
      );
      expect(calls.map(t => t - start)).toEqual([
        5_000, 15_000, 35_000, 75_000, 135_000,
      ]);
      expect(events).toEqual(['rev0']);

      version = 1;
      await jest.advanceTimersByTimeAsync(POLL_MAX_MS);
      expect(events).toEqual(['rev0', 'rev1']);
      await jest.advanceTimersByTimeAsync(POLL_INITIAL_MS);
      expect(calls).toHaveLength(7);

      stop();
      await jest.advanceTimersByTimeAsync(10 * POLL_MAX_MS);
      expect(calls).toHaveLength(7);
    });

    it('falls back to polling when the stream never opens', async () => {
      const listeners: Record<string, () => void> = {};
      const source = {
        readyState: 0,
        addEventListener: (type: string, fn: () => void) => {
          listeners[type] = fn;
        },
        close: jest.fn(),
      };
      const fetch = jest.fn(async (input: RequestInfo | URL) =>
        String(input).endsWith('/.backstage/auth/v1/cookie')
          ? jsonResponse({
              expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
            })
          : jsonResponse(makeResponse([makeApp()])),
      );
      const createEventSource = jest.fn(() => source as unknown as EventSource);
      const client = new GitOpsClient({
        discoveryApi,
        fetchApi: { fetch },
        createEventSource,
      });
      const onEvent = jest.fn();
      const stop = client.subscribe('component:default/payments', onEvent);
      await jest.advanceTimersByTimeAsync(0);
      expect(createEventSource).toHaveBeenCalledWith(
        `${BASE}/events?entityRef=component%3Adefault%2Fpayments`,
      );
      expect(fetch).toHaveBeenCalledWith(`${BASE}/.backstage/auth/v1/cookie`, {
        credentials: 'include',
      });

      listeners.error();
      expect(source.close).toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(POLL_INITIAL_MS);
      expect(onEvent).toHaveBeenCalledTimes(1);
      stop();
    });
  });
});
