import { WarningPanel } from '@backstage/core-components';
import type { InstanceError } from '@kupe/plugin-gitops-common';
import { formatRelative, formatUtc } from '../../lib/relativeTime';

function title(error: InstanceError, now: number): string {
  const since = formatUtc(error.since);
  return since
    ? `Argo CD instance ${
        error.instance
      } is unreachable since ${since} (${formatRelative(error.since, now)})`
    : `Argo CD instance ${error.instance} is unreachable`;
}

/**
 * The Argo CD instances that did not answer, one collapsed line each (which one, since when);
 * the backend's sentence on what that means for the apps shown opens below it.
 */
export function InstanceErrors(props: {
  errors: InstanceError[];
  now?: number;
}) {
  const now = props.now ?? Date.now();
  if (props.errors.length === 0) return null;
  return (
    <>
      {props.errors.map(e => (
        <div key={e.instance} data-testid="instance-error">
          <WarningPanel
            severity="warning"
            title={title(e, now)}
            message={e.message}
          />
        </div>
      ))}
    </>
  );
}
