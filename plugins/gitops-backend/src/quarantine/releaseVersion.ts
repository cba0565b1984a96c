import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import { parseImage } from '../gitOperations/environmentVersion';

/** What a deployment runs, or would run: the forms a quarantined version can take. */
export interface ReleaseVersion {
  /** Image tags (`1.4.0`) or whole references (`registry/name:1.4.0`). */
  images: string[];
  chartVersions: string[];
  /** Git revisions (full SHAs). */
  revisions: string[];
}

const COMMIT = /^[0-9a-f]{7,40}$/i;

const tagOf = (image: string) =>
  image.includes(':') || image.includes('/') ? parseImage(image).tag : image;

/**
 * Whether `release` holds `version`: one of its image tags or chart versions is exactly it,
 * or, for a commit SHA of 7 to 40 hex digits, one of its revisions starts with it.
 */
export function releaseHolds(
  release: ReleaseVersion,
  version: string,
): boolean {
  if (release.images.some(image => tagOf(image) === version)) return true;
  if (release.chartVersions.includes(version)) return true;
  if (!COMMIT.test(version)) return false;
  const prefix = version.toLowerCase();
  return release.revisions.some(r => r.toLowerCase().startsWith(prefix));
}

/** What an indexed application runs now: its images, its charts' versions and its commits. */
export function runningVersion(app: IndexedApplication): ReleaseVersion {
  const sources = app.sources ?? (app.source ? [app.source] : []);
  const deployed = app.deployedRevisions ?? [];
  const chartVersions: string[] = [];
  const revisions: string[] = [];
  sources.forEach((source, i) => {
    const revision = deployed[i];
    if (!revision) return;
    (source.chart ? chartVersions : revisions).push(revision);
  });
  if (app.deployedRevision && !revisions.includes(app.deployedRevision))
    revisions.push(app.deployedRevision);
  return { images: app.images, chartVersions, revisions };
}
