import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { gitOpsTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <DoraCard
      title={t('dora.title')}
      load={days => api.getEntityDora(ref, days)}
      deps={[ref]}
    />
  );
}
