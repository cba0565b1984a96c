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

/** The entity's quarantines (lifted ones too with `includeLifted`), and a way to read them again. */
export function useEntityQuarantines(
  entityRef: string,
  options: { includeLifted?: boolean } = {},
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
  const value = useAsyncValue(
    () => api.getEntityQuarantines(entityRef, options),
    [api, entityRef, options.includeLifted, generation],
  );
  return { ...value, reload: () => setGeneration(g => g + 1) };
}
