import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import type { Knex } from 'knex';
import type { EntityApplicationSpec } from '../service/entityApplicationSpec';

const TABLE = 'gitops_quarantines';

/** A quarantine as the plugin's database keeps it. */
export interface StoredQuarantine {
  id: string;
  tenant: string;
  entityRef: string;
  /** The entity's application selection when it was quarantined. */
  selection: EntityApplicationSpec;
  version: string;
  reason: string;
  createdBy: string;
  createdAt: number;
  lifted?: { by: string; at: number; reason: string };
}

interface Row {
  id: string;
  tenant: string;
  entity_ref: string;
  selection: string;
  version: string;
  reason: string;
  created_by: string;
  created_at: number | string;
  lifted_by: string | null;
  lifted_at: number | string | null;
  lift_reason: string | null;
}

const activeKey = (entityRef: string, version: string) =>
  `${entityRef}@${version}`;

function fromRow(row: Row): StoredQuarantine {
  return {
    id: row.id,
    tenant: row.tenant,
    entityRef: row.entity_ref,
    selection: JSON.parse(row.selection),
    version: row.version,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    ...(row.lifted_at === null
      ? {}
      : {
          lifted: {
            by: row.lifted_by ?? '',
            at: Number(row.lifted_at),
            reason: row.lift_reason ?? '',
          },
        }),
  };
}

/**
 * Quarantined releases in the plugin's database (SQLite or PostgreSQL), shared by every
 * replica: one active quarantine per entity and version (a unique key that the database
 * enforces, so concurrent requests on two replicas cannot both add it), lifted ones kept with
 * who lifted them, when and why.
 */
export class QuarantineStore {
  readonly #db: Knex;
  readonly #now: () => number;

  constructor(db: Knex, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  /** Adds an active quarantine; 409 when the entity's version is quarantined already. */
  async add(input: {
    tenant: string;
    entityRef: string;
    selection: EntityApplicationSpec;
    version: string;
    reason: string;
    createdBy: string;
  }): Promise<StoredQuarantine> {
    const row: Row = {
      id: randomUUID(),
      tenant: input.tenant,
      entity_ref: input.entityRef,
      selection: JSON.stringify(input.selection),
      version: input.version,
      reason: input.reason,
      created_by: input.createdBy,
      created_at: this.#now(),
      lifted_by: null,
      lifted_at: null,
      lift_reason: null,
    };
    try {
      await this.#db(TABLE).insert({
        ...row,
        active_key: activeKey(input.entityRef, input.version),
      });
    } catch (error) {
      const existing: Row | undefined = await this.#db(TABLE)
        .where({ active_key: activeKey(input.entityRef, input.version) })
        .first();
      if (!existing) throw error;
      throw new ConflictError(
        `${input.version} of ${input.entityRef} is quarantined already (by ${existing.created_by}: ${existing.reason})`,
      );
    }
    return fromRow(row);
  }

  /**
   * Lifts an active quarantine; undefined for an unknown id, 409 when it was lifted already
   * (also by another replica a moment before: the update is conditional).
   */
  async lift(
    id: string,
    by: { liftedBy: string; reason: string },
  ): Promise<StoredQuarantine | undefined> {
    const updated = await this.#db(TABLE)
      .where({ id })
      .whereNull('lifted_at')
      .update({
        active_key: null,
        lifted_by: by.liftedBy,
        lifted_at: this.#now(),
        lift_reason: by.reason,
      });
    const quarantine = await this.get(id);
    if (updated === 0 && quarantine) {
      throw new ConflictError(
        `The quarantine of ${quarantine.version} was lifted already by ${quarantine.lifted?.by}`,
      );
    }
    return quarantine;
  }

  async get(id: string): Promise<StoredQuarantine | undefined> {
    const row = await this.#db<Row>(TABLE).where({ id }).first();
    return row && fromRow(row);
  }

  /** An entity's quarantines, active ones first, newest first. */
  listByEntity(
    entityRef: string,
    options: { includeLifted?: boolean } = {},
  ): Promise<StoredQuarantine[]> {
    return this.#list({ entity_ref: entityRef }, options);
  }

  /** Every tenant's active quarantines, newest first (for the search collator). */
  listActive(): Promise<StoredQuarantine[]> {
    return this.#list({}, {});
  }

  /** A tenant's quarantines, active ones first, newest first. */
  listByTenant(
    tenant: string,
    options: { includeLifted?: boolean } = {},
  ): Promise<StoredQuarantine[]> {
    return this.#list({ tenant }, options);
  }

  async #list(
    where: Partial<Row>,
    options: { includeLifted?: boolean },
  ): Promise<StoredQuarantine[]> {
    let query = this.#db<Row>(TABLE).where(where);
    if (!options.includeLifted) query = query.whereNull('lifted_at');
    const rows: Row[] = await query.orderBy('created_at', 'desc');
    const quarantines = rows.map(fromRow);
    // Stable: newest first within active and within lifted.
    return [
      ...quarantines.filter(q => !q.lifted),
      ...quarantines.filter(q => q.lifted),
    ];
  }
}
