import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { GitOperations } from '../gitOperations/GitOperations';
import type { TeamRecipients } from '../notifications/TeamRecipients';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import type { ApplicationDetails } from '../service/ApplicationDetails';
import type { EntityApplications } from '../service/EntityApplications';
import { QuarantineChecks } from './QuarantineChecks';
import { QuarantineNotifier } from './QuarantineNotifier';
import { QuarantineService } from './QuarantineService';
import { QuarantineStore } from './QuarantineStore';
import { ReleaseQuarantine } from './ReleaseQuarantine';

/**
 * Quarantined releases on the plugin's database (its tables are migrated with the rollouts',
 * see startValidation, which runs first): the routes' service and the one check promotions,
 * rollbacks and reverts go through.
 */
export async function startQuarantine(deps: {
  database: DatabaseService;
  notifications: NotificationService;
  teams: TeamRecipients;
  tenants: TenantResolver;
  index: ApplicationIndex;
  access: ApplicationAccess;
  entityApplications: EntityApplications;
  details: ApplicationDetails;
  gitOperations: GitOperations;
  logger: LoggerService;
}): Promise<{ quarantines: QuarantineService; quarantine: QuarantineChecks }> {
  const store = new QuarantineStore(await deps.database.getClient());
  const logger = deps.logger.child({ feature: 'release-quarantine' });
  const notifications = new QuarantineNotifier({
    recipients: deps.teams,
    notifications: deps.notifications,
    logger,
  });
  return {
    quarantines: new QuarantineService({
      store,
      index: deps.index,
      access: deps.access,
      entityApplications: deps.entityApplications,
      tenants: deps.tenants,
      details: deps.details,
      gitOperations: deps.gitOperations,
      notifications,
    }),
    quarantine: new QuarantineChecks({
      quarantine: new ReleaseQuarantine(store),
      gitOperations: deps.gitOperations,
    }),
  };
}
