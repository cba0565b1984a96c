import Alert from '@material-ui/lab/Alert';
import type { InstanceError } from '@kupe/plugin-gitops-common';

/** Unreachable instances: the apps shown are only those of the instances that answered. */
export function InstanceErrors(props: { errors: InstanceError[] }) {
  if (props.errors.length === 0) return null;
  return (
    <>
      {props.errors.map(e => (
        <Alert key={e.instance} severity="warning" data-testid="instance-error">
          Argo CD instance <strong>{e.instance}</strong> is unreachable; its
          applications may be missing or out of date. {e.message}
        </Alert>
      ))}
    </>
  );
}
