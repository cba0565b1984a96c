import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The form fields of the Kupe GitOps templates (new frontend system): add these extensions to
 * the gitops plugin's `extensions` so the scaffolder page picks them up.
 */
export const gitOpsTenantPickerFormField = FormFieldBlueprint.make({
  name: 'gitops-tenant-picker',
  params: {
    field: () =>
      import('./GitOpsTenantPicker').then(m =>
        createFormField({
          name: 'GitOpsTenantPicker',
          component: m.GitOpsTenantPicker,
        }),
      ),
  },
});

export const gitOpsClusterPickerFormField = FormFieldBlueprint.make({
  name: 'gitops-cluster-picker',
  params: {
    field: () =>
      import('./GitOpsClusterPicker').then(m =>
        createFormField({
          name: 'GitOpsClusterPicker',
          component: m.GitOpsClusterPicker,
        }),
      ),
  },
});

export const gitOpsRepoUrlPickerFormField = FormFieldBlueprint.make({
  name: 'gitops-repo-url-picker',
  params: {
    field: () =>
      import('./GitOpsRepoUrlPicker').then(m =>
        createFormField({
          name: 'GitOpsRepoUrlPicker',
          component: m.GitOpsRepoUrlPicker,
        }),
      ),
  },
});

export const gitOpsScaffolderFormFields = [
  gitOpsTenantPickerFormField,
  gitOpsClusterPickerFormField,
  gitOpsRepoUrlPickerFormField,
];
