import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { QuarantinesResponse } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../api/GitOpsApi';
import { type AsyncValue, useAsyncValue } from './useAsyncValue';

/** The entity's quarantines (lifted ones too with `includeLifted`), and a way to read them again. */
export function useEntityQuarantines(
  entityRef: string,
  options: { includeLifted?: boolean } = {},
): AsyncValue<QuarantinesResponse> & { reload(): void } {
  const api = useApi(gitOpsApiRef);
  const [generation, setGeneration] = useState(0);
  const value = useAsyncValue(
    () => api.getEntityQuarantines(entityRef, options),
    [api, entityRef, options.includeLifted, generation],
  );
  return { ...value, reload: () => setGeneration(g => g + 1) };
}
