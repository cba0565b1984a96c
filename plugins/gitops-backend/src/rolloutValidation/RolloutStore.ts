import type { Knex } from 'knex';
import type { RolloutOutcome, RolloutRecord } from '@kupe/plugin-gitops-common';

const ROLLOUTS = 'gitops_rollouts';
const ALERTS = 'gitops_app_alerts';

/** An application, as rollouts and alerts are keyed. */
export interface AppRef {
  instance: string;
  appNamespace: string;
  name: string;
}

/** What the follower knows when it first sees an operation. */
export interface NewRollout extends AppRef {
  key: string;
  tenant?: string;
  environment?: string;
  revision?: string;
  startedAt: number;
  bakeTimeMs: number;
}

/** A stored rollout, with the fields only the backend uses. */
export interface StoredRollout extends RolloutRecord {
  key: string;
  tenant?: string;
  startedAtMs: number;
  syncedAtMs?: number;
  healthyAtMs?: number;
  notifiedAtMs?: number;
}

/**
 * `out-of-sync` is drift of an auto-sync app; `awaiting-sync` is a manual-sync app's change
 * still waiting for someone to sync it (at most 16 characters: the column's width).
 */
export type AlertKind = 'degraded' | 'out-of-sync' | 'awaiting-sync';

export interface StoredAlert extends AppRef {
  kind: AlertKind;
  since: number;
  notifiedAt?: number;
}

interface RolloutRow {
  rollout_key: string;
  instance: string;
  app_namespace: string;
  app_name: string;
  tenant: string | null;
  environment: string | null;
  revision: string | null;
  started_at: number | string;
  operation_finished_at: number | string | null;
  synced_at: number | string | null;
  healthy_at: number | string | null;
  bake_time_ms: number | string;
  outcome: string;
  reason: string | null;
  decided_at: number | string | null;
  notified_at: number | string | null;
}

// PostgreSQL returns bigint columns as strings.
const num = (v: number | string | null | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
const iso = (v: number | string | null | undefined): string | undefined => {
  const n = num(v);
  return n === undefined ? undefined : new Date(n).toISOString();
};
const MAX_REASON = 2_000;

function toStored(row: RolloutRow): StoredRollout {
  const startedAtMs = Number(row.started_at);
  const syncedAtMs = num(row.synced_at);
  const healthyAtMs = num(row.healthy_at);
  return {
    key: row.rollout_key,
    instance: row.instance,
    appNamespace: row.app_namespace,
    name: row.app_name,
    tenant: row.tenant ?? undefined,
    environment: row.environment ?? undefined,
    revision: row.revision ?? undefined,
    startedAt: new Date(startedAtMs).toISOString(),
    startedAtMs,
    operationFinishedAt: iso(row.operation_finished_at),
    syncedAtMs,
    healthyAtMs,
    timeToSyncedMs:
      syncedAtMs === undefined
        ? undefined
        : Math.max(0, syncedAtMs - startedAtMs),
    timeToHealthyMs:
      healthyAtMs === undefined
        ? undefined
        : Math.max(0, healthyAtMs - startedAtMs),
    bakeTimeMs: Number(row.bake_time_ms),
    outcome: row.outcome as RolloutOutcome,
    reason: row.reason ?? undefined,
    decidedAt: iso(row.decided_at),
    notifiedAtMs: num(row.notified_at),
  };
}

/** The wire form of a stored rollout: nothing internal (key, tenant, claim) leaves. */
export function toRolloutRecord(stored: StoredRollout): RolloutRecord {
  const {
    key: _key,
    tenant: _tenant,
    startedAtMs: _started,
    syncedAtMs: _synced,
    healthyAtMs: _healthy,
    notifiedAtMs: _notified,
    ...record
  } = stored;
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined),
  ) as unknown as RolloutRecord;
}

/**
 * Rollout results and alert episodes in the plugin's database. Every write is safe to repeat
 * and to race with another replica following the same rollout: rows are inserted once (by
 * key, conflicts ignored), times are set only while unset, an outcome is decided only while
 * the rollout is in progress, and a notification is sent only by whoever claims it first.
 */
export class RolloutStore {
  readonly #db: Knex;
  readonly #keepPerApp: number;

  constructor(db: Knex, options: { rolloutsPerApplication: number }) {
    this.#db = db;
    this.#keepPerApp = options.rolloutsPerApplication;
  }

  /** Records a rollout unless it exists; returns the stored row either way. */
  async begin(rollout: NewRollout): Promise<StoredRollout> {
    await this.#db(ROLLOUTS)
      .insert({
        rollout_key: rollout.key,
        instance: rollout.instance,
        app_namespace: rollout.appNamespace,
        app_name: rollout.name,
        tenant: rollout.tenant ?? null,
        environment: rollout.environment ?? null,
        revision: rollout.revision ?? null,
        started_at: rollout.startedAt,
        bake_time_ms: rollout.bakeTimeMs,
        outcome: 'in-progress',
      })
      .onConflict('rollout_key')
      .ignore();
    await this.#prune(rollout);
    return (await this.get(rollout.key))!;
  }

  async get(key: string): Promise<StoredRollout | undefined> {
    const row = await this.#db<RolloutRow>(ROLLOUTS)
      .where({ rollout_key: key })
      .first();
    return row ? toStored(row) : undefined;
  }

  /** Fills progress fields that are still unset (first observation wins). */
  async progress(
    key: string,
    patch: {
      revision?: string;
      operationFinishedAt?: number;
      syncedAt?: number;
      healthyAt?: number;
    },
  ): Promise<void> {
    const columns: Record<string, unknown> = {};
    const fill = (column: string, value: string | number | undefined) => {
      if (value !== undefined)
        columns[column] = this.#db.raw('COALESCE(??, ?)', [column, value]);
    };
    fill('revision', patch.revision);
    fill('operation_finished_at', patch.operationFinishedAt);
    fill('synced_at', patch.syncedAt);
    fill('healthy_at', patch.healthyAt);
    if (Object.keys(columns).length === 0) return;
    await this.#db(ROLLOUTS).where({ rollout_key: key }).update(columns);
  }

  /** Decides the outcome unless another writer already did; returns the stored row. */
  async decide(
    key: string,
    outcome: Exclude<RolloutOutcome, 'in-progress'>,
    reason: string | undefined,
    at: number,
  ): Promise<StoredRollout | undefined> {
    await this.#db(ROLLOUTS)
      .where({ rollout_key: key, outcome: 'in-progress' })
      .update({
        outcome,
        reason: reason ? reason.slice(0, MAX_REASON) : null,
        decided_at: at,
      });
    return this.get(key);
  }

  /** Atomically claims the failure notification; true for exactly one caller. */
  async claimNotification(key: string, at: number): Promise<boolean> {
    const updated = await this.#db(ROLLOUTS)
      .where({ rollout_key: key })
      .whereNull('notified_at')
      .update({ notified_at: at });
    return updated === 1;
  }

  /** Gives a claim back after sending failed, so it is not lost for good. */
  async releaseNotification(key: string): Promise<void> {
    await this.#db(ROLLOUTS)
      .where({ rollout_key: key })
      .update({ notified_at: null });
  }

  /** The newest rollouts of an app. */
  async list(app: AppRef, limit = 50): Promise<StoredRollout[]> {
    const rows = await this.#db<RolloutRow>(ROLLOUTS)
      .where({
        instance: app.instance,
        app_namespace: app.appNamespace,
        app_name: app.name,
      })
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(toStored);
  }

  async #prune(app: AppRef): Promise<void> {
    const where = {
      instance: app.instance,
      app_namespace: app.appNamespace,
      app_name: app.name,
    };
    const cutoff = await this.#db<RolloutRow>(ROLLOUTS)
      .where(where)
      .orderBy('started_at', 'desc')
      .offset(this.#keepPerApp - 1)
      .first('started_at');
    if (!cutoff) return;
    await this.#db(ROLLOUTS)
      .where(where)
      .andWhere('started_at', '<', Number(cutoff.started_at))
      .delete();
  }

  async listAlerts(): Promise<StoredAlert[]> {
    const rows = await this.#db(ALERTS).select();
    return rows.map(row => ({
      instance: row.instance,
      appNamespace: row.app_namespace,
      name: row.app_name,
      kind: row.kind as AlertKind,
      since: Number(row.since),
      notifiedAt: num(row.notified_at),
    }));
  }

  /** Opens an episode unless one is open; returns the open one. */
  async openAlert(
    app: AppRef,
    kind: AlertKind,
    since: number,
  ): Promise<StoredAlert> {
    const key = {
      instance: app.instance,
      app_namespace: app.appNamespace,
      app_name: app.name,
      kind,
    };
    await this.#db(ALERTS)
      .insert({ ...key, since })
      .onConflict(['instance', 'app_namespace', 'app_name', 'kind'])
      .ignore();
    const row = await this.#db(ALERTS).where(key).first();
    return {
      ...app,
      kind,
      since: Number(row.since),
      notifiedAt: num(row.notified_at),
    };
  }

  /** Claims the one notification of an episode. */
  async claimAlert(app: AppRef, kind: AlertKind, at: number): Promise<boolean> {
    const updated = await this.#db(ALERTS)
      .where({
        instance: app.instance,
        app_namespace: app.appNamespace,
        app_name: app.name,
        kind,
      })
      .whereNull('notified_at')
      .update({ notified_at: at });
    return updated === 1;
  }

  async releaseAlert(app: AppRef, kind: AlertKind): Promise<void> {
    await this.#db(ALERTS)
      .where({
        instance: app.instance,
        app_namespace: app.appNamespace,
        app_name: app.name,
        kind,
      })
      .update({ notified_at: null });
  }

  /** Ends an episode (the app recovered or is gone): the next one notifies again. */
  async closeAlert(app: AppRef, kind: AlertKind): Promise<void> {
    await this.#db(ALERTS)
      .where({
        instance: app.instance,
        app_namespace: app.appNamespace,
        app_name: app.name,
        kind,
      })
      .delete();
  }
}
