import {
  type EnvironmentVersion,
  type PromotionPreview,
  isProductionEnvironment,
} from '@kupe/plugin-gitops-common';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import { type EnvironmentFiles, versionLabel } from './environmentVersion';
import { refOf } from './nextApplication';
import type { PromotionPlan } from './promotionPlanner';

export function toVersion(
  files: EnvironmentFiles,
  revision: string | undefined,
): EnvironmentVersion {
  return {
    layout: files.layout,
    ...(files.layoutReader ? { layoutReader: files.layoutReader } : {}),
    ...(revision ? { revision } : {}),
    images: files.images,
    ...(files.chartVersion ? { chartVersion: files.chartVersion } : {}),
    ...(files.chart ? { chart: files.chart } : {}),
    ...(files.chartDependencies?.length
      ? { chartDependencies: files.chartDependencies }
      : {}),
    label: versionLabel(files, revision),
    files: files.versionFiles,
  };
}

/** The version of an environment that runs nothing yet; `files` are still where it is set. */
function neverDeployedVersion(files: EnvironmentFiles): EnvironmentVersion {
  return {
    layout: files.layout,
    ...(files.layoutReader ? { layoutReader: files.layoutReader } : {}),
    images: [],
    label: 'never deployed',
    files: files.versionFiles,
  };
}

/** The preview of a plan as the API shows it; commits, files and the diff are the caller's to add from git. */
export function previewOf(
  app: IndexedApplication,
  next: { app: IndexedApplication; neverDeployed: boolean } | undefined,
  plan: PromotionPlan,
  revisions: { app?: string; next?: string },
): PromotionPreview {
  const code = plan.blocked?.code;
  const preview: PromotionPreview = {
    application: refOf(app),
    environment: app.environment ?? '',
    version:
      code === 'never-deployed'
        ? neverDeployedVersion(plan.version)
        : toVersion(plan.version, revisions.app),
    commits: [],
    changes: plan.changes,
    files: [],
    diff: '',
    promotable: false,
    requiresApproval: false,
    downgrades: plan.downgrades,
  };
  if (next && plan.nextVersion) {
    preview.next = {
      application: refOf(next.app),
      environment: next.app.environment!,
      // Never synced: it runs nothing, not the branch head.
      version: next.neverDeployed
        ? neverDeployedVersion(plan.nextVersion)
        : toVersion(plan.nextVersion, revisions.next),
      syncPolicy: next.app.syncPolicy,
    };
    preview.requiresApproval = isProductionEnvironment(next.app.environment!);
  }
  if (plan.chartChanges) preview.chartChanges = plan.chartChanges;
  if (plan.blocked) preview.reason = plan.blocked.message;
  return preview;
}
