import Box from '@material-ui/core/Box';
import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  type ApplicationSummary,
  resolveDashboardLinks,
} from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';

/**
 * "Metrics" and "Alerts" of one environment, from the entity's `kupe.cloud/metrics-url` and
 * `kupe.cloud/alerts-url` annotations (or their `.<environment>` variants). Only http(s)
 * URLs are rendered; nothing shows when the entity has no such annotation.
 */
export function DashboardLinks(props: {
  environment: string;
  apps: ApplicationSummary[];
}) {
  const { entity } = useEntity();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const app = props.apps[0];
  const links = resolveDashboardLinks(entity, {
    environment: props.environment,
    tenant: app?.tenant,
    app: app?.name,
  });
  if (!links.metricsUrl && !links.alertsUrl) return null;
  return (
    <Box display="flex" style={{ gap: 12 }} mt={1}>
      {links.metricsUrl && (
        <Link
          to={links.metricsUrl}
          aria-label={t('dashboards.metricsLabel', {
            environment: props.environment,
          })}
        >
          {t('dashboards.metrics')}
        </Link>
      )}
      {links.alertsUrl && (
        <Link
          to={links.alertsUrl}
          aria-label={t('dashboards.alertsLabel', {
            environment: props.environment,
          })}
        >
          {t('dashboards.alerts')}
        </Link>
      )}
    </Box>
  );
}
