import type {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ArgoCdService, TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { GitOperations } from '../gitOperations/GitOperations';
import { ValidationNotifier } from '../rolloutValidation/ValidationNotifier';
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
  catalog: CatalogService;
  auth: AuthService;
  tenants: TenantResolver;
  argoCd: ArgoCdService;
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
    // The validation notifications' way to the owning team.
    recipients: new ValidationNotifier({
      notifications: deps.notifications,
      catalog: deps.catalog,
      auth: deps.auth,
      tenants: deps.tenants,
      logger,
      defaultInstance: deps.argoCd.listInstances()[0]?.name,
    }),
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
