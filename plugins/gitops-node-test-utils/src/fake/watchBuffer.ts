import type { Application, WatchEventType } from '@kupe/plugin-gitops-node';

/**
 * Argo CD's default `ARGOCD_WATCH_API_BUFFER_SIZE` (`server/application/application.go`).
 *
 * @public
 */
export const DEFAULT_WATCH_BUFFER_SIZE = 1000;

export interface BufferedEvent {
  type: WatchEventType;
  application: Application;
}

/**
 * One watch subscriber's channel, as `server/broadcast/broadcaster.go` has it: the broadcaster
 * offers every Application event to every subscriber without waiting (`select ... default`),
 * so an event meets a full buffer is dropped and only logged ("unable to send event
 * notification"). The subscriber's sender drains it at the pace its client reads, and filters
 * (RBAC, selector, project) only then: events the client will never see still take room.
 */
export class WatchBuffer {
  readonly capacity: number;
  /** Events dropped because the buffer was full. */
  dropped = 0;
  readonly #queue: BufferedEvent[] = [];
  #waiter: (() => void) | undefined;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#queue.length;
  }

  /** Non-blocking send; false when the event was dropped. */
  offer(event: BufferedEvent): boolean {
    if (this.#queue.length >= this.capacity) {
      this.dropped += 1;
      return false;
    }
    this.#queue.push(event);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
    return true;
  }

  /** The next event, waiting for one; undefined once `signal` aborts. */
  async take(signal: AbortSignal): Promise<BufferedEvent | undefined> {
    while (this.#queue.length === 0) {
      if (signal.aborted) return undefined;
      await new Promise<void>(resolve => {
        const onAbort = () => resolve();
        this.#waiter = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    if (signal.aborted) return undefined;
    return this.#queue.shift();
  }
}
