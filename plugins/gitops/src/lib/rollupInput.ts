import type {
  ApplicationSummary,
  RollupInput,
} from '@kupe/plugin-gitops-common';

/** The fields of a summary that the shared roll-up reads. */
export function toRollupInput(app: ApplicationSummary): RollupInput {
  return {
    syncStatus: app.sync.status,
    healthStatus: app.health.status,
    operationPhase: app.operation?.phase,
  };
}
