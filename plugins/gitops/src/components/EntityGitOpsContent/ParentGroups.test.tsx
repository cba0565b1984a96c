import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import type {
  ApplicationSetDetail,
  ApplicationSummary,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { GitOpsClient } from '../../api/GitOpsClient';
import { EntityGitOpsCard } from '../EntityGitOpsCard/EntityGitOpsCard';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import {
  BASE_URL,
  ENTITY_APPS_URL,
  makeApp,
  makeDetail,
  makeEntity,
  makeResponse,
} from '../../__testUtils__/fixtures';
import { accessibilityViolations } from '../../__testUtils__/axe';

const server = setupServer();
registerMswTestHooks(server);

const SET = { kind: 'ApplicationSet' as const, name: 'payments-previews' };
const apps: ApplicationSummary[] = [
  makeApp({ name: 'payments-dev' }),
  makeApp({
    name: 'payments-preview-login',
    environment: 'preview',
    parent: SET,
  }),
  makeApp({
    name: 'payments-preview-search',
    environment: 'preview',
    parent: SET,
    sync: { status: 'OutOfSync' },
    health: { status: 'Degraded' },
  }),
  makeApp({
    name: 'payments-staging',
    environment: 'staging',
    parent: { kind: 'Application', name: 'payments-envs' },
  }),
];

const detail: ApplicationSetDetail = {
  name: 'payments-previews',
  namespace: 'argocd',
  project: 'tenant-acme',
  templateName: 'payments-preview-{{path.basename}}',
  applicationsSync: 'sync',
  health: {
    status: 'Healthy',
    message: 'All applications have been generated successfully',
  },
  conditions: [
    {
      type: 'ResourcesUpToDate',
      status: 'True',
      reason: 'ApplicationSetUpToDate',
      message: 'All applications have been generated successfully',
      lastTransitionTime: new Date(Date.now() - 60_000).toISOString(),
    },
  ],
  generators: [
    {
      type: 'git',
      repoURL: 'https://github.com/acme/payments-deploy.git',
      revision: 'main',
      directories: [
        { path: 'previews/*' },
        { path: 'previews/_*', exclude: true },
      ],
    },
  ],
  members: [
    { name: 'payments-preview-login', sync: 'Synced', health: 'Healthy' },
    { name: 'payments-preview-search', sync: 'OutOfSync', health: 'Degraded' },
  ],
};

function serve() {
  const setReads: string[] = [];
  server.use(
    http.get(ENTITY_APPS_URL, () => HttpResponse.json(makeResponse(apps))),
    http.get(`${BASE_URL}/events`, () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'nope' } },
        { status: 404 },
      ),
    ),
    http.get(`${BASE_URL}/instances/main/applications/:name`, ({ params }) =>
      HttpResponse.json(makeDetail(apps.find(a => a.name === params.name)!)),
    ),
    // The tab's other panels read these too; they are not what this test is about.
    http.get(
      `${BASE_URL}/entities/default/component/payments/quarantines`,
      () => HttpResponse.json({ items: [] }),
    ),
    http.get(`${BASE_URL}/instances/main/applications/:name/resources`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(`${BASE_URL}/instances/main/applications/:name/rollouts`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(`${BASE_URL}/instances/main/applications/:name/promotion`, () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'no promotion' } },
        { status: 404 },
      ),
    ),
    http.get(
      `${BASE_URL}/instances/main/applications/:name/applicationset`,
      ({ params }) => {
        setReads.push(String(params.name));
        return HttpResponse.json(detail);
      },
    ),
  );
  return setReads;
}

function apis() {
  const client = new GitOpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  return [
    [gitOpsApiRef, client],
    [scmIntegrationsApiRef, ScmIntegrationsApi.fromConfig(mockApis.config())],
    mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
  ] as const;
}

// Rendering the whole tab takes a while on a busy machine.
jest.setTimeout(90_000);

describe('ApplicationSets and app-of-apps roll-up', () => {
  it('shows a set on the card as one line with its count and worst state, opening into its members', async () => {
    serve();
    const { container } = await renderInTestApp(
      <EntityProvider entity={makeEntity()}>
        <EntityGitOpsCard />
      </EntityProvider>,
      { apis: apis() as any },
    );
    const group = await screen.findByRole('rowgroup', {
      name: 'ApplicationSet payments-previews',
    });
    const toggle = within(group).getByRole('button', {
      name: /payments-previews/,
    });
    expect(toggle).toHaveTextContent('2 applications');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(within(group).getByTestId('rollup-status')).toHaveTextContent(
      'Degraded (1 of 2)',
    );
    // Members are not rows of their own until the set is opened.
    expect(screen.getAllByTestId('gitops-app-row')).toHaveLength(1);
    await userEvent.click(toggle);
    expect(
      within(group)
        .getAllByTestId('gitops-app-row')
        .map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual([
      expect.stringContaining('payments-preview-login'),
      expect.stringContaining('payments-preview-search'),
    ]);
    expect(
      screen.getByRole('rowgroup', { name: 'App of apps payments-envs' }),
    ).toHaveTextContent('1 application');
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it("shows the set's status, conditions and generator parameters on the tab, read through a member", async () => {
    const setReads = serve();
    const { container } = await renderInTestApp(
      <EntityProvider entity={makeEntity()}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { apis: apis() as any },
    );
    const section = await screen.findByRole('region', {
      name: 'ApplicationSet payments-previews',
    });
    // The overview lists only apps that stand alone; members roll up under their set.
    expect(screen.getAllByTestId('overview-row')).toHaveLength(1);
    await userEvent.click(
      within(section).getByRole('button', { name: 'payments-previews' }),
    );
    expect(within(section).getAllByTestId('gitops-member-row')).toHaveLength(2);
    const condition = await within(section).findByTestId('appset-condition');
    expect(condition).toHaveTextContent('ResourcesUpToDate');
    expect(condition).toHaveTextContent('ApplicationSetUpToDate');
    expect(
      within(section).getByRole('list', { name: 'git Parameters' }),
    ).toHaveTextContent('previews/*previews/_* (excluded)');
    expect(section).toHaveTextContent('payments-preview-{{path.basename}}');
    expect(setReads[0]).toBe('payments-preview-login');
    expect(await accessibilityViolations(container)).toEqual([]);

    // A member's name opens its detail panel.
    const member = within(section).getByRole('button', {
      name: 'payments-preview-search',
    });
    await userEvent.click(member);
    expect(member).toHaveAttribute('aria-expanded', 'true');
  });
});
