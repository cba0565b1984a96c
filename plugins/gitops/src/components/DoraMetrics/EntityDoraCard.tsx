import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { DoraCard } from './DoraCard';

/**
 * The entity's DORA figures: its production applications the user may see, with how each
 * figure was computed.
 *
 * @public
 */
export function EntityDoraCard() {
  const { entity } = useEntity();
  const api = useApi(gitOpsApiRef);
  const ref = stringifyEntityRef(entity);
  return (
    <DoraCard
      title="DORA figures (production)"
      load={days => api.getEntityDora(ref, days)}
      deps={[ref]}
    />
  );
}
