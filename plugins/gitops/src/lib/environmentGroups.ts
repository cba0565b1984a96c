import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { deployedRevisionOf, pendingTargetOf } from './revisions';
import {
  compareEnvironments,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';

/** Label of apps that carry no environment label; sorts after every real environment. */
export const NO_ENVIRONMENT = 'unlabelled';

export interface EnvironmentGroup {
  environment: string;
  apps: ApplicationSummary[];
}

/** Groups apps by canonical environment, in promotion order (dev → staging → production). */
export function groupByEnvironment(
  apps: readonly ApplicationSummary[],
): EnvironmentGroup[] {
  const groups = new Map<string, ApplicationSummary[]>();
  for (const app of apps) {
    const env = app.environment
      ? normalizeEnvironment(app.environment)
      : NO_ENVIRONMENT;
    groups.set(env, [...(groups.get(env) ?? []), app]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => {
      if (a === NO_ENVIRONMENT || b === NO_ENVIRONMENT) {
        return Number(a === NO_ENVIRONMENT) - Number(b === NO_ENVIRONMENT);
      }
      return compareEnvironments(a, b);
    })
    .map(([environment, list]) => ({
      environment,
      apps: [...list].sort((x, y) => x.name.localeCompare(y.name)),
    }));
}

export interface PipelineStage {
  environment: string;
  /** What runs (deployed revisions), not what Argo CD compares against. */
  revisions: string[];
  /** Revisions OutOfSync apps would move to with a sync, when they differ from what runs. */
  targets: string[];
  images: string[];
  /** The previous environment, when this one deploys something different from it. */
  behind?: {
    environment: string;
    revisionDiffers: boolean;
    imagesDiffer: boolean;
  };
}

/**
 * What each environment runs and whether it lags the one before it: an environment whose
 * revisions or images differ from its predecessor's has not received that promotion yet.
 */
export function environmentPipeline(
  apps: readonly ApplicationSummary[],
): PipelineStage[] {
  const stages: PipelineStage[] = groupByEnvironment(apps).map(
    ({ environment, apps: list }) => ({
      environment,
      revisions: unique(list.map(deployedRevisionOf).filter(isString)),
      targets: unique(list.map(pendingTargetOf).filter(isString)),
      images: unique(list.flatMap(a => a.images)),
    }),
  );
  return stages.map((stage, index) => {
    const previous = stages[index - 1];
    if (!previous || stage.environment === NO_ENVIRONMENT) return stage;
    const revisionDiffers = !sameSet(stage.revisions, previous.revisions);
    const imagesDiffer = !sameSet(stage.images, previous.images);
    return revisionDiffers || imagesDiffer
      ? {
          ...stage,
          behind: {
            environment: previous.environment,
            revisionDiffers,
            imagesDiffer,
          },
        }
      : stage;
  });
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
