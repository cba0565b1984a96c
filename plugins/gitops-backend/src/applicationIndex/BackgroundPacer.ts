import type { RequestActivity } from './RequestActivity';

/**
 * Paces work that may lag behind requests: the history Argo CD re-sends for every app after a
 * start. Holders take turns, one slice at a time across every instance, each slice followed
 * by a pause; so however many instances re-send at once, the event loop is never held longer
 * than one slice and requests get the rest of the CPU, while an idle backend still gets the
 * work done in a bounded time. With `requests`, a turn also waits while requests are in
 * flight, for at most `maxDeferMs`: they go first, and the work still moves under any load.
 *
 * Unpaced, the re-send of 3 x 10,000 realistic apps (about 60 MB of events, parsed and
 * indexed) ran in 5 ms slices back to back; a request needs tens of event-loop turns, each
 * then waiting behind a slice, so views right after a start took 0.9 to 1.9 s.
 */
export class BackgroundPacer {
  readonly sliceMs: number;
  readonly pauseMs: number;
  readonly maxDeferMs: number;
  readonly #requests: RequestActivity | undefined;
  /** When the next turn may start: the last granted turn's slice and pause are over. */
  #next: Promise<void> = Promise.resolve();

  constructor(options: {
    sliceMs: number;
    pauseMs: number;
    requests?: RequestActivity;
    maxDeferMs?: number;
  }) {
    this.sliceMs = options.sliceMs;
    this.pauseMs = options.pauseMs;
    this.#requests = options.requests;
    this.maxDeferMs = options.maxDeferMs ?? 0;
  }

  /**
   * Waits for the caller's turn: at once when no turn was granted for a slice and a pause,
   * else once the turns granted before it are over; then, while requests are in flight, until
   * there are none or `maxDeferMs` passed. The caller then works for at most
   * `sliceMs` and asks again. An aborted wait resolves at once (the caller checks its
   * signal); its place in the queue still passes in turn.
   */
  turn(signal?: AbortSignal): Promise<void> {
    const requests = this.#requests;
    const mine =
      requests && this.maxDeferMs > 0
        ? this.#next.then(() => requests.idle(this.maxDeferMs))
        : this.#next;
    const wait = this.sliceMs + this.pauseMs;
    this.#next = mine.then(
      () =>
        new Promise<void>(resolve => {
          // Measured on the clock: a timer counts from the event loop's cached time, which
          // lags behind after long synchronous work, so it alone can end a pause early.
          const until = performance.now() + wait;
          const wake = () => {
            const left = until - performance.now();
            if (left <= 0) {
              resolve();
              return;
            }
            const timer = setTimeout(wake, Math.ceil(left));
            // A stopped index must not keep the process alive for a pause.
            timer.unref?.();
          };
          wake();
        }),
    );
    if (!signal) return mine;
    return new Promise<void>(resolve => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      void mine.then(done);
    });
  }
}

/**
 * The product's pace for the start-up re-send: a slice of at most 2 ms every 10 ms (a fifth
 * of one core at most, shared by every instance), each turn deferred for at most 50 ms while
 * the plugin's requests are in flight (a 2 ms slice every 60 ms at least under any load).
 */
export const createStartupPacer = (requests?: RequestActivity) =>
  new BackgroundPacer({ sliceMs: 2, pauseMs: 8, requests, maxDeferMs: 50 });
