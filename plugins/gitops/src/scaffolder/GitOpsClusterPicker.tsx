import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useGitOpsTenants } from './useGitOpsTenants';

/** `ui:options.tenantField`: the form field holding the tenant (default `tenant`). */
export interface GitOpsClusterPickerOptions {
  tenantField?: string;
}

/** Offers the clusters of the tenant chosen elsewhere in the form, by short name (`dev`). */
export function GitOpsClusterPicker(
  props: FieldExtensionComponentProps<string, GitOpsClusterPickerOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    required,
    rawErrors,
    uiSchema,
    formContext,
  } = props;
  const tenantField = uiSchema?.['ui:options']?.tenantField ?? 'tenant';
  const tenantName = (
    formContext?.formData as Record<string, unknown> | undefined
  )?.[tenantField];
  const { tenants, error } = useGitOpsTenants();
  const tenant = tenants?.find(t => t.name === tenantName);
  let helperText = schema.description;
  if (error) {
    helperText = `Could not load your clusters: ${error.message}`;
  } else if (!tenant) {
    helperText = 'Choose a tenant first';
  }
  return (
    <TextField
      select
      // labels the select for assistive technology (and tests) through its InputLabel
      id={props.idSchema?.$id}
      fullWidth
      margin="normal"
      label={schema.title ?? 'Cluster'}
      required={required}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value)}
      error={!!error || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      disabled={!tenant}
    >
      {(tenant?.clusters ?? []).map(c => (
        // the short name (dev), which the Application action maps to the cluster (acme-dev)
        <MenuItem key={c.name} value={c.name}>
          {c.name} ({c.cluster})
        </MenuItem>
      ))}
    </TextField>
  );
}
