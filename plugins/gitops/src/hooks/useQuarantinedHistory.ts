import type { ApplicationRef } from '@kupe/plugin-gitops-common';
import { useEntityQuarantines } from './useEntityQuarantines';

/**
 * The app's history entries that deployed an actively quarantined release: history id → the
 * quarantine's version and reason. Empty while loading, or when the caller may not list the
 * entity's quarantines (the panel says why; the history only marks what it knows).
 */
export function useQuarantinedHistory(
  entityRef: string,
  app: ApplicationRef,
): Map<number, { version: string; reason: string }> {
  const { value } = useEntityQuarantines(entityRef);
  const marks = new Map<number, { version: string; reason: string }>();
  for (const quarantine of value?.items ?? []) {
    if (!quarantine.active) continue;
    for (const deployed of quarantine.deployedIn ?? []) {
      if (
        deployed.historyId !== undefined &&
        deployed.instance === app.instance &&
        deployed.appNamespace === app.appNamespace &&
        deployed.name === app.name
      ) {
        marks.set(deployed.historyId, {
          version: quarantine.version,
          reason: quarantine.reason,
        });
      }
    }
  }
  return marks;
}
