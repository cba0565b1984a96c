import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect } from 'react';
import { clustersOfEnvironment, siblingValue } from './environmentClusters';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitOpsTranslationRef } from '../translation';
import { useGitOpsTenants } from './useGitOpsTenants';

/**
 * `ui:options.tenantField`: the form field holding the tenant (default `tenant`);
 * `ui:options.environmentField`: the field beside this one holding the environment (default
 * `name`, as in the template's `environments` items).
 */
export interface GitOpsClusterPickerOptions {
  tenantField?: string;
  environmentField?: string;
}

/**
 * Offers the clusters registered for the environment chosen beside it, of the tenant chosen
 * elsewhere in the form, by short name (`dev`): dev cannot be put on the production cluster.
 * When the environment changes, a cluster of another environment is cleared, and an
 * environment with one cluster gets it chosen.
 */
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
    idSchema,
    name,
  } = props;
  const options = uiSchema?.['ui:options'];
  const allData = formContext?.formData as Record<string, unknown> | undefined;
  const tenantName = allData?.[options?.tenantField ?? 'tenant'];
  const environment = siblingValue(
    allData,
    idSchema?.$id,
    name,
    options?.environmentField ?? 'name',
  );
  const { tenants, error } = useGitOpsTenants();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const tenant = tenants?.find(item => item.name === tenantName);
  const clusters = clustersOfEnvironment(
    tenant?.clusters ?? [],
    typeof environment === 'string' ? environment : undefined,
  );
  const names = clusters.map(c => c.name).join(',');

  useEffect(() => {
    if (!tenant) return;
    const offered = names ? names.split(',') : [];
    if (formData && !offered.includes(formData)) {
      onChange(offered.length === 1 ? offered[0] : undefined);
    } else if (!formData && offered.length === 1) {
      onChange(offered[0]);
    }
    // onChange changes identity on every render of the form
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant, names, formData]);

  let helperText = schema.description;
  if (error) {
    helperText = t('pickers.clustersFailed', { reason: error.message });
  } else if (!tenant) {
    helperText = t('pickers.tenantFirst');
  } else if (typeof environment !== 'string' || !environment) {
    helperText = t('pickers.environmentFirst');
  } else if (clusters.length === 0) {
    helperText = t('pickers.noCluster', {
      tenant: tenant.name,
      environment,
    });
  }
  const value = formData && names.split(',').includes(formData) ? formData : '';
  return (
    <TextField
      select
      // labels the select for assistive technology (and tests) through its InputLabel
      id={idSchema?.$id}
      fullWidth
      margin="normal"
      label={schema.title ?? t('pickers.cluster')}
      required={required}
      value={value}
      onChange={e => onChange(e.target.value)}
      error={
        !!error ||
        (!!tenant && !!environment && clusters.length === 0) ||
        (rawErrors?.length ?? 0) > 0
      }
      helperText={helperText}
      disabled={clusters.length === 0}
    >
      {clusters.map(c => (
        // the short name (dev), which the Application action maps to the cluster (acme-dev)
        <MenuItem key={c.name} value={c.name}>
          {c.name} ({c.cluster})
        </MenuItem>
      ))}
    </TextField>
  );
}
