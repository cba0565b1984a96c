import { useEffect, useRef, useState } from 'react';

/** One value to load, under a key, for a version of what it depends on. */
export interface KeyedRequest<T> {
  key: string;
  /** Loads again whenever it changes (what the value depends on, e.g. the live state). */
  version: string;
  load(): Promise<T>;
}

/** The last value loaded for a key, and whether it was loaded for the current version. */
export interface KeyedValue<T> {
  value?: T;
  error?: Error;
  /** No answer yet for the current version. */
  loading: boolean;
  /** The value or error answers the current version (false while a reload runs). */
  current: boolean;
}

interface Loaded<T> {
  value?: T;
  error?: Error;
  version: string;
}

/**
 * Loads one value per key and reloads a key whenever its version changes, keeping the
 * previous value meanwhile (marked not current) so nothing flashes while a reload runs.
 */
export function useKeyedAsync<T>(
  requests: readonly KeyedRequest<T>[],
): Map<string, KeyedValue<T>> {
  const [loaded, setLoaded] = useState<Map<string, Loaded<T>>>(new Map());
  const started = useRef(new Map<string, string>());
  const latest = useRef(requests);
  latest.current = requests;
  const signature = JSON.stringify(requests.map(r => [r.key, r.version]));

  useEffect(() => {
    for (const request of latest.current) {
      if (started.current.get(request.key) === request.version) continue;
      const { key, version } = request;
      started.current.set(key, version);
      const settle = (result: Omit<Loaded<T>, 'version'>) => {
        // An answer for a version that was since replaced is dropped.
        if (started.current.get(key) !== version) return;
        setLoaded(previous => {
          const next = new Map(previous);
          next.set(key, {
            value: result.value ?? previous.get(key)?.value,
            error: result.error,
            version,
          });
          return next;
        });
      };
      request.load().then(
        value => settle({ value }),
        error => settle({ error }),
      );
    }
  }, [signature]);

  useEffect(
    () => () => {
      // Unmounted: answers still in flight must not set state.
      started.current.clear();
    },
    [],
  );

  return new Map(
    requests.map(({ key, version }) => {
      const entry = loaded.get(key);
      const current = entry?.version === version;
      return [
        key,
        {
          value: entry?.value,
          error: entry?.error,
          loading: !current,
          current,
        },
      ];
    }),
  );
}
