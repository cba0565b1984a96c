import { DependencyList, useEffect, useState } from 'react';

export interface AsyncValue<T> {
  loading: boolean;
  error?: Error;
  value?: T;
}

/**
 * Runs `load` whenever `deps` change and keeps the previous value while reloading, so live
 * updates do not flash a spinner over data the user is reading.
 */
export function useAsyncValue<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): AsyncValue<T> {
  const [state, setState] = useState<AsyncValue<T>>({ loading: true });
  useEffect(() => {
    let active = true;
    setState(s => ({ ...s, loading: true }));
    load().then(
      value => active && setState({ loading: false, value }),
      error =>
        active && setState(s => ({ loading: false, error, value: s.value })),
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
