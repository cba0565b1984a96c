import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { gitOpsTranslationRef } from '../../translation';
import { DoraCard } from './DoraCard';

function TenantDora() {
  const { tenant = '' } = useParams();
  const api = useApi(gitOpsApiRef);
  const navigate = useNavigate();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  // The tenants the user may see: their own, every tenant for the platform team.
  const tenants = useAsyncValue(() => api.listTenants(), []);
  const names = [
    ...new Set((tenants.value?.items ?? []).map(item => item.name)),
  ].sort();
  return (
    <>
      {names.length > 1 && (
        <Tabs
          value={names.includes(tenant) ? tenant : false}
          onChange={(_, value) => navigate(`../${value}`)}
          aria-label={t('dora.tenants')}
        >
          {names.map(name => (
            <Tab key={name} value={name} label={name} />
          ))}
        </Tabs>
      )}
      {tenants.error && <ResponseErrorPanel error={tenants.error} />}
      {!tenant && tenants.loading && <Progress />}
      {!tenant && !tenants.loading && names.length === 0 && (
        <Typography>{t('dora.noTenant')}</Typography>
      )}
      {!tenant && names.length > 0 && (
        <Typography>{t('dora.chooseTenant')}</Typography>
      )}
      {tenant && (
        <Box mt={2}>
          <DoraCard
            title={t('dora.tenantTitle', { tenant })}
            load={days => api.getTenantDora(tenant, days)}
            deps={[tenant]}
          />
        </Box>
      )}
    </>
  );
}

/**
 * The platform team's view of DORA figures per tenant (`/gitops/tenants/:tenant`); members
 * of a tenant see their own, other tenants answer as unknown.
 *
 * @public
 */
export function DoraTenantPage() {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('dora.pageTitle')} subtitle={t('dora.pageSubtitle')} />
      <Content>
        <Routes>
          <Route path="/" element={<TenantDora />} />
          <Route path="/:tenant" element={<TenantDora />} />
        </Routes>
      </Content>
    </Page>
  );
}
