import { screen } from '@testing-library/react';
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
import { englishTranslate } from '../../__testUtils__/translate';
import { RolloutMark, rolloutMarkText } from './RolloutMark';

const server = setupServer();
registerMswTestHooks(server);

const canary: ArgoRollout = {
  namespace: 'payments',
  name: 'payments',
  strategy: 'canary',
  phase: 'Paused',
  currentStep: 4,
  steps: [
    { kind: 'setWeight', weight: 20, text: 'Set weight 20%' },
    { kind: 'pause', text: 'Pause until promoted' },
    { kind: 'setWeight', weight: 100, text: 'Set weight 100%' },
    { kind: 'other', text: 'x' },
    { kind: 'pause', text: 'Pause until promoted' },
  ],
  weight: 50,
  paused: true,
  aborted: false,
  analysisRuns: [],
  actions: ['promote'],
};

describe('RolloutMark', () => {
  it('says how far an unfinished Rollout is', () => {
    const t = englishTranslate();
    expect(rolloutMarkText(t, canary)).toBe('canary 50%, paused');
    expect(
      rolloutMarkText(t, {
        ...canary,
        paused: false,
        currentStep: 0,
        weight: 20,
      }),
    ).toBe('canary 20%, step 1 of 5');
    expect(rolloutMarkText(t, { ...canary, aborted: true })).toBe(
      'canary aborted',
    );
    expect(rolloutMarkText(t, { ...canary, currentStep: 5 })).toBeUndefined();
  });

  it('reads the Rollouts of a suspended app and marks its row', async () => {
    server.use(
      http.get(
        `${BASE_URL}/instances/main/applications/payments-dev/argo-rollouts`,
        () => HttpResponse.json({ items: [canary] }),
      ),
    );
    await renderInTestApp(
      <RolloutMark app={makeApp({ health: { status: 'Suspended' } })} />,
      {
        apis: [
          [
            gitOpsApiRef,
            new GitOpsClient({
              discoveryApi: mockApis.discovery({
                baseUrl: 'http://localhost:7007',
              }),
              fetchApi: mockApis.fetch(),
            }),
          ],
        ],
      },
    );
    expect(await screen.findByTestId('rollout-mark')).toHaveTextContent(
      'canary 50%, paused',
    );
  });
});
