import type { GitController } from '../controller/GitController';

const MINUTE = 60_000;

/**
 * How acme-web's production history ends on a fresh sandbox, after the main seed deployed
 * c1 and c2 to acme-web-prod: c3 ("Promote acme-web 1.4.0 to prod") is deployed 30 minutes
 * after its commit and rolled back (Argo CD rollback) to c2 an hour later, so prod still runs
 * 1.3.0, OutOfSync with 1.4.0, as the other journeys expect.
 *
 * With the main seed's c1 (committed 3 d ago, deployed 45 min later) and c2 (committed 2 d ago,
 * deployed 20 min later), acme-web's DORA figures over the last 30 days are as below. c2 is
 * acme-api's commit ("Roll out acme-api 2.0.0 to prod") in the shared repository: it leaves
 * acme-web's prod files as c1 had them, so for acme-web it is a re-sync, not a change.
 * - deployment frequency: c1 did not fail = 1 change / 30 d x 7 = 0.23, "0.2 / week";
 * - lead time: median of 45 and 30 min = 37.5 min, "38 min";
 * - change failure rate: c3 rolled back = 1 of 2 changes, 50%;
 * - time to restore: c3 deployed to c2 back = 60 min, "1 h".
 */
export const DORA_SEED = {
  /** c3's deployment to prod, after its commit. */
  leadTimeMs: 30 * MINUTE,
  /** From c3's deployment to the rollback to c2. */
  timeToRestoreMs: 60 * MINUTE,
} as const;

/**
 * Deploys c3 to acme-web-prod and rolls it back to c2, dated from c3's commit time; only on a
 * fresh seed (the commits' SHAs known).
 */
export async function seedDoraHistory(
  controller: GitController,
  options: {
    now: Date;
    shas: Record<string, string>;
    c3CommittedAgoMs: number;
  },
): Promise<void> {
  const { now, shas, c3CommittedAgoMs } = options;
  const key = { name: 'acme-web-prod', namespace: 'argocd' };
  const at = (agoMs: number) =>
    `${new Date(now.getTime() - agoMs).toISOString().slice(0, 19)}Z`;
  const deployedAgo = c3CommittedAgoMs - DORA_SEED.leadTimeMs;
  await controller.deploy(key, shas.c3, {
    initiatedBy: { username: 'alice@acme.example' },
    deployedAt: at(deployedAgo),
  });
  await controller.deploy(key, shas.c2, {
    initiatedBy: { username: 'alice@acme.example' },
    deployedAt: at(deployedAgo - DORA_SEED.timeToRestoreMs),
  });
}
