import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitOpsTranslationRef } from '../translation';
import { useGitOpsTenants } from './useGitOpsTenants';

/** Offers only the tenants the signed-in user belongs to. */
export function GitOpsTenantPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const { formData, onChange, schema, required, rawErrors, uiSchema } = props;
  const { tenants, error } = useGitOpsTenants();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  let helperText = schema.description;
  if (error) {
    helperText = t('pickers.tenantsFailed', { reason: error.message });
  } else if (tenants?.length === 0) {
    helperText = t('pickers.noTenant');
  }
  return (
    <TextField
      select
      // labels the select for assistive technology (and tests) through its InputLabel
      id={props.idSchema?.$id}
      fullWidth
      margin="normal"
      label={schema.title ?? t('pickers.tenant')}
      required={required}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value)}
      error={!!error || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      disabled={!tenants || uiSchema?.['ui:disabled'] === true}
    >
      {(tenants ?? []).map(tenant => (
        <MenuItem key={tenant.name} value={tenant.name}>
          {tenant.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
