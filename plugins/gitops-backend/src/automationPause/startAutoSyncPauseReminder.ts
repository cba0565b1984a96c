import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ArgoCdService, TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { TeamRecipients } from '../notifications/TeamRecipients';
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
  teams: TeamRecipients;
  tenants: TenantResolver;
  argoCd: ArgoCdService;
  index: ApplicationIndex;
  logger: LoggerService;
}): Promise<void> {
  const options = readAutoSyncPauseOptions(deps.config);
  const logger = deps.logger.child({ feature: 'auto-sync-pause' });
  const reminder = new AutoSyncPauseReminder({
    index: deps.index,
    argoCd: deps.argoCd,
    naming: deps.tenants.naming,
    recipientsOf: app => deps.teams.recipientsOf(app),
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
