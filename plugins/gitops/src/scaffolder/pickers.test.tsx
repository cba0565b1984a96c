import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GitOpsClusterPicker } from './GitOpsClusterPicker';
import { GitOpsTenantPicker } from './GitOpsTenantPicker';

jest.mock('./useGitOpsTenants', () => ({
  useGitOpsTenants: () => ({
    tenants: [
      {
        name: 'acme',
        project: 'tenant-acme',
        instance: 'sandbox',
        sourceRepos: [],
        clusters: [
          { name: 'dev', cluster: 'acme-dev' },
          { name: 'prod', cluster: 'acme-prod' },
        ],
      },
    ],
  }),
}));

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

describe('GitOps scaffolder pickers', () => {
  it('offers only the caller’s tenants, labelled by the field title', async () => {
    const props = fieldProps({
      schema: { title: 'Tenant' },
      idSchema: { $id: 'root_tenant' },
    });
    render(<GitOpsTenantPicker {...props} />);
    await userEvent.click(screen.getByRole('button', { name: /Tenant/ }));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['acme']);
    await userEvent.click(options[0]);
    expect(props.onChange).toHaveBeenCalledWith('acme');
  });

  it('selects clusters by short name, the value the Application action and the template default use', async () => {
    const props = fieldProps({
      formData: 'dev',
      schema: { title: 'Cluster' },
      idSchema: { $id: 'root_environments_0_cluster' },
      formContext: { formData: { tenant: 'acme' } },
    });
    render(<GitOpsClusterPicker {...props} />);
    const select = screen.getByRole('button', { name: /Cluster/ });
    expect(select).toHaveTextContent('dev (acme-dev)');
    await userEvent.click(select);
    await userEvent.click(
      screen.getByRole('option', { name: 'prod (acme-prod)' }),
    );
    expect(props.onChange).toHaveBeenCalledWith('prod');
  });
});
