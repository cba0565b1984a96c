import { useTheme } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { DoraBucket } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';

const HEIGHT = 64;

/**
 * Changes per day (or week) as bars, the failed part of each in the error colour: plain SVG,
 * no chart library. The bars' titles give the numbers to a pointer and a screen reader.
 */
export function DoraChart(props: { buckets: DoraBucket[] }) {
  const theme = useTheme();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const { buckets } = props;
  const max = Math.max(1, ...buckets.map(b => b.deployments));
  const width = Math.max(1, buckets.length) * 10;
  const total = buckets.reduce((n, b) => n + b.deployments, 0);
  const failed = buckets.reduce((n, b) => n + b.failures, 0);
  return (
    <svg
      role="img"
      aria-label={t('dora.chartLabel', {
        total: String(total),
        failed: String(failed),
      })}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      preserveAspectRatio="none"
      width="100%"
      height={HEIGHT}
    >
      <line
        x1={0}
        x2={width}
        y1={HEIGHT - 0.5}
        y2={HEIGHT - 0.5}
        stroke={theme.palette.divider}
      />
      {buckets.map((b, i) => {
        const ok = b.deployments - b.failures;
        const okHeight = (ok / max) * (HEIGHT - 4);
        const failHeight = (b.failures / max) * (HEIGHT - 4);
        const day = b.start.slice(0, 10);
        return (
          <g key={b.start}>
            <title>
              {t('dora.bar', {
                day,
                total: String(b.deployments),
                failed: String(b.failures),
              })}
            </title>
            <rect
              x={i * 10 + 1}
              width={8}
              y={HEIGHT - okHeight}
              height={okHeight}
              fill={theme.palette.primary.main}
            />
            <rect
              x={i * 10 + 1}
              width={8}
              y={HEIGHT - okHeight - failHeight}
              height={failHeight}
              fill={theme.palette.error.main}
            />
          </g>
        );
      })}
    </svg>
  );
}
