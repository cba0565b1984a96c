import { useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { GitOpsLogsClient } from '../../api/GitOpsLogsClient';
import { gitOpsTranslationRef } from '../../translation';
import { PodLogs } from './PodLogs';
import { ResourceEvents } from './ResourceEvents';

/**
 * The app panel's events (read when it opens) and its pods' logs (opened on demand: each read
 * is audited and needs `gitops.application.logs`).
 */
export function LogsAndEvents(props: { app: ApplicationSummary }) {
  const { app } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const client = useMemo(
    () => new GitOpsLogsClient({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
  const [showLogs, setShowLogs] = useState(false);
  return (
    <>
      <Box mt={2}>
        <Typography variant="subtitle1" component="h4">
          {t('logs.events')}
        </Typography>
        <ResourceEvents app={app} client={client} />
      </Box>
      <Box mt={2}>
        <Box display="flex" alignItems="center">
          <Typography variant="subtitle1" component="h4">
            {t('logs.title')}
          </Typography>
          <Box ml={2}>
            <Button
              size="small"
              variant="outlined"
              aria-expanded={showLogs}
              onClick={() => setShowLogs(s => !s)}
            >
              {showLogs ? t('logs.hide') : t('logs.show')}
            </Button>
          </Box>
        </Box>
        {showLogs && <PodLogs app={app} client={client} />}
      </Box>
    </>
  );
}
