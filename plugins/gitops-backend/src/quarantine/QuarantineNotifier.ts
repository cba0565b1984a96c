import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type {
  AppRecipients,
  TeamRecipients,
} from '../notifications/TeamRecipients';
import type { QuarantineNotifications } from './QuarantineService';
import type { StoredQuarantine } from './QuarantineStore';

const MAX_DESCRIPTION = 1_000;

/**
 * Tells the teams owning the applications that still run a newly quarantined version, on the
 * path the validation notifications take (the owning entity of the app's tenant, its owner
 * groups, a link to its GitOps tab): one notification per owning entity, naming the
 * environments. Names, the version and the reason only, never a credential.
 */
export class QuarantineNotifier implements QuarantineNotifications {
  readonly #recipients: Pick<TeamRecipients, 'recipientsOf'>;
  readonly #notifications: NotificationService;
  readonly #logger: LoggerService;

  constructor(options: {
    recipients: Pick<TeamRecipients, 'recipientsOf'>;
    notifications: NotificationService;
    logger: LoggerService;
  }) {
    this.#recipients = options.recipients;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
  }

  async quarantined(
    quarantine: StoredQuarantine,
    runningIn: IndexedApplication[],
  ): Promise<void> {
    const byEntity = new Map<
      string,
      { recipients: AppRecipients; apps: IndexedApplication[] }
    >();
    for (const app of runningIn) {
      let recipients;
      try {
        recipients = await this.#recipients.recipientsOf(app);
      } catch (error) {
        this.#logger.warn(
          `Owners of ${app.name} not found for the quarantine of ${
            quarantine.version
          }: ${(error as Error).message}`,
        );
        continue;
      }
      if (!recipients) continue;
      const entry = byEntity.get(recipients.entityRef) ?? {
        recipients,
        apps: [],
      };
      entry.apps.push(app);
      byEntity.set(recipients.entityRef, entry);
    }
    for (const { recipients, apps } of byEntity.values()) {
      const where = apps.map(a => a.environment ?? a.name).join(', ');
      try {
        await this.#notifications.send({
          recipients: { type: 'entity', entityRef: recipients.owners },
          payload: {
            title: `${recipients.entityName} ${quarantine.version} is quarantined and still runs in ${where}`,
            description:
              `Quarantined by ${quarantine.createdBy}: ${quarantine.reason}. Promotions and rollbacks to it are refused; deploy another version to ${where}.`.slice(
                0,
                MAX_DESCRIPTION,
              ),
            link: recipients.link.split('?')[0],
            severity: 'high',
            topic: `gitops-quarantine:${recipients.entityRef}`,
            scope: `gitops-quarantine:${quarantine.id}`,
          },
        });
        this.#logger.info(
          `Sent quarantine notification of ${
            quarantine.version
          } to ${recipients.owners.join(', ')}`,
        );
      } catch (error) {
        // The quarantine stands whether or not the notification went out.
        this.#logger.warn(
          `Quarantine notification of ${quarantine.version} failed: ${
            (error as Error).message
          }`,
        );
      }
    }
  }
}
