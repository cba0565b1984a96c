import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import type { ArgoRollout } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { BASE_URL, makeApp } from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';
import { englishTranslate } from '../../__testUtils__/translate';
import { ArgoRolloutsSection, stepText } from './ArgoRolloutsSection';

const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });

const APP_URL = `${BASE_URL}/instances/main/applications/payments-dev`;

const paused: ArgoRollout = {
  namespace: 'payments',
  name: 'payments',
  strategy: 'canary',
  phase: 'Paused',
  message: 'CanaryPauseStep',
  currentStep: 4,
  steps: [
    { kind: 'setWeight', weight: 20, text: 'Set weight 20%' },
    { kind: 'pause', duration: '10s', text: 'Pause 10s' },
    { kind: 'setWeight', weight: 50, text: 'Set weight 50%' },
    { kind: 'analysis', text: 'Analysis success-rate' },
    { kind: 'pause', text: 'Pause until promoted' },
    { kind: 'setWeight', weight: 100, text: 'Set weight 100%' },
  ],
  weight: 50,
  stable: { podTemplateHash: 'a1', images: ['registry.test/payments:1.0.0'] },
  canary: { podTemplateHash: 'b2', images: ['registry.test/payments:1.1.0'] },
  paused: true,
  pauseReason: 'CanaryPauseStep',
  aborted: false,
  analysisRuns: [
    { name: 'payments-b2-2-3', phase: 'Successful', message: 'Run Terminated' },
  ],
  actions: ['promote', 'promote-full', 'abort'],
};

describe('ArgoRolloutsSection', () => {
  it('shows the step, the weight, both versions, the analysis and the offered actions', async () => {
    server.use(
      http.get(`${APP_URL}/argo-rollouts`, () =>
        HttpResponse.json({ items: [paused] }),
      ),
    );
    const { container } = await renderInTestApp(
      <ArgoRolloutsSection app={makeApp()} />,
      { apis: [[gitOpsApiRef, client()]] },
    );
    const rollout = await screen.findByTestId('argo-rollout');
    expect(within(rollout).getByText('Step 5 of 6')).toBeInTheDocument();
    expect(
      within(rollout).getByText('Paused until promoted'),
    ).toBeInTheDocument();
    expect(
      within(rollout).getByText('Canary 50% · stable 50%'),
    ).toBeInTheDocument();
    expect(
      within(rollout).getByText('registry.test/payments:1.0.0'),
    ).toBeInTheDocument();
    expect(
      within(rollout).getByText('registry.test/payments:1.1.0'),
    ).toBeInTheDocument();
    expect(
      within(rollout).getByRole('listitem', { current: 'step' }),
    ).toHaveTextContent('Pause until promoted');
    expect(within(rollout).getByTestId('analysis-run')).toHaveTextContent(
      'payments-b2-2-3: Successful (Run Terminated)',
    );
    expect(
      within(rollout)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Promote', 'Promote fully', 'Abort']);
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it('promotes after a confirmation and reads the Rollout again', async () => {
    const promoted: ArgoRollout = {
      ...paused,
      phase: 'Healthy',
      currentStep: 6,
      weight: 100,
      paused: false,
      pauseReason: undefined,
      stable: paused.canary,
      canary: undefined,
      actions: [],
    };
    let current = paused;
    const posted: string[] = [];
    server.use(
      http.get(`${APP_URL}/argo-rollouts`, () =>
        HttpResponse.json({ items: [current] }),
      ),
      http.post(
        `${APP_URL}/argo-rollouts/payments/payments/promote`,
        ({ request }) => {
          posted.push(new URL(request.url).pathname);
          current = promoted;
          return HttpResponse.json(promoted);
        },
      ),
    );
    await renderInTestApp(<ArgoRolloutsSection app={makeApp()} />, {
      apis: [[gitOpsApiRef, client()]],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Promote' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote payments past its pause?',
    });
    expect(posted).toEqual([]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(await screen.findByText('Fully promoted')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Promote' })).toBeNull();
  });

  it('shows why an aborted Rollout failed and offers a retry', async () => {
    server.use(
      http.get(`${APP_URL}/argo-rollouts`, () =>
        HttpResponse.json({
          items: [
            {
              ...paused,
              phase: 'Degraded',
              message:
                'RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
              currentStep: 3,
              weight: 0,
              paused: false,
              pauseReason: undefined,
              aborted: true,
              actions: ['retry'],
            },
          ],
        }),
      ),
    );
    await renderInTestApp(<ArgoRolloutsSection app={makeApp()} />, {
      apis: [[gitOpsApiRef, client()]],
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Rollout aborted update to revision 2/,
    );
    expect(screen.getByText('Aborted')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('names the step or says it is done', () => {
    const t = englishTranslate();
    expect(stepText(t, { ...paused, currentStep: 0 })).toBe('Step 1 of 6');
    expect(stepText(t, { ...paused, currentStep: 6 })).toBe('Fully promoted');
    expect(stepText(t, { ...paused, steps: [], currentStep: undefined })).toBe(
      undefined,
    );
  });
});
