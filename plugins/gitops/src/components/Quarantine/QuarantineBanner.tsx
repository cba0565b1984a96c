import Typography from '@material-ui/core/Typography';
import { WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntityQuarantines } from '../../hooks/useEntityQuarantines';
import { gitOpsTranslationRef } from '../../translation';
import { byWhom, placesOf } from './quarantineText';

/**
 * On the card: each active quarantine of the entity's service that still runs somewhere, as a
 * warning naming the version, the environments and the reason. Nothing while loading, on an
 * error (the card's own request reports those) or when no quarantined version runs.
 * `runningQuarantines` is what the entity's applications answer says of them: at 0 the
 * quarantines are not asked for (until they change on the page); absent, they are.
 */
export function QuarantineBanner(props: {
  entityRef: string;
  runningQuarantines?: number;
}) {
  const { value } = useEntityQuarantines(props.entityRef, {
    noneRunning: props.runningQuarantines === 0,
  });
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const running = (value?.items ?? []).filter(
    q => q.active && q.runningIn.length > 0,
  );
  if (running.length === 0) return null;
  return (
    <div data-testid="quarantine-banner">
      {running.map(q => (
        <WarningPanel
          key={q.id}
          severity="error"
          title={t('quarantine.stillRuns', {
            version: q.version,
            places: placesOf(q.runningIn),
          })}
        >
          <Typography variant="body2">{byWhom(t, q)}</Typography>
        </WarningPanel>
      ))}
    </div>
  );
}
