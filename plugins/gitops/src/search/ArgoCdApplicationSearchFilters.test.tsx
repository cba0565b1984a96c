import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  MockSearchApi,
  SearchContextProvider,
  searchApiRef,
  useSearch,
} from '@backstage/plugin-search-react';
import {
  EnvironmentSearchFilter,
  HealthStatusSearchFilter,
  SyncStatusSearchFilter,
} from './ArgoCdApplicationSearchFilters';

function Filters() {
  return (
    <>
      <SyncStatusSearchFilter className="filter" />
      <HealthStatusSearchFilter className="filter" />
      <EnvironmentSearchFilter className="filter" />
    </>
  );
}

/** What the search page would query with. */
function Query() {
  const { types, filters } = useSearch();
  return (
    <output data-testid="query">{JSON.stringify({ types, filters })}</output>
  );
}

function renderFilters(initial: {
  types: string[];
  filters: Record<string, string>;
}) {
  return renderInTestApp(
    <SearchContextProvider initialState={{ term: '', ...initial }}>
      <Filters />
      <Query />
    </SearchContextProvider>,
    { apis: [[searchApiRef, new MockSearchApi({ results: [] })]] },
  );
}

const query = () => JSON.parse(screen.getByTestId('query').textContent!);

describe('Argo CD application search filters', () => {
  it('filter Argo CD application results by sync status, health and environment', async () => {
    renderFilters({ types: ['argocd-application'], filters: {} });

    expect(await screen.findByText('Sync status')).toBeInTheDocument();
    expect(screen.getByText('Health status')).toBeInTheDocument();
    expect(screen.getByText('Environment')).toBeInTheDocument();

    const selects = screen.getAllByTestId('search-selectfilter-next');
    await userEvent.click(within(selects[0]).getByRole('button'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('OutOfSync'),
    );
    await userEvent.click(within(selects[1]).getByRole('button'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('Degraded'),
    );
    await userEvent.click(within(selects[2]).getByRole('button'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('production'),
    );

    await waitFor(() =>
      expect(query().filters).toEqual({
        syncStatus: 'OutOfSync',
        healthStatus: 'Degraded',
        environment: 'production',
      }),
    );
  });

  it('are hidden for other result types and drop their values there', async () => {
    renderFilters({
      types: ['software-catalog'],
      filters: { syncStatus: 'Synced', kind: 'Component' },
    });

    await waitFor(() => expect(query().filters).toEqual({ kind: 'Component' }));
    expect(screen.queryByText('Sync status')).not.toBeInTheDocument();
    expect(screen.queryByText('Health status')).not.toBeInTheDocument();
    expect(screen.queryByText('Environment')).not.toBeInTheDocument();
  });
});
