import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  type TranslationMessages,
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type {
  EntityApplicationsResponse,
  Quarantine,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from './api/GitOpsApi';
import { GitOpsClient } from './api/GitOpsClient';
import { EntityGitOpsCard } from './components/EntityGitOpsCard/EntityGitOpsCard';
import { QuarantineBanner } from './components/Quarantine/QuarantineBanner';
import {
  BASE_URL,
  ENTITY_APPS_URL,
  ENTITY_REF,
  makeApp,
  makeEntity,
  makeResponse,
} from './__testUtils__/fixtures';
import { gitOpsTranslationRef } from './translation';

const server = setupServer();
registerMswTestHooks(server);

function serve(body: EntityApplicationsResponse) {
  server.use(
    http.get(ENTITY_APPS_URL, () => HttpResponse.json(body)),
    http.get('http://localhost:7007/api/gitops/events', () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'nope' } },
        { status: 404 },
      ),
    ),
  );
}

/**
 * `element` as an app shows it, with `messages` for the plugin's translation ref installed the
 * way an adopter installs them in the new frontend system: a TranslationBlueprint extension
 * in a module of the app plugin, which Backstage's translation API reads.
 */
function renderWith(element: JSX.Element, messages?: TranslationMessages) {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const fetchApi = mockApis.fetch();
  return renderInTestApp(element, {
    apis: [[gitOpsApiRef, new GitOpsClient({ discoveryApi, fetchApi })]],
    features: messages
      ? [
          createFrontendModule({
            pluginId: 'app',
            extensions: [
              TranslationBlueprint.make({
                name: 'gitops-wording',
                params: { resource: messages },
              }),
            ],
          }),
        ]
      : [],
  });
}

const renderCard = (messages?: TranslationMessages) =>
  renderWith(
    <EntityProvider entity={makeEntity()}>
      <EntityGitOpsCard />
    </EntityProvider>,
    messages,
  );

describe('gitOpsTranslationRef', () => {
  it('lets an app reword the card: headings, columns and messages with their placeholders', async () => {
    serve(makeResponse([makeApp({ name: 'payments-dev' })]));
    await renderCard(
      createTranslationMessages({
        ref: gitOpsTranslationRef,
        messages: {
          'card.title': 'Deployments',
          'card.columns.running': 'Version',
          'card.deepLink': 'All deployments of this service',
        },
      }),
    );
    expect(
      await screen.findByRole('columnheader', { name: 'Version' }),
    ).toBeInTheDocument();
    // the card's title, which also names its region
    expect(
      screen.getByRole('region', { name: 'Deployments' }),
    ).toHaveTextContent(/^Deployments/);
    expect(screen.getByText('All deployments of this service')).toBeVisible();
    // The other texts keep their English default.
    expect(
      screen.getByRole('columnheader', { name: 'Environment' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('columnheader', { name: 'Running' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('View GitOps details')).not.toBeInTheDocument();
  });

  it('fills the placeholders of a reworded message', async () => {
    serve(makeResponse([]));
    await renderCard(
      createTranslationMessages({
        ref: gitOpsTranslationRef,
        messages: {
          'messages.noApplicationsTitle': 'Keine Argo-CD-Anwendungen',
          'messages.noApplications':
            'Keine Anwendung passt zu den Argo-CD-Annotationen von {{entity}}.',
        },
      }),
    );
    expect(
      await screen.findByText('Keine Argo-CD-Anwendungen'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Keine Anwendung passt zu den Argo-CD-Annotationen von payments.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the English defaults without an override', async () => {
    serve(makeResponse([]));
    await renderCard();
    expect(
      await screen.findByText('No Argo CD applications'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No application matches the Argo CD annotations of payments.',
      ),
    ).toBeInTheDocument();
  });

  it('lets an app reword the texts of the other sections, here the quarantine banner', async () => {
    const quarantine: Quarantine = {
      id: 'q1',
      tenant: 'acme',
      entityRef: ENTITY_REF,
      version: '2.0.0-broken',
      reason: 'crashes on start',
      createdBy: 'user:default/alice',
      createdAt: '2026-12-04T15:00:00Z',
      active: true,
      runningIn: [
        {
          instance: 'main',
          appNamespace: 'argocd',
          name: 'payments-prod',
          environment: 'production',
        },
      ],
    };
    server.use(
      http.get(
        `${BASE_URL}/entities/default/component/payments/quarantines`,
        () => HttpResponse.json({ items: [quarantine] }),
      ),
    );
    await renderWith(
      <QuarantineBanner entityRef={ENTITY_REF} />,
      createTranslationMessages({
        ref: gitOpsTranslationRef,
        messages: {
          'quarantine.stillRuns':
            'Do not ship {{version}}: it still runs in {{places}}',
          'quarantine.byWhom': 'Blocked by {{person}} because {{reason}}',
        },
      }),
    );
    const banner = await screen.findByTestId('quarantine-banner');
    expect(banner).toHaveTextContent(
      'Do not ship 2.0.0-broken: it still runs in production',
    );
    expect(banner).toHaveTextContent(
      'Blocked by alice because crashes on start',
    );
    expect(banner).not.toHaveTextContent('Quarantined 2.0.0-broken');
  });
});
