import {
  type DatabaseService,
  type LifecycleService,
  type LoggerService,
  type SchedulerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import { AlertMonitor } from './AlertMonitor';
import { RolloutFollower } from './RolloutFollower';
import { RolloutStore } from './RolloutStore';
import { DeploymentLog } from '../dora/DeploymentLog';
import { readValidationOptions } from './ValidationOptions';
import { ValidationNotifier } from './ValidationNotifier';
import type { TeamRecipients } from '../notifications/TeamRecipients';

const MIGRATIONS = resolvePackagePath(
  '@kupe/plugin-gitops-backend',
  'migrations',
);

/**
 * Post-deploy validation: migrates the plugin's tables, follows every rollout the index
 * sees, and schedules the cluster-wide threshold check. Returns the stores the routes read:
 * the rollouts, and the deployments kept for DORA figures.
 */
export async function startValidation(deps: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  notifications: NotificationService;
  teams: TeamRecipients;
  index: ApplicationIndex;
  logger: LoggerService;
  lifecycle: LifecycleService;
}): Promise<{ rollouts: RolloutStore; deployments: DeploymentLog }> {
  const options = readValidationOptions(deps.config);
  const db = await deps.database.getClient();
  if (!deps.database.migrations?.skip) {
    await db.migrate.latest({ directory: MIGRATIONS });
  }
  const store = new RolloutStore(db, options);
  const deployments = new DeploymentLog(db);
  if (!options.enabled) return { rollouts: store, deployments };

  const logger = deps.logger.child({ feature: 'rollout-validation' });
  const notifier = new ValidationNotifier({
    recipients: deps.teams,
    notifications: deps.notifications,
    logger,
  });
  const follower = new RolloutFollower({
    index: deps.index,
    store,
    notifier,
    deployments,
    options,
    logger,
  });
  const monitor = new AlertMonitor({
    index: deps.index,
    store,
    notifier,
    options,
    logger,
  });
  await deps.scheduler.scheduleTask({
    id: 'gitops-validation-alerts',
    // One replica at a time, cluster-wide.
    scope: 'global',
    frequency: { milliseconds: options.checkIntervalMs },
    timeout: { minutes: 5 },
    initialDelay: { milliseconds: options.checkIntervalMs },
    fn: async () => {
      const sent = await monitor.run();
      if (sent > 0)
        logger.info(`Sent ${sent} unhealthy-application notifications`);
    },
  });
  follower.start();
  deps.lifecycle.addShutdownHook(() => follower.stop());
  return { rollouts: store, deployments };
}
