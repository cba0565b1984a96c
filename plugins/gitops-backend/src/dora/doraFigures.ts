/**
 * DORA figures from a list of production deployments: pure arithmetic, no I/O, so every
 * figure can be checked by hand against a known history (see doraFigures.test.ts).
 */

/** Why a production deployment counts as a failed change. */
export type FailureCause =
  | 'validation'
  | 'rolled-back'
  | 'reverted'
  | 'quarantine';

/** One production deployment as the portal saw it (Argo CD's history joined with its records). */
export interface DeploymentInput {
  instance: string;
  appNamespace: string;
  app: string;
  environment?: string;
  /** What was deployed: a commit SHA, or a chart version. */
  revision?: string;
  /**
   * What the deployed revision holds of the app's own files (its sources' paths, value files
   * and chart versions): equal for two deployments exactly when they run the same. Deployments
   * of a shared repository's commits that touched only other apps' files keep it; without
   * it, deployments compare by revision.
   */
  contentKey?: string;
  /** Argo CD's `status.history[].deployedAt`, epoch ms. */
  deployedAt: number;
  /** When the rollout follower saw it Healthy (and Synced), when it followed it. */
  healthyAt?: number;
  /** The deployed revision's commit time (Argo CD's revision metadata). */
  committedAt?: number;
  /** The deployed revision's commit message; `Revert ...` marks a revert. */
  commitMessage?: string;
  /** The post-deploy validation's outcome; undefined when the portal did not follow it. */
  validation?: 'in-progress' | 'passed' | 'failed' | 'superseded';
  validationReason?: string;
  /** The active quarantine of the deployed version, if it is one. */
  quarantine?: { reason: string };
}

/**
 * - `change`: a revision the app did not run before.
 * - `restore`: back to an earlier revision (an Argo CD rollback or sync to an older commit),
 *   or a revert commit: it ends a failure, it is not a new change.
 * - `redeploy`: the same revision again (a re-sync), or one whose commits touched none of the
 *   app's own files (another app's commit in a shared repository): neither a change nor a
 *   restore.
 */
export type DeploymentKind = 'change' | 'restore' | 'redeploy';

/** A deployment with what the figures made of it. */
export interface ClassifiedDeployment extends DeploymentInput {
  kind: DeploymentKind;
  /** `pending` while its validation runs: not counted as success nor failure yet. */
  outcome: 'succeeded' | 'failed' | 'pending';
  failure?: { cause: FailureCause; detail: string };
  /** `(healthyAt ?? deployedAt) - committedAt` of a change with a known commit time. */
  leadTimeMs?: number;
  /** For a failed deployment: when the next non-failed deployment of the app ran. */
  restoredAt?: number;
}

/** A stretch of failed deployments of one app, from the first to the next good one. */
export interface Incident {
  instance: string;
  appNamespace: string;
  app: string;
  failedAt: number;
  restoredAt?: number;
  timeToRestoreMs?: number;
}

/** One bar of the chart. */
export interface DoraBucket {
  start: number;
  end: number;
  deployments: number;
  failures: number;
}

/** Every figure over one period, with what it was computed from. */
export interface DoraFigures {
  period: { from: number; to: number; days: number };
  deploymentFrequency: { count: number; perDay: number; perWeek: number };
  leadTime: { medianMs?: number; measured: number; unmeasured: number };
  changeFailureRate: { rate?: number; failed: number; decided: number };
  timeToRestore: { medianMs?: number; restored: number; unrestored: number };
  buckets: DoraBucket[];
  deployments: ClassifiedDeployment[];
  incidents: Incident[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

const appKey = (d: { instance: string; appNamespace: string; app: string }) =>
  `${d.instance}/${d.appNamespace}/${d.app}`;

const REVERT_MESSAGE = /^revert\b/i;

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function markFailed(
  d: ClassifiedDeployment,
  cause: FailureCause,
  detail: string,
): void {
  // The first cause found stays: a failed validation is more telling than the rollback after it.
  if (d.outcome === 'failed') return;
  d.outcome = 'failed';
  d.failure = { cause, detail };
}

/**
 * Classifies one app's deployments (any order; the whole history known, not only the
 * period's, so a rollback to a revision deployed before the period is still recognised).
 */
function classifyApp(history: DeploymentInput[]): ClassifiedDeployment[] {
  const sorted = [...history].sort((a, b) => a.deployedAt - b.deployedAt);
  const seen = new Set<string>();
  const out: ClassifiedDeployment[] = [];
  const idOf = (d: DeploymentInput) => d.contentKey ?? d.revision;
  for (const input of sorted) {
    const previous = out[out.length - 1];
    const id = idOf(input);
    let kind: DeploymentKind = 'change';
    if (id && previous && idOf(previous) === id) {
      kind = 'redeploy';
    } else if (id && seen.has(id)) {
      kind = 'restore';
    } else if (
      input.commitMessage &&
      REVERT_MESSAGE.test(input.commitMessage)
    ) {
      kind = 'restore';
    }
    const d: ClassifiedDeployment = {
      ...input,
      kind,
      outcome: input.validation === 'in-progress' ? 'pending' : 'succeeded',
    };
    if (input.validation === 'failed') {
      markFailed(
        d,
        'validation',
        input.validationReason ?? 'validation failed',
      );
    }
    if (input.quarantine) {
      markFailed(d, 'quarantine', `quarantined: ${input.quarantine.reason}`);
    }
    if (kind === 'restore' && previous) {
      const by = input.revision?.slice(0, 7) ?? 'an earlier revision';
      const rolledBack = seen.has(id ?? '');
      markFailed(
        previous,
        rolledBack ? 'rolled-back' : 'reverted',
        rolledBack ? `rolled back to ${by}` : `reverted by ${by}`,
      );
    }
    if (
      kind === 'change' &&
      input.committedAt !== undefined &&
      (input.healthyAt ?? input.deployedAt) >= input.committedAt
    ) {
      d.leadTimeMs = (input.healthyAt ?? input.deployedAt) - input.committedAt;
    }
    if (id) seen.add(id);
    out.push(d);
  }
  return out;
}

/** Stretches of failures per app, each ended by the next deployment that did not fail. */
function incidentsOf(app: ClassifiedDeployment[]): Incident[] {
  const incidents: Incident[] = [];
  let open: Incident | undefined;
  const failed: ClassifiedDeployment[] = [];
  for (const d of app) {
    if (d.outcome === 'failed') {
      open ??= {
        instance: d.instance,
        appNamespace: d.appNamespace,
        app: d.app,
        failedAt: d.deployedAt,
      };
      failed.push(d);
    } else if (open && d.outcome === 'succeeded') {
      open.restoredAt = d.healthyAt ?? d.deployedAt;
      open.timeToRestoreMs = open.restoredAt - open.failedAt;
      for (const f of failed) f.restoredAt = open.restoredAt;
      incidents.push(open);
      open = undefined;
      failed.length = 0;
    }
  }
  if (open) incidents.push(open);
  return incidents;
}

function bucketsOf(
  from: number,
  to: number,
  deployments: ClassifiedDeployment[],
): DoraBucket[] {
  // Daily bars up to a month, weekly beyond: at most 53 bars for a year.
  const size = to - from <= 31 * DAY_MS ? DAY_MS : 7 * DAY_MS;
  const buckets: DoraBucket[] = [];
  for (let start = from; start < to; start += size) {
    buckets.push({
      start,
      end: Math.min(to, start + size),
      deployments: 0,
      failures: 0,
    });
  }
  for (const d of deployments) {
    if (d.kind !== 'change') continue;
    const bucket = buckets[Math.floor((d.deployedAt - from) / size)];
    if (!bucket) continue;
    bucket.deployments += 1;
    if (d.outcome === 'failed') bucket.failures += 1;
  }
  return buckets;
}

/**
 * The four DORA figures of production deployments over `[from, to)`:
 * - deployment frequency: changes that did not fail, per day and per week;
 * - lead time: median of commit time to Healthy (or deployed, when Healthy was not recorded);
 * - change failure rate: failed changes among changes whose validation is decided;
 * - time to restore: median of incidents (first failed deployment of an app until its next
 *   deployment that did not fail) that began in the period.
 * Restores and redeploys are listed but are not changes.
 */
export function computeDoraFigures(
  inputs: DeploymentInput[],
  period: { from: number; to: number },
): DoraFigures {
  const { from, to } = period;
  const byApp = new Map<string, DeploymentInput[]>();
  for (const d of inputs) {
    const list = byApp.get(appKey(d)) ?? [];
    list.push(d);
    byApp.set(appKey(d), list);
  }
  const all: ClassifiedDeployment[] = [];
  const incidents: Incident[] = [];
  for (const history of byApp.values()) {
    const classified = classifyApp(history);
    all.push(...classified);
    incidents.push(...incidentsOf(classified));
  }
  const inPeriod = (t: number) => t >= from && t < to;
  const deployments = all
    .filter(d => inPeriod(d.deployedAt))
    .sort((a, b) => a.deployedAt - b.deployedAt);
  const changes = deployments.filter(d => d.kind === 'change');
  const decided = changes.filter(d => d.outcome !== 'pending');
  const failed = decided.filter(d => d.outcome === 'failed');
  const succeeded = decided.length - failed.length;
  const days = (to - from) / DAY_MS;
  const leadTimes = changes
    .map(d => d.leadTimeMs)
    .filter((t): t is number => t !== undefined);
  const periodIncidents = incidents.filter(i => inPeriod(i.failedAt));
  const restoreTimes = periodIncidents
    .map(i => i.timeToRestoreMs)
    .filter((t): t is number => t !== undefined);

  return {
    period: { from, to, days },
    deploymentFrequency: {
      count: succeeded,
      perDay: days > 0 ? succeeded / days : 0,
      perWeek: days > 0 ? (succeeded / days) * 7 : 0,
    },
    leadTime: {
      medianMs: median(leadTimes),
      measured: leadTimes.length,
      unmeasured: changes.length - leadTimes.length,
    },
    changeFailureRate: {
      rate: decided.length > 0 ? failed.length / decided.length : undefined,
      failed: failed.length,
      decided: decided.length,
    },
    timeToRestore: {
      medianMs: median(restoreTimes),
      restored: restoreTimes.length,
      unrestored: periodIncidents.length - restoreTimes.length,
    },
    buckets: bucketsOf(from, to, deployments),
    deployments,
    incidents: periodIncidents.sort((a, b) => a.failedAt - b.failedAt),
  };
}
