import type { QuarantineStore, StoredQuarantine } from './QuarantineStore';

export interface ActiveQuarantinesOptions {
  /**
   * How long one reading of the active quarantines answers (default 5 s): the bound on how
   * late another replica's quarantine or lift shows in the counts. This replica's own writes
   * show at once.
   */
  maxAgeMs?: number;
  now?: () => number;
}

const DEFAULT_MAX_AGE_MS = 5_000;

interface Reading {
  byEntity: ReadonlyMap<string, readonly StoredQuarantine[]>;
  readAt: number;
}

/**
 * Every active quarantine, grouped by entity, read from the store in one query at most every
 * `maxAgeMs` and shared by every caller: an entity's answer (the list, each event of its
 * stream) counts the quarantines that still run without a database round trip per view.
 * Quarantines are few and rarely change; the checks that refuse a promotion or rollback still
 * read the store itself (see ReleaseQuarantine).
 *
 * A write through this replica drops the reading and tells the listeners the entity's
 * quarantines changed, so its open pages update; a reading begun before the write is never
 * kept.
 */
export class ActiveQuarantines {
  readonly #store: Pick<QuarantineStore, 'listActive'>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #listeners = new Set<(entityRef: string) => void>();
  #reading: Reading | undefined;
  #pending: Promise<Reading> | undefined;
  /** Moves on every local write; a reading started under an older one is not kept. */
  #generation = 0;

  constructor(
    store: Pick<QuarantineStore, 'listActive'>,
    options: ActiveQuarantinesOptions = {},
  ) {
    this.#store = store;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The entity's active quarantines, newest first. */
  async ofEntity(entityRef: string): Promise<readonly StoredQuarantine[]> {
    const reading = await this.#current();
    return reading.byEntity.get(entityRef) ?? [];
  }

  /**
   * The entity's active quarantines when the shared reading is young, without waiting for
   * anything: what {@link ofEntity} would answer now. Undefined when there is no such
   * reading (then ask {@link ofEntity}, which reads).
   */
  peek(entityRef: string): readonly StoredQuarantine[] | undefined {
    const reading = this.#reading;
    if (!reading || this.#now() - reading.readAt >= this.#maxAgeMs)
      return undefined;
    return reading.byEntity.get(entityRef) ?? [];
  }

  /** After a quarantine of `entityRef` was added or lifted through this replica. */
  changed(entityRef: string): void {
    this.#generation++;
    this.#reading = undefined;
    this.#pending = undefined;
    for (const listener of this.#listeners) listener(entityRef);
  }

  /** Calls `listener` with the entity whenever this replica adds or lifts one; returns the unsubscribe. */
  subscribe(listener: (entityRef: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #current(): Promise<Reading> {
    const reading = this.#reading;
    if (reading && this.#now() - reading.readAt < this.#maxAgeMs)
      return Promise.resolve(reading);
    if (this.#pending) return this.#pending;
    const generation = this.#generation;
    const readAt = this.#now();
    const pending = this.#store.listActive().then(active => {
      const byEntity = new Map<string, StoredQuarantine[]>();
      for (const q of active) {
        const list = byEntity.get(q.entityRef);
        if (list) list.push(q);
        else byEntity.set(q.entityRef, [q]);
      }
      const read = { byEntity, readAt };
      if (generation === this.#generation) this.#reading = read;
      return read;
    });
    this.#pending = pending;
    // Settled either way: the next caller after a failure reads again.
    const clear = () => {
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }
}
