import { useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  EnvironmentVersion,
  PromotionPreview,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../api/GitOpsApi';
import {
  NO_ENVIRONMENT,
  appKey,
  groupByEnvironment,
  imageTags,
} from '../lib/environmentGroups';
import { deployedRevisionOf } from '../lib/revisions';
import { useKeyedAsync } from './useKeyedAsync';
import { gitReadingLoads } from '../lib/requestLimiter';

/** A promotion preview as the tab holds it. */
export interface PreviewState {
  preview?: PromotionPreview;
  error?: Error;
  loading: boolean;
  /**
   * The preview does not answer what runs now: the live state changed since it was read, or
   * it names versions the apps no longer run. Promote waits until a fresh one arrives.
   */
  stale: boolean;
}

/** How often a preview that disagrees with what runs is read again, and how long apart. */
const RECHECKS = 5;
const RECHECK_MS = 3_000;

/**
 * What an app runs, as the live state (the events stream) reports it. A preview depends on
 * its app's and the next environment's, so any of these moving reloads the previews.
 */
export function deploymentKey(apps: readonly ApplicationSummary[]): string {
  // Sorted: the order in which a listing or an event names apps and images is no change.
  return JSON.stringify(
    apps
      .map(a => [
        appKey(a),
        deployedRevisionOf(a),
        a.sync.revision,
        [...a.images].sort(),
        a.sources?.map(s => s.deployedRevision),
        a.source?.chart && a.source.targetRevision,
      ])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
  );
}

/** Whether a version read from Git names an image tag other than the one the app runs. */
function disagrees(
  version: EnvironmentVersion,
  app: ApplicationSummary | undefined,
): boolean {
  if (!app) return false;
  const runs = imageTags(app.images);
  return version.images.some(
    image => runs.has(image.name) && runs.get(image.name) !== image.tag,
  );
}

/**
 * The promotion preview of each app with an environment, reloaded when the live state changes
 * what any app runs. Until the reload answers, the old preview is marked stale; a preview that
 * still names versions the apps no longer run (the backend had not yet seen the change) is
 * read again a few times before it is believed.
 */
export function usePromotionPreviews(
  apps: readonly ApplicationSummary[],
): Map<string, PreviewState> {
  const api = useApi(gitOpsApiRef);
  const live = deploymentKey(apps);
  const [rechecks, setRechecks] = useState<{
    live: string;
    counts: Record<string, number>;
  }>({ live, counts: {} });
  const counts = rechecks.live === live ? rechecks.counts : {};
  const promoted = useMemo(
    () =>
      groupByEnvironment(apps)
        .filter(g => g.environment !== NO_ENVIRONMENT)
        .flatMap(g => g.apps),
    [apps],
  );
  const loaded = useKeyedAsync(
    promoted.map(app => {
      const key = appKey(app);
      return {
        key,
        version: `${live}#${counts[key] ?? 0}`,
        load: () =>
          gitReadingLoads(() =>
            api.getPromotion({
              instance: app.instance,
              appNamespace: app.appNamespace,
              name: app.name,
            }),
          ),
      };
    }),
  );
  const byKey = new Map(apps.map(a => [appKey(a), a]));
  const states = new Map<string, PreviewState>();
  const recheck: string[] = [];
  for (const app of promoted) {
    const key = appKey(app);
    const entry = loaded.get(key)!;
    const preview = entry.value;
    const behindLive =
      entry.current &&
      preview !== undefined &&
      (disagrees(preview.version, app) ||
        (preview.next !== undefined &&
          disagrees(
            preview.next.version,
            byKey.get(appKey(preview.next.application)),
          )));
    const mayRecheck = behindLive && (counts[key] ?? 0) < RECHECKS;
    if (mayRecheck) recheck.push(key);
    states.set(key, {
      preview,
      error: entry.error,
      loading: entry.loading,
      stale: preview !== undefined && (!entry.current || mayRecheck),
    });
  }

  const recheckKey = recheck.join(' ');
  useEffect(() => {
    if (!recheckKey) return undefined;
    const timer = setTimeout(
      () =>
        setRechecks(previous => {
          const base = previous.live === live ? previous.counts : {};
          const next = { ...base };
          for (const key of recheckKey.split(' '))
            next[key] = (next[key] ?? 0) + 1;
          return { live, counts: next };
        }),
      RECHECK_MS,
    );
    return () => clearTimeout(timer);
  }, [recheckKey, live]);

  return states;
}
