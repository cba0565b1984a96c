import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import type {
  LogPodsResponse,
  ResourceEventsResponse,
} from '@kupe/plugin-gitops-common';
import { BASE_URL, makeApp } from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';
import { LogsAndEvents } from './LogsAndEvents';

// The viewer renders only the lines that fit: give it a size, as a browser would.
jest.mock('react-virtualized-auto-sizer', () => ({
  __esModule: true,
  default: (props: {
    children: (size: { height: number; width: number }) => unknown;
  }) => props.children({ height: 400, width: 1000 }),
}));

const server = setupServer();
registerMswTestHooks(server);

const APP_URL = `${BASE_URL}/instances/main/applications/payments-prod`;
const app = makeApp({ name: 'payments-prod', environment: 'production' });
const apis = [
  [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://localhost:7007' })],
  [fetchApiRef, mockApis.fetch()],
] as const;

const events: ResourceEventsResponse = {
  items: [
    {
      kind: 'Pod',
      namespace: 'payments',
      name: 'payments-7c9-abcde',
      type: 'Warning',
      reason: 'BackOff',
      message:
        'Back-off restarting failed container payments in pod payments-7c9-abcde_payments(uid)',
      count: 4,
      lastTimestamp: '2026-01-10T10:05:00Z',
      source: 'kubelet',
    },
    {
      kind: 'Deployment',
      namespace: 'payments',
      name: 'payments',
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set payments-7c9 to 1',
      count: 1,
      lastTimestamp: '2026-01-10T10:00:00Z',
    },
  ],
  failed: [{ kind: 'Service', name: 'payments', message: 'Argo CD timed out' }],
};

const pods: LogPodsResponse = {
  items: [
    {
      namespace: 'payments',
      name: 'payments-7c9-zzzzz',
      health: 'Healthy',
      statusReason: 'Running',
      containers: ['payments'],
    },
    {
      namespace: 'payments',
      name: 'payments-7c9-abcde',
      health: 'Degraded',
      statusReason: 'CrashLoopBackOff',
      owner: 'Deployment/payments',
      containers: ['migrate', 'payments'],
    },
  ],
};

function serveEventsAndPods() {
  server.use(
    http.get(`${APP_URL}/resource-events`, () => HttpResponse.json(events)),
    http.get(`${APP_URL}/pods`, () => HttpResponse.json(pods)),
  );
}

describe('LogsAndEvents', () => {
  it('lists warning events first and names the resources whose events failed', async () => {
    serveEventsAndPods();
    const { container } = await renderInTestApp(<LogsAndEvents app={app} />, {
      apis,
    });
    const section = await screen.findByRole('region', {
      name: 'Events of payments-prod',
    });
    await within(section).findByText('BackOff');
    const rows = within(section).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(
      /Warning.*BackOff.*Pod\/payments-7c9-abcde/,
    );
    expect(rows[2]).toHaveTextContent(/Normal.*ScalingReplicaSet/);
    expect(
      screen.getByText(
        'Events of Service/payments could not be read: Argo CD timed out',
      ),
    ).toBeInTheDocument();
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it("shows the crash-looping pod's log first, with the limits sent, and downloads it", async () => {
    serveEventsAndPods();
    const asked: URL[] = [];
    server.use(
      http.get(`${APP_URL}/logs`, ({ request }) => {
        const url = new URL(request.url);
        asked.push(url);
        if (url.searchParams.get('download') === 'true')
          return new HttpResponse('2026-01-10T10:00:00Z panic\n', {
            headers: { 'content-type': 'text/plain' },
          });
        return HttpResponse.json({
          namespace: 'payments',
          pod: url.searchParams.get('pod'),
          container: url.searchParams.get('container'),
          lines: [
            { timeStamp: '2026-01-10T10:00:00Z', content: 'starting payments' },
            {
              timeStamp: '2026-01-10T10:00:01Z',
              content: 'panic: runtime error: invalid memory address',
            },
          ],
        });
      }),
    );
    const createObjectURL = jest.fn(() => 'blob:log');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const { container } = await renderInTestApp(<LogsAndEvents app={app} />, {
      apis,
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Show logs' }));
    const viewer = await screen.findByTestId('log-viewer');
    await within(viewer).findByText(/panic: runtime error/);
    expect(Object.fromEntries(asked[0].searchParams)).toEqual({
      appNamespace: 'argocd',
      namespace: 'payments',
      pod: 'payments-7c9-abcde',
      container: 'payments',
      tailLines: '500',
    });
    // Backstage's LogViewer itself (line-number anchors with role="row", its unnamed copy
    // button) is listed in the journeys' upstream exceptions; everything else must pass.
    expect(
      (await accessibilityViolations(container)).filter(
        v => !/BackstageLogViewer|MuiIconButton-sizeSmall/.test(v),
      ),
    ).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    expect(asked.at(-1)!.searchParams.get('download')).toBe('true');
  });

  it('follows the log as a stream and closes it when the panel closes', async () => {
    serveEventsAndPods();
    // The followed request is held here: a Request's signal follows the fetch's signal only
    // through a weak reference, so a collected Request would never hear of the abort.
    const followed: Request[] = [];
    server.use(
      http.get(`${APP_URL}/logs`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('follow') !== 'true') {
          return HttpResponse.json({
            namespace: 'payments',
            pod: 'payments-7c9-abcde',
            lines: [],
          });
        }
        followed.push(request);
        const encoder = new TextEncoder();
        return new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(
                encoder.encode(
                  `event: log\ndata: ${JSON.stringify({
                    timeStamp: '2026-01-10T10:00:02Z',
                    content: 'followed line one',
                  })}\n\n`,
                ),
              );
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        );
      }),
    );
    const { unmount } = await renderInTestApp(<LogsAndEvents app={app} />, {
      apis,
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Show logs' }));
    await screen.findByText('No lines.');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Follow' }));
    const viewer = await screen.findByTestId('log-viewer');
    await within(viewer).findByText(/followed line one/);
    unmount();
    expect(followed).toHaveLength(1);
    await waitFor(() => expect(followed[0].signal.aborted).toBe(true));
  });

  it("shows the backend's refusal when the user may not read logs", async () => {
    serveEventsAndPods();
    server.use(
      http.get(`${APP_URL}/logs`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                'You are not allowed to read the logs of payments-prod (gitops.application.logs)',
            },
            request: { method: 'GET', url: '/logs' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderInTestApp(<LogsAndEvents app={app} />, { apis });
    fireEvent.click(await screen.findByRole('button', { name: 'Show logs' }));
    expect(
      await screen.findByText(/not allowed to read the logs of payments-prod/),
    ).toBeInTheDocument();
  });
});
