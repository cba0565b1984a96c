import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { ReactNode, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { DoraResponse } from '@kupe/plugin-gitops-common';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { errorMessage } from '../../lib/errorMessage';
import { gitOpsTranslationRef } from '../../translation';
import { DoraPanel } from './DoraPanel';

const PERIODS = [7, 30, 90, 365];

/** An InfoCard around {@link DoraPanel} with a period choice; `load` reads the figures. */
export function DoraCard(props: {
  title: ReactNode;
  load: (days: number) => Promise<DoraResponse>;
  deps: unknown[];
}) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const [days, setDays] = useState(30);
  const dora = useAsyncValue(() => props.load(days), [days, ...props.deps]);
  return (
    <div data-testid="dora-card">
      <InfoCard
        title={props.title}
        action={
          <Select
            value={days}
            onChange={e => setDays(Number(e.target.value))}
            // The name holds the visible text, so voice control finds it by what it shows.
            inputProps={{
              'aria-label': t('dora.periodLabel', { days: String(days) }),
            }}
          >
            {PERIODS.map(p => (
              <MenuItem key={p} value={p}>
                {t('dora.period', { days: String(p) })}
              </MenuItem>
            ))}
          </Select>
        }
      >
        {dora.error && (
          // The backend's reason as the title: the status line alone says nothing.
          <ResponseErrorPanel
            error={dora.error}
            title={errorMessage(dora.error)}
          />
        )}
        {!dora.value && dora.loading && <Progress />}
        {dora.value && <DoraPanel dora={dora.value} />}
      </InfoCard>
    </div>
  );
}
