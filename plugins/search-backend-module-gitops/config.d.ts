import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The Argo CD Application collator of Kupe GitOps (document type `argocd-application`). */
      gitops?: {
        /**
         * How often all Argo CD instances are read and re-indexed; default every 10 minutes,
         * timeout 15 minutes, first run 10 seconds after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
