import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { isRepositoryAllowed, repositoryChoices } from './repositoryChoices';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitOpsTranslationRef } from '../translation';
import { useGitOpsTenants } from './useGitOpsTenants';

/** `ui:options.tenantField`: the form field holding the tenant (default `tenant`). */
export interface GitOpsRepoUrlPickerOptions {
  tenantField?: string;
}

/**
 * Offers the chosen tenant's repositories from its AppProject's sourceRepos: each exact URL, and
 * each glob rule as its fixed start for the user to complete (`…/acme/` then `gitops`). Any URL
 * the rules allow may be typed; one they do not is flagged here, as the backend refuses it.
 */
export function GitOpsRepoUrlPicker(
  props: FieldExtensionComponentProps<string, GitOpsRepoUrlPickerOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    required,
    rawErrors,
    uiSchema,
    formContext,
    idSchema,
  } = props;
  const tenantField = uiSchema?.['ui:options']?.tenantField ?? 'tenant';
  const tenantName = (
    formContext?.formData as Record<string, unknown> | undefined
  )?.[tenantField];
  const { tenants, error } = useGitOpsTenants();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const tenant = tenants?.find(item => item.name === tenantName);
  const sourceRepos = tenant?.sourceRepos ?? [];
  const choices = repositoryChoices(sourceRepos);
  const value = formData ?? '';
  const refused =
    !!tenant && !!value && !isRepositoryAllowed(sourceRepos, value);
  const incomplete = choices.some(c => c.prefix && c.value === value);

  let helperText = schema.description;
  if (error)
    helperText = t('pickers.repositoriesFailed', { reason: error.message });
  else if (!tenant) helperText = t('pickers.tenantFirst');
  else if (incomplete) helperText = t('pickers.incomplete');
  else if (refused)
    helperText = t('pickers.notAllowed', {
      tenant: tenant.name,
      patterns: sourceRepos.join(', '),
    });
  else if (choices.length === 0 && sourceRepos.length > 0)
    helperText = t('pickers.anyMatching', { patterns: sourceRepos.join(', ') });

  return (
    <Autocomplete
      freeSolo
      id={idSchema?.$id}
      options={choices}
      getOptionLabel={option =>
        typeof option === 'string' ? option : option.value
      }
      renderOption={option =>
        option.prefix
          ? t('pickers.completeTheName', { prefix: option.value })
          : option.value
      }
      // a prefix stays open for typing; the list filters as the name is completed
      filterOptions={options =>
        options.filter(o =>
          o.prefix
            ? value.startsWith(o.value) || o.value.startsWith(value)
            : o.value.startsWith(value),
        )
      }
      inputValue={value}
      onInputChange={(_e, input) => onChange(input)}
      disabled={!tenant}
      renderInput={params => (
        <TextField
          {...params}
          margin="normal"
          label={schema.title ?? t('pickers.repository')}
          required={required}
          error={
            !!error || refused || incomplete || (rawErrors?.length ?? 0) > 0
          }
          helperText={helperText}
        />
      )}
    />
  );
}
