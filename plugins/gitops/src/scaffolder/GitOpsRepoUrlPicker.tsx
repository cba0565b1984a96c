import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useGitOpsTenants } from './useGitOpsTenants';

/**
 * Suggests the chosen tenant's repositories (its AppProject sourceRepos without globs or
 * denials); any other URL may be typed, the backend checks it against the same rules.
 */
export function GitOpsRepoUrlPicker(
  props: FieldExtensionComponentProps<string, { tenantField?: string }>,
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
  const { tenants } = useGitOpsTenants();
  const options = (
    tenants?.find(t => t.name === tenantName)?.sourceRepos ?? []
  ).filter(r => !r.startsWith('!') && !/[*?[]/.test(r));
  return (
    <Autocomplete
      freeSolo
      options={options}
      value={formData ?? ''}
      onInputChange={(_e, value) => onChange(value)}
      renderInput={params => (
        <TextField
          {...params}
          margin="normal"
          label={schema.title ?? 'GitOps repository'}
          required={required}
          error={(rawErrors?.length ?? 0) > 0}
          helperText={schema.description}
        />
      )}
    />
  );
}
