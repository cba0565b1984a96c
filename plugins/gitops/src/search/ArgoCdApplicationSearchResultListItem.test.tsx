import { screen, within } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import type { SearchResult } from '@backstage/plugin-search-common';
import { SearchResultListItemBlueprint } from '@backstage/plugin-search-react/alpha';
import { accessibilityViolations } from '../__testUtils__/axe';
import { ArgoCdApplicationSearchResultListItem } from './ArgoCdApplicationSearchResultListItem';
import { argoCdApplicationSearchResultListItem } from './extensions';

const PRE = '<abc-pre>';
const POST = '</abc-pre>';

const document = {
  title: 'acme-web-dev',
  text: [
    'acme-web-dev',
    'tenant acme',
    'project tenant-acme',
    'environment dev',
    'cluster acme-dev',
    'namespace acme-web',
    'images registry.acme.example/acme-web:1.3.0 acme-web:1.3.0 1.3.0',
    'sync Synced',
    'health Healthy',
  ].join('\n'),
  location: '/catalog/default/component/acme-web/gitops',
  instance: 'sandbox',
  appNamespace: 'argocd',
  project: 'tenant-acme',
  tenant: 'acme',
  environment: 'dev',
  cluster: 'acme-dev',
  namespace: 'acme-web',
  repoURL: 'http://git.example/acme/gitops',
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  entityRef: 'component:default/acme-web',
};

const highlight = {
  preTag: PRE,
  postTag: POST,
  fields: {
    text: document.text.replace(/1\.3\.0/g, `${PRE}1.3.0${POST}`),
  },
};

describe('ArgoCdApplicationSearchResultListItem', () => {
  it('shows the app, where it runs, whose it is and its status, linked to its GitOps tab', async () => {
    const { container } = renderInTestApp(
      <ArgoCdApplicationSearchResultListItem result={document} />,
    );

    const link = await screen.findByRole('link', { name: 'acme-web-dev' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/acme-web/gitops',
    );
    const item = screen.getByTestId('argocd-application-result');
    expect(item).toHaveTextContent('Environment: dev');
    expect(item).toHaveTextContent('Cluster: acme-dev / acme-web');
    expect(item).toHaveTextContent('Tenant: acme');
    expect(within(item).getByTestId('sync-status')).toHaveTextContent(
      'Sync: Synced',
    );
    expect(within(item).getByTestId('health-status')).toHaveTextContent(
      'Health: Healthy',
    );
    // Without a match, the field dump of the text is left out.
    expect(
      screen.queryByTestId('argocd-application-result-match'),
    ).not.toBeInTheDocument();
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it('flags an app that runs quarantined versions, naming them', async () => {
    const quarantined = {
      ...document,
      quarantinedVersions: '2.0.0-broken,9f2c1ab',
    };
    const { container } = renderInTestApp(
      <ArgoCdApplicationSearchResultListItem result={quarantined} />,
    );

    const chip = await screen.findByTestId(
      'argocd-application-result-quarantined',
    );
    expect(chip).toHaveTextContent('Quarantined: 2.0.0-broken, 9f2c1ab');
    expect(chip).toHaveAttribute(
      'title',
      'Runs a quarantined release: 2.0.0-broken, 9f2c1ab',
    );
    expect(await accessibilityViolations(container)).toEqual([]);
  });

  it('shows no quarantine chip when the app runs no quarantined version', async () => {
    const none = { ...document, quarantinedVersions: '' };
    renderInTestApp(<ArgoCdApplicationSearchResultListItem result={none} />);

    await screen.findByRole('link', { name: 'acme-web-dev' });
    expect(
      screen.queryByTestId('argocd-application-result-quarantined'),
    ).not.toBeInTheDocument();
  });

  it('shows the matching lines of the text with the match marked', async () => {
    renderInTestApp(
      <ArgoCdApplicationSearchResultListItem
        result={document}
        highlight={highlight}
      />,
    );

    const match = await screen.findByTestId('argocd-application-result-match');
    expect(match).toHaveTextContent(
      'images registry.acme.example/acme-web:1.3.0 acme-web:1.3.0 1.3.0',
    );
    expect(match).not.toHaveTextContent('tenant acme');
    expect(within(match).getAllByText('1.3.0')).toHaveLength(3);
    for (const marked of within(match).getAllByText('1.3.0')) {
      expect(marked.tagName).toBe('MARK');
    }
    expect(match).not.toHaveTextContent(PRE);
  });

  it('marks the matched part of the name', async () => {
    renderInTestApp(
      <ArgoCdApplicationSearchResultListItem
        result={document}
        highlight={{
          preTag: PRE,
          postTag: POST,
          fields: { title: `${PRE}acme${POST}-web-dev` },
        }}
      />,
    );

    const link = await screen.findByRole('link', { name: 'acme-web-dev' });
    expect(within(link).getByText('acme').tagName).toBe('MARK');
  });

  it('shows unknown statuses and leaves out unknown places', async () => {
    const orphan = {
      ...document,
      title: 'orphan',
      location: 'https://argocd.example.com/applications/team-apps/orphan',
      tenant: '',
      environment: '',
      namespace: '',
      cluster: 'https://kubernetes.default.svc',
      syncStatus: '',
      healthStatus: '',
    };
    renderInTestApp(<ArgoCdApplicationSearchResultListItem result={orphan} />);

    const link = await screen.findByRole('link', { name: /orphan/ });
    expect(link).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/team-apps/orphan',
    );
    const item = screen.getByTestId('argocd-application-result');
    expect(item).toHaveTextContent('Cluster: https://kubernetes.default.svc');
    expect(item).not.toHaveTextContent('Environment:');
    expect(item).not.toHaveTextContent('Tenant:');
    expect(within(item).getByTestId('sync-status')).toHaveTextContent(
      'Sync: Unknown',
    );
    expect(within(item).getByTestId('health-status')).toHaveTextContent(
      'Health: Unknown',
    );
  });

  it('renders nothing without a result', async () => {
    renderInTestApp(
      <div data-testid="host">
        <ArgoCdApplicationSearchResultListItem />
      </div>,
    );
    expect(await screen.findByTestId('host')).toBeEmptyDOMElement();
  });
});

describe('argoCdApplicationSearchResultListItem extension', () => {
  const item = createExtensionTester(argoCdApplicationSearchResultListItem).get(
    SearchResultListItemBlueprint.dataRefs.item,
  );

  it('takes the argocd-application results and no others', () => {
    const result = (type: string): SearchResult => ({ type, document });
    expect(item.predicate?.(result('argocd-application'))).toBe(true);
    expect(item.predicate?.(result('software-catalog'))).toBe(false);
    expect(item.predicate?.(result('techdocs'))).toBe(false);
  });

  it('renders a result as a list item of the search page', async () => {
    const Item = item.component;
    renderInTestApp(
      <ul>
        <Item result={document} highlight={highlight} rank={1} />
      </ul>,
    );

    const listItem = await screen.findByRole('listitem');
    expect(
      within(listItem).getByRole('link', { name: 'acme-web-dev' }),
    ).toHaveAttribute('href', '/catalog/default/component/acme-web/gitops');
    expect(within(listItem).getByTestId('sync-status')).toHaveTextContent(
      'Synced',
    );
  });
});
