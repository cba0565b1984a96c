import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { QuarantinesResponse } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../api/GitOpsApi';
import { type AsyncValue, useAsyncValue } from './useAsyncValue';

const listeners = new Set<(entityRef: string) => void>();

/** Tells every view of an entity's quarantines on the page (banner, panel) to read them again. */
export function quarantinesChanged(entityRef: string): void {
  listeners.forEach(listener => listener(entityRef));
}

/**
 * The entity's quarantines (lifted ones too with `includeLifted`), and a way to read them
 * again. With `noneRunning` (the entity's applications answer says none of its quarantines
 * runs) nothing is asked and there are none to show, until they change on the page.
 */
export function useEntityQuarantines(
  entityRef: string,
  options: { includeLifted?: boolean; noneRunning?: boolean } = {},
): AsyncValue<QuarantinesResponse> & { reload(): void } {
  const api = useApi(gitOpsApiRef);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const listener = (changed: string) => {
      if (changed === entityRef) setGeneration(g => g + 1);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [entityRef]);
  const ask = !options.noneRunning || generation > 0;
  const value = useAsyncValue(
    () =>
      ask
        ? api.getEntityQuarantines(entityRef, {
            includeLifted: options.includeLifted,
          })
        : Promise.resolve({ items: [] }),
    [api, entityRef, options.includeLifted, generation, ask],
  );
  return { ...value, reload: () => setGeneration(g => g + 1) };
}
