/**
 * Runs at most `limit` tasks at once, the others in the order they were queued. A browser
 * keeps six connections per host (HTTP/1.1) and the tab's event stream holds one: without a
 * limit, a tab's per-app details and promotion previews (each reading Git on the backend,
 * seconds each when cold) take every other connection, and small requests of the same page
 * (an ApplicationSet's status, the quarantines) wait behind all of them.
 */
export function createRequestLimiter(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    active -= 1;
    queue.shift()?.();
  };
  return function run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        active += 1;
        task().then(resolve, reject).finally(next);
      };
      if (active < limit) start();
      else queue.push(start);
    });
  };
}

/** The GitOps tab's Git-reading loads (details, promotion previews): three at a time. */
export const gitReadingLoads = createRequestLimiter(3);
