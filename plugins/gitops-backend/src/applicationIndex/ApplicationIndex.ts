import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { ArgoCdService } from '@kupe/plugin-gitops-node';
import { type TenantNaming, isDns1123Label } from '@kupe/plugin-gitops-common';
import type { BackendOptions } from '../config/BackendOptions';
import type { EnvironmentOf } from './IndexedApplication';
import {
  type IndexChange,
  InstanceIndex,
  type LivenessOptions,
} from './InstanceIndex';
import { createStartupPacer } from './BackgroundPacer';
import type { RequestActivity } from './RequestActivity';

/** `change` names the apps that changed; without it, anything on `instance` may have. */
export type IndexChangeListener = (
  instance: string,
  change?: IndexChange,
) => void;

/** The application indexes of all configured instances, and who to tell about changes. */
export class ApplicationIndex {
  readonly #indexes = new Map<string, InstanceIndex>();
  readonly #listeners = new Set<IndexChangeListener>();
  readonly #readyTimeoutMs: number;
  readonly #logger: LoggerService;

  constructor(options: {
    argoCd: ArgoCdService;
    naming: TenantNaming;
    /** The environment rule: the plugin passes its tenant resolver's. */
    environmentOf?: EnvironmentOf;
    options: BackendOptions;
    logger: LoggerService;
    liveness?: LivenessOptions;
    now?: () => number;
    /** The plugin's requests in flight: the start-up re-send lets them go first. */
    requests?: RequestActivity;
  }) {
    this.#readyTimeoutMs = options.options.readyTimeoutMs;
    this.#logger = options.logger;
    const pacer = createStartupPacer(options.requests);
    for (const info of options.argoCd.listInstances()) {
      this.#indexes.set(
        info.name,
        new InstanceIndex({
          client: options.argoCd.forInstance(info.name),
          naming: options.naming,
          environmentOf: options.environmentOf,
          options: options.options,
          logger: options.logger,
          onChange: (instance, change) => this.#emit(instance, change),
          liveness: options.liveness ?? {
            checkIntervalMs: options.options.livenessCheckIntervalMs,
            confirmMs: options.options.livenessConfirmMs,
          },
          pacer,
          now: options.now,
        }),
      );
    }
  }

  start(): void {
    for (const index of this.#indexes.values()) index.start();
  }

  /** Stops every instance's index; resolves once each has ended its cycle. */
  async stop(): Promise<void> {
    this.#listeners.clear();
    await Promise.all([...this.#indexes.values()].map(index => index.stop()));
  }

  instances(): string[] {
    return [...this.#indexes.keys()];
  }

  /** The index of a configured instance; `NotFoundError` for anything else, checked locally. */
  instance(name: string): InstanceIndex {
    const index = isDns1123Label(name) ? this.#indexes.get(name) : undefined;
    if (!index)
      throw new NotFoundError(
        `No Argo CD instance named ${JSON.stringify(name.slice(0, 63))}`,
      );
    return index;
  }

  /** Waits (bounded) for an instance's first listing; see `InstanceIndex.whenReady`. */
  whenReady(index: InstanceIndex): Promise<boolean> {
    return index.whenReady(this.#readyTimeoutMs);
  }

  subscribe(listener: IndexChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(instance: string, change?: IndexChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(instance, change);
      } catch (error) {
        this.#logger.warn(
          `Index change listener failed: ${(error as Error).message}`,
        );
      }
    }
  }
}
