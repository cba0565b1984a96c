import type {
  ApplicationSourceSummary,
  ApplicationSummary,
} from '@kupe/plugin-gitops-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitOpsTranslationRef } from '../../translation';
import { RevisionLink } from './RevisionLink';

/**
 * Whether an app is shown source by source: it has several sources, or a chart from a Helm
 * repository, whose revisions are chart versions rather than commits.
 */
export function showsSources(app: ApplicationSummary): boolean {
  const sources = app.sources ?? [];
  return sources.length > 1 || sources.some(s => !!s.chart);
}

/** `acme/gitops` of `https://github.com/acme/gitops.git`; the host of a Helm repository. */
function repositoryName(repoURL: string): string {
  const trimmed = repoURL.replace(/\.git$/, '').replace(/\/+$/, '');
  const scp = /^[\w.-]+@[\w.-]+:(.+)$/.exec(trimmed);
  const path = scp ? scp[1] : trimmed.replace(/^[a-z]+:\/\/[^/]+\/?/i, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return trimmed.replace(/^[a-z]+:\/\//i, '');
  return parts.slice(-2).join('/');
}

/** What a source is, in words: `chart web`, `values acme/gitops`, `acme/gitops apps/web/dev`. */
export function sourceLabel(source: ApplicationSourceSummary): string {
  if (source.chart) return `chart ${source.chart}`;
  const repo = repositoryName(source.repoURL);
  if (source.ref && !source.path) return `${source.ref} ${repo}`;
  return source.path ? `${repo} ${source.path}` : repo;
}

function Revision(props: {
  source: ApplicationSourceSummary;
  revision?: string;
  target?: boolean;
}) {
  const { source, revision, target } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (source.chart) {
    return (
      <code data-testid={target ? 'source-target-version' : 'source-version'}>
        {revision ?? t('messages.noVersion')}
      </code>
    );
  }
  return (
    <RevisionLink
      repoURL={source.repoURL}
      revision={revision}
      label={t(target ? 'messages.targetCommit' : 'messages.commit')}
      testId={target ? 'source-target-revision' : 'source-revision'}
    />
  );
}

/**
 * Every source of the app with what runs from it (a chart version, or a commit) and, while
 * the app is OutOfSync, the revision a sync would move it to where that differs.
 */
export function SourceRevisions(props: {
  app: ApplicationSummary;
  /** One source a line, kept whole, instead of one line separated by dots. */
  stacked?: boolean;
}) {
  const { app, stacked } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const sources = app.sources ?? [];
  return (
    <span data-testid="source-revisions">
      {sources.map((source, i) => {
        const running = source.deployedRevision;
        const target =
          app.sync.status === 'OutOfSync' &&
          source.syncRevision &&
          source.syncRevision !== running
            ? source.syncRevision
            : undefined;
        const label = sourceLabel(source);
        return (
          <span
            key={`${i}:${source.repoURL}`}
            data-testid="gitops-source"
            aria-label={t(
              target ? 'messages.sourceWithTarget' : 'messages.source',
              {
                source: label,
                revision: running ?? t('messages.notDeployed'),
                target: target ?? '',
              },
            )}
            style={
              stacked ? { display: 'block', whiteSpace: 'nowrap' } : undefined
            }
          >
            {!stacked && i > 0 && ' · '}
            {label} <Revision source={source} revision={running} />
            {target && (
              <span data-testid="source-target">
                {' '}
                {t('messages.target', {
                  revision: (
                    <Revision source={source} revision={target} target />
                  ),
                })}
              </span>
            )}
          </span>
        );
      })}
    </span>
  );
}
