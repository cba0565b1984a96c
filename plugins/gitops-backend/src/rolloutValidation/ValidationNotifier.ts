import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import { applicationResourceRef } from '@kupe/plugin-gitops-common';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type {
  AppRecipients,
  TeamRecipients,
} from '../notifications/TeamRecipients';
import type { AlertKind, StoredRollout } from './RolloutStore';

const MAX_DESCRIPTION = 1_000;

function shortRevision(revision: string | undefined): string | undefined {
  if (!revision) return undefined;
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

/** "40 s", "15 min", "3 h", "2 days". */
function elapsed(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return `${Math.round(ms / 1000)} s`;
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return h === 24 ? '1 day' : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/**
 * Sends the validation notifications through Backstage notifications to the team owning
 * the app (`TeamRecipients`). Payloads carry names, reasons and portal links only, never
 * credentials.
 */
export class ValidationNotifier {
  readonly #recipients: Pick<TeamRecipients, 'recipientsOf'>;
  readonly #notifications: NotificationService;
  readonly #logger: LoggerService;
  readonly #now: () => number;

  constructor(options: {
    recipients: Pick<TeamRecipients, 'recipientsOf'>;
    notifications: NotificationService;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#recipients = options.recipients;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** "acme-web staging rollout failed: Degraded". False when nobody owns the app. */
  async rolloutFailed(
    rollout: StoredRollout,
    app: Pick<IndexedApplication, 'labels'>,
  ): Promise<boolean> {
    const recipients = await this.#recipients.recipientsOf({
      ...rollout,
      ...app,
    });
    if (!recipients) return false;
    const reason = rollout.reason ?? 'failed';
    const headline = reason.split(':')[0];
    const where = rollout.environment ?? rollout.name;
    const revision = shortRevision(rollout.revision);
    await this.#send(recipients, {
      title: `${recipients.entityName} ${where} rollout failed: ${headline}`,
      description: `${rollout.name} on Argo CD instance ${rollout.instance}${
        revision ? `, revision ${revision}` : ''
      }: ${reason}`.slice(0, MAX_DESCRIPTION),
      link: recipients.link,
      severity: 'high',
      topic: `gitops:${applicationResourceRef(rollout)}`,
      scope: `gitops-rollout:${rollout.key}`,
    });
    return true;
  }

  /**
   * "acme-web production has been Degraded for 15 min", or for a manual-sync app's
   * `awaiting-sync` episode the reminder "acme-web production: a change has waited 1 day for
   * sync approval". False when nobody owns the app.
   */
  async stillUnhealthy(
    app: IndexedApplication,
    kind: AlertKind,
    since: number,
  ): Promise<boolean> {
    const recipients = await this.#recipients.recipientsOf(app);
    if (!recipients) return false;
    const where = app.environment ?? app.name;
    const waited = elapsed(this.#now() - since);
    const revision = shortRevision(app.revision);
    const common = {
      link: recipients.link,
      topic: `gitops:${applicationResourceRef(app)}`,
      scope: `gitops-${kind}:${applicationResourceRef(app)}:${since}`,
    };
    if (kind === 'awaiting-sync') {
      await this.#send(recipients, {
        title: `${recipients.entityName} ${where}: a change has waited ${waited} for sync approval`,
        description: `${app.name} on Argo CD instance ${
          app.instance
        } has a manual sync policy and is OutOfSync with ${
          revision ? `revision ${revision}` : 'its target revision'
        }; it deploys once someone syncs it.`.slice(0, MAX_DESCRIPTION),
        severity: 'low',
        ...common,
      });
      return true;
    }
    const state = kind === 'degraded' ? 'Degraded' : 'OutOfSync';
    const detail =
      kind === 'degraded'
        ? app.healthMessage || app.degradedResources?.join('; ')
        : app.operation?.message ?? `target revision ${app.revision ?? '?'}`;
    await this.#send(recipients, {
      title: `${recipients.entityName} ${where} has been ${state} for ${waited}`,
      description: `${app.name} on Argo CD instance ${
        app.instance
      } is ${state}${detail ? `: ${detail}` : ''}`.slice(0, MAX_DESCRIPTION),
      severity: kind === 'degraded' ? 'high' : 'normal',
      ...common,
    });
    return true;
  }

  async #send(
    recipients: AppRecipients,
    payload: NotificationPayload,
  ): Promise<void> {
    await this.#notifications.send({
      recipients: { type: 'entity', entityRef: recipients.owners },
      payload,
    });
    this.#logger.info(
      `Sent notification "${payload.title}" to ${recipients.owners.join(', ')}`,
    );
  }
}
