import { WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { InstanceError } from '@kupe/plugin-gitops-common';
import { formatRelative, formatUtc } from '../../lib/relativeTime';
import { gitOpsTranslationRef } from '../../translation';

/**
 * The Argo CD instances that did not answer, one collapsed line each (which one, since when);
 * the backend's sentence on what that means for the apps shown opens below it.
 */
export function InstanceErrors(props: {
  errors: InstanceError[];
  now?: number;
}) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const now = props.now ?? Date.now();
  if (props.errors.length === 0) return null;
  const title = (error: InstanceError) => {
    const since = formatUtc(error.since);
    return since
      ? t('messages.unreachableSince', {
          instance: error.instance,
          since,
          relative: formatRelative(error.since, now) ?? '',
        })
      : t('messages.unreachable', { instance: error.instance });
  };
  return (
    <>
      {props.errors.map(e => (
        <div key={e.instance} data-testid="instance-error">
          <WarningPanel
            severity="warning"
            title={title(e)}
            message={e.message}
          />
        </div>
      ))}
    </>
  );
}
