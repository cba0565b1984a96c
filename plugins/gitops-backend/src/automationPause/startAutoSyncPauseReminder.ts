import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ArgoCdService, TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import { ValidationNotifier } from '../rolloutValidation/ValidationNotifier';
import {
  AutoSyncPauseReminder,
  readAutoSyncPauseOptions,
} from './AutoSyncPauseReminder';

/**
 * Schedules the paused auto-sync reminder as a shared task: one replica at a time,
 * cluster-wide, every `gitops.automationPause.checkInterval`.
 */
export async function startAutoSyncPauseReminder(deps: {
  config: Config;
  scheduler: SchedulerService;
  notifications: NotificationService;
  catalog: CatalogService;
  auth: AuthService;
  tenants: TenantResolver;
  argoCd: ArgoCdService;
  index: ApplicationIndex;
  logger: LoggerService;
}): Promise<void> {
  const options = readAutoSyncPauseOptions(deps.config);
  const logger = deps.logger.child({ feature: 'auto-sync-pause' });
  // Who hears about an app: the same owners post-deploy validation notifies.
  const notifier = new ValidationNotifier({
    notifications: deps.notifications,
    catalog: deps.catalog,
    auth: deps.auth,
    tenants: deps.tenants,
    logger,
    defaultInstance: deps.argoCd.listInstances()[0]?.name,
  });
  const reminder = new AutoSyncPauseReminder({
    index: deps.index,
    argoCd: deps.argoCd,
    naming: deps.tenants.naming,
    recipientsOf: app => notifier.recipientsOf(app),
    notifications: deps.notifications,
    logger,
    options,
  });
  await deps.scheduler.scheduleTask({
    id: 'gitops-auto-sync-pause-reminder',
    scope: 'global',
    frequency: { milliseconds: options.checkIntervalMs },
    timeout: { minutes: 5 },
    initialDelay: { milliseconds: options.checkIntervalMs },
    fn: async () => {
      await reminder.run();
    },
  });
}
