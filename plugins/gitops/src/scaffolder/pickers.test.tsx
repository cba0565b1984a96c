import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, mockApis } from '@backstage/frontend-test-utils';
import { GitOpsClusterPicker } from './GitOpsClusterPicker';
import { GitOpsRepoUrlPicker } from './GitOpsRepoUrlPicker';
import { GitOpsTenantPicker } from './GitOpsTenantPicker';

jest.mock('./useGitOpsTenants', () => ({
  useGitOpsTenants: () => ({
    tenants: [
      {
        name: 'acme',
        project: 'tenant-acme',
        instance: 'sandbox',
        sourceRepos: [
          'https://github.example.com/acme/gitops',
          'http://localhost:7008/git/acme/*',
          '!http://localhost:7008/git/acme/secret-*',
        ],
        clusters: [
          { name: 'dev', cluster: 'acme-dev' },
          { name: 'staging', cluster: 'acme-staging' },
          { name: 'prod', cluster: 'acme-prod' },
          { name: 'prod-eu', cluster: 'acme-prod-eu' },
        ],
      },
    ],
  }),
}));

/** A picker with the APIs a scaffolder form gives it: the plugin's texts come from the translation API. */
function renderPicker(element: JSX.Element) {
  return render(
    <TestApiProvider apis={[mockApis.translation(), mockApis.error()]}>
      {element}
    </TestApiProvider>,
  );
}

function fieldProps(overrides: Record<string, unknown>) {
  return {
    onChange: jest.fn(),
    schema: {},
    required: true,
    rawErrors: [],
    uiSchema: {},
    ...overrides,
  } as any;
}

function clusterProps(environment: string, cluster?: string) {
  return fieldProps({
    formData: cluster,
    name: 'cluster',
    schema: { title: 'Cluster' },
    uiSchema: { 'ui:options': { environmentField: 'name' } },
    idSchema: { $id: 'root_environments_1_cluster' },
    formContext: {
      formData: {
        tenant: 'acme',
        environments: [
          { name: 'dev', cluster: 'dev' },
          { name: environment, cluster },
        ],
      },
    },
  });
}

describe('GitOps scaffolder pickers', () => {
  it('offers only the caller’s tenants, labelled by the field title', async () => {
    const props = fieldProps({
      schema: { title: 'Tenant' },
      idSchema: { $id: 'root_tenant' },
    });
    renderPicker(<GitOpsTenantPicker {...props} />);
    await userEvent.click(screen.getByRole('button', { name: /Tenant/ }));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['acme']);
    await userEvent.click(options[0]);
    expect(props.onChange).toHaveBeenCalledWith('acme');
  });

  it('selects clusters by short name, the value the Application action and the template default use', async () => {
    const props = clusterProps('production', 'prod');
    renderPicker(<GitOpsClusterPicker {...props} />);
    const select = screen.getByRole('button', { name: /Cluster/ });
    expect(select).toHaveTextContent('prod (acme-prod)');
    await userEvent.click(select);
    await userEvent.click(
      screen.getByRole('option', { name: 'prod-eu (acme-prod-eu)' }),
    );
    expect(props.onChange).toHaveBeenCalledWith('prod-eu');
  });

  it.each([
    ['dev', ['dev (acme-dev)']],
    ['staging', ['staging (acme-staging)']],
    ['production', ['prod (acme-prod)', 'prod-eu (acme-prod-eu)']],
  ])(
    'offers an environment (%s) only the clusters registered for it',
    async (environment, offered) => {
      renderPicker(<GitOpsClusterPicker {...clusterProps(environment)} />);
      await userEvent.click(screen.getByRole('button', { name: /Cluster/ }));
      const options = within(screen.getByRole('listbox')).getAllByRole(
        'option',
      );
      expect(options.map(o => o.textContent)).toEqual(offered);
    },
  );

  it('clears a cluster of another environment, choosing the only one the new environment has', () => {
    const props = clusterProps('dev', 'prod');
    renderPicker(<GitOpsClusterPicker {...props} />);
    expect(props.onChange).toHaveBeenCalledWith('dev');
    expect(props.onChange).not.toHaveBeenCalledWith('prod');
    expect(
      screen.getByRole('button', { name: /Cluster/ }),
    ).not.toHaveTextContent('acme-prod');
  });

  it('says so when no cluster is registered for the environment, and offers none', () => {
    const props = clusterProps('test', 'dev');
    renderPicker(<GitOpsClusterPicker {...props} />);
    expect(props.onChange).toHaveBeenCalledWith(undefined);
    expect(
      screen.getByText(
        'Tenant acme has no cluster for test; ask the platform team to register one',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Cluster/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  function repoProps(formData?: string) {
    return fieldProps({
      formData,
      name: 'repoUrl',
      schema: { title: 'GitOps repository', description: 'The repository' },
      idSchema: { $id: 'root_repoUrl' },
      formContext: { formData: { tenant: 'acme' } },
    });
  }

  it('offers the tenant’s repositories: exact ones, and a glob rule as the prefix to complete', async () => {
    const props = repoProps();
    renderPicker(<GitOpsRepoUrlPicker {...props} />);
    await userEvent.click(
      screen.getByRole('textbox', { name: /GitOps repository/ }),
    );
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'https://github.example.com/acme/gitops',
      'http://localhost:7008/git/acme/… (complete the name)',
    ]);
    await userEvent.click(options[1]);
    expect(props.onChange).toHaveBeenLastCalledWith(
      'http://localhost:7008/git/acme/',
    );
  });

  it('asks to complete a chosen prefix', () => {
    renderPicker(
      <GitOpsRepoUrlPicker {...repoProps('http://localhost:7008/git/acme/')} />,
    );
    expect(
      screen.getByText('Complete the repository name'),
    ).toBeInTheDocument();
  });

  it.each([
    'http://localhost:7008/git/globex/gitops',
    'http://localhost:7008/git/acme/secret-store',
  ])('flags %s, which the AppProject does not allow', url => {
    renderPicker(<GitOpsRepoUrlPicker {...repoProps(url)} />);
    expect(
      screen.getByText(
        /^Not a repository of tenant acme: its AppProject allows/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox')).toHaveAttribute('aria-invalid', 'true');
  });

  it('accepts a completed name the glob allows, with the field’s own help text', () => {
    renderPicker(
      <GitOpsRepoUrlPicker
        {...repoProps('http://localhost:7008/git/acme/gitops.git')}
      />,
    );
    expect(screen.getByText('The repository')).toBeInTheDocument();
    expect(screen.getByRole('textbox')).toHaveAttribute(
      'aria-invalid',
      'false',
    );
  });
});
