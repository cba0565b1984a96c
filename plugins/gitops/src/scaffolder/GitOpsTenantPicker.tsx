import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useGitOpsTenants } from './useGitOpsTenants';

/** Offers only the tenants the signed-in user belongs to. */
export function GitOpsTenantPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const { formData, onChange, schema, required, rawErrors, uiSchema } = props;
  const { tenants, error } = useGitOpsTenants();
  let helperText = schema.description;
  if (error) {
    helperText = `Could not load your tenants: ${error.message}`;
  } else if (tenants?.length === 0) {
    helperText = 'You belong to no tenant; ask the platform team';
  }
  return (
    <TextField
      select
      // labels the select for assistive technology (and tests) through its InputLabel
      id={props.idSchema?.$id}
      fullWidth
      margin="normal"
      label={schema.title ?? 'Tenant'}
      required={required}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value)}
      error={!!error || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      disabled={!tenants || uiSchema?.['ui:disabled'] === true}
    >
      {(tenants ?? []).map(t => (
        <MenuItem key={t.name} value={t.name}>
          {t.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
