import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  applicationResourceRef,
  type TenantNaming,
} from '@kupe/plugin-gitops-common';
import {
  type ArgoCdService,
  autoSyncPauseRecordRemoval,
  autoSyncPauseReminderPatch,
  readDurationMs,
} from '@kupe/plugin-gitops-node';
import { parseEntityRef } from '@backstage/catalog-model';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { AppRecipients } from '../notifications/TeamRecipients';

/** `gitops.automationPause`: when the owning team hears that auto-sync is still paused. */
export interface AutoSyncPauseOptions {
  /** Remind once a pause is this old; false: never. */
  remindAfterMs: number | false;
  /** Interval of the check, run by one replica at a time. */
  checkIntervalMs: number;
}

const DEFAULT_REMIND_AFTER_MS = 4 * 3_600_000;
const DEFAULT_CHECK_INTERVAL_MS = 5 * 60_000;

/** Reads `gitops.automationPause` (`remindAfter` default 4h, `false` turns it off; `checkInterval` 5m). */
export function readAutoSyncPauseOptions(config: Config): AutoSyncPauseOptions {
  const section = config.getOptionalConfig('gitops.automationPause');
  const path = 'gitops.automationPause';
  const remindAfterMs =
    section?.getOptional('remindAfter') === false
      ? false
      : readDurationMs(section, 'remindAfter', { path }) ??
        DEFAULT_REMIND_AFTER_MS;
  return {
    remindAfterMs,
    checkIntervalMs:
      readDurationMs(section, 'checkInterval', { path }) ??
      DEFAULT_CHECK_INTERVAL_MS,
  };
}

/** "5 h", "2 days". */
function hoursOrDays(ms: number): string {
  const hours = Math.max(1, Math.round(ms / 3_600_000));
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/**
 * Reminds the owning team, once per pause, that an application's auto-sync has stayed paused
 * longer than `remindAfter`, through Backstage notifications to the groups owning its catalog
 * entity (the recipients rule of post-deploy validation). The reminder is recorded on the
 * Application (`kupe.cloud/auto-sync-pause-reminded-at`) before it is sent, so no replica
 * sends it twice, even after a restart. The same run removes the pause record of apps whose
 * auto-sync was turned back on in Argo CD, so it never shows on a later pause made there.
 */
export class AutoSyncPauseReminder {
  readonly #index: ApplicationIndex;
  readonly #argoCd: ArgoCdService;
  readonly #naming: TenantNaming;
  readonly #recipientsOf: (
    app: IndexedApplication,
  ) => Promise<AppRecipients | undefined>;
  readonly #notifications: NotificationService;
  readonly #logger: LoggerService;
  readonly #options: AutoSyncPauseOptions;
  readonly #now: () => number;

  constructor(options: {
    index: ApplicationIndex;
    argoCd: ArgoCdService;
    naming: TenantNaming;
    recipientsOf(app: IndexedApplication): Promise<AppRecipients | undefined>;
    notifications: NotificationService;
    logger: LoggerService;
    options: AutoSyncPauseOptions;
    now?: () => number;
  }) {
    this.#index = options.index;
    this.#argoCd = options.argoCd;
    this.#naming = options.naming;
    this.#recipientsOf = options.recipientsOf;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#options = options.options;
    this.#now = options.now ?? Date.now;
  }

  /** One pass over every indexed app; returns the reminders sent. */
  async run(): Promise<number> {
    let sent = 0;
    for (const instance of this.#index.instances()) {
      for (const app of this.#index.instance(instance).list()) {
        try {
          if (app.stalePauseRecord) await this.#patch(app, 'clear');
          else if (this.#due(app) && (await this.#remind(app))) sent += 1;
        } catch (error) {
          this.#logger.warn(
            `Auto-sync pause check of ${applicationResourceRef(app)} failed: ${
              (error as Error).message
            }`,
          );
        }
      }
    }
    return sent;
  }

  #due(app: IndexedApplication): boolean {
    const { remindAfterMs } = this.#options;
    const pause = app.autoSyncPause;
    if (remindAfterMs === false || !pause?.at || pause.remindedAt) return false;
    const at = Date.parse(pause.at);
    return !Number.isNaN(at) && this.#now() - at >= remindAfterMs;
  }

  async #remind(app: IndexedApplication): Promise<boolean> {
    const recipients = await this.#recipientsOf(app);
    if (!recipients) return false;
    await this.#patch(app, 'remind');
    const pause = app.autoSyncPause!;
    const where = app.environment ?? app.name;
    const by = pause.by ? parseEntityRef(pause.by).name : 'someone';
    const paused = hoursOrDays(this.#now() - Date.parse(pause.at!));
    await this.#notifications.send({
      recipients: { type: 'entity', entityRef: recipients.owners },
      payload: {
        title: `${recipients.entityName} ${where}: auto-sync has been paused for ${paused}`,
        description: `${by} paused auto-sync of ${
          app.name
        } on Argo CD instance ${app.instance}${
          pause.reason ? `: ${pause.reason}` : ''
        }. Argo CD does not deploy new commits to it until someone resumes auto-sync.`.slice(
          0,
          1_000,
        ),
        link: recipients.link,
        severity: 'normal',
        topic: `gitops:${applicationResourceRef(app)}`,
        scope: `gitops-auto-sync-paused:${applicationResourceRef(app)}:${
          pause.at
        }`,
      },
    });
    this.#logger.info(
      `Reminded ${recipients.owners.join(', ')} that auto-sync of ${
        app.name
      } is paused`,
    );
    return true;
  }

  async #patch(app: IndexedApplication, what: 'remind' | 'clear') {
    const patched = await this.#argoCd
      .forInstance(app.instance)
      .patchApplication(
        app.name,
        what === 'remind'
          ? autoSyncPauseReminderPatch(
              `${new Date(this.#now()).toISOString().slice(0, 19)}Z`,
            )
          : autoSyncPauseRecordRemoval(),
        {
          project: app.tenant
            ? this.#naming.projectOf(app.tenant)
            : app.project,
          appNamespace: app.appNamespace,
          tenant: app.tenant,
        },
      );
    // The next run must not act on what this one already did.
    this.#index.instance(app.instance).upsert(patched);
  }
}
