import type { DoraResponse, InstanceError } from '@kupe/plugin-gitops-common';
import type { DoraFigures } from './doraFigures';

const iso = (t: number | undefined) =>
  t === undefined ? undefined : new Date(t).toISOString();

/** Drops undefined fields: the document allows no nulls and the payload stays small. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/**
 * The wire form of the figures, each with how it was computed, and what is not known:
 * `unknown` carries the gatherer's notes (history limits, deployments not followed).
 */
export function toDoraResponse(
  figures: DoraFigures,
  notes: { unknown: string[]; errors: InstanceError[] },
): DoraResponse {
  const {
    period,
    deploymentFrequency,
    leadTime,
    changeFailureRate,
    timeToRestore,
  } = figures;
  const restores = figures.deployments.filter(d => d.kind === 'restore').length;
  const redeploys = figures.deployments.filter(
    d => d.kind === 'redeploy',
  ).length;
  const pending = figures.deployments.filter(
    d => d.kind === 'change' && d.outcome === 'pending',
  ).length;
  const days = Math.round(period.days * 100) / 100;
  return {
    from: iso(period.from)!,
    to: iso(period.to)!,
    days,
    deploymentFrequency: {
      value: deploymentFrequency.perWeek,
      count: deploymentFrequency.count,
      how: `${deploymentFrequency.count} production changes that did not fail in ${days} days, times 7 / ${days} for a weekly rate. A change is a revision the application did not run before; ${restores} restores (rollbacks, reverts) and ${redeploys} re-syncs of the same revision are not changes.`,
    },
    leadTime: defined({
      value: leadTime.medianMs,
      count: leadTime.measured,
      unknown: leadTime.unmeasured,
      how: `Median over ${leadTime.measured} production changes of the deployed revision's commit time to Healthy in production (to the deployment's time where the portal did not record Healthy); ${leadTime.unmeasured} changes without a known commit time are left out.`,
    }),
    changeFailureRate: defined({
      value: changeFailureRate.rate,
      count: changeFailureRate.decided,
      unknown: pending,
      how: `${changeFailureRate.failed} failed of ${changeFailureRate.decided} production changes: failed post-deploy validation, rolled back (a later deployment of an earlier revision), reverted (the next deployment is a revert commit) or quarantined; ${pending} still validating are left out.`,
    }),
    timeToRestore: defined({
      value: timeToRestore.medianMs,
      count: timeToRestore.restored,
      unknown: timeToRestore.unrestored,
      how: `Median over ${timeToRestore.restored} incident(s) that began in the period, each from an application's first failed production deployment to its next deployment that did not fail (Healthy time when recorded, else deployed); ${timeToRestore.unrestored} not restored yet.`,
    }),
    buckets: figures.buckets.map(b => ({
      start: iso(b.start)!,
      end: iso(b.end)!,
      deployments: b.deployments,
      failures: b.failures,
    })),
    deployments: figures.deployments.map(d =>
      defined({
        instance: d.instance,
        appNamespace: d.appNamespace,
        app: d.app,
        environment: d.environment,
        revision: d.revision,
        deployedAt: iso(d.deployedAt)!,
        healthyAt: iso(d.healthyAt),
        committedAt: iso(d.committedAt),
        kind: d.kind,
        outcome: d.outcome,
        validation: d.validation,
        failure: d.failure,
        leadTimeMs: d.leadTimeMs,
        restoredAt: iso(d.restoredAt),
      }),
    ),
    unknown: notes.unknown,
    errors: notes.errors,
  };
}
