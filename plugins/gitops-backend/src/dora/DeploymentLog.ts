import type { Knex } from 'knex';
import type { AppRef, StoredRollout } from '../rolloutValidation/RolloutStore';

const TABLE = 'gitops_deployments';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A year's figures and some slack for a period that ends in the past. */
export const DEPLOYMENT_RETENTION_MS = 400 * DAY_MS;

/** One deployment as the log keeps it. */
export interface LoggedDeployment {
  revision?: string;
  startedAt: number;
  deployedAt: number;
  healthyAt?: number;
  outcome: StoredRollout['outcome'];
  reason?: string;
}

interface Row {
  revision: string | null;
  started_at: number | string;
  deployed_at: number | string;
  healthy_at: number | string | null;
  outcome: string;
  reason: string | null;
}

const appWhere = (app: AppRef) => ({
  instance: app.instance,
  app_namespace: app.appNamespace,
  app_name: app.name,
});

/**
 * The deployments the rollout follower saw succeed, in the plugin's database, kept for
 * {@link DEPLOYMENT_RETENTION_MS}: what the DORA figures read beyond Argo CD's history. Writes
 * are keyed by the rollout, so replicas recording the same deployment write one row.
 */
export class DeploymentLog {
  readonly #db: Knex;
  readonly #now: () => number;

  constructor(db: Knex, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  /** Records a decided rollout whose sync operation succeeded (its outcome as decided). */
  async record(rollout: StoredRollout): Promise<void> {
    const deployedAt =
      rollout.operationFinishedAt === undefined
        ? undefined
        : Date.parse(rollout.operationFinishedAt);
    if (deployedAt === undefined || Number.isNaN(deployedAt)) return;
    const row = {
      deployment_key: rollout.key,
      ...appWhere(rollout),
      tenant: rollout.tenant ?? null,
      environment: rollout.environment ?? null,
      revision: rollout.revision ?? null,
      started_at: rollout.startedAtMs,
      deployed_at: deployedAt,
      healthy_at: rollout.healthyAtMs ?? null,
      outcome: rollout.outcome,
      reason: rollout.reason ?? null,
    };
    await this.#db(TABLE).insert(row).onConflict('deployment_key').merge();
    await this.#db(TABLE)
      .where(appWhere(rollout))
      .andWhere('started_at', '<', this.#now() - DEPLOYMENT_RETENTION_MS)
      .delete();
  }

  /** An app's deployments that started at or after `since`, oldest first. */
  async list(app: AppRef, since: number): Promise<LoggedDeployment[]> {
    const rows: Row[] = await this.#db(TABLE)
      .where(appWhere(app))
      .andWhere('started_at', '>=', since)
      .orderBy('started_at', 'asc');
    return rows.map(row => ({
      revision: row.revision ?? undefined,
      startedAt: Number(row.started_at),
      deployedAt: Number(row.deployed_at),
      healthyAt: row.healthy_at === null ? undefined : Number(row.healthy_at),
      outcome: row.outcome as StoredRollout['outcome'],
      reason: row.reason ?? undefined,
    }));
  }
}
