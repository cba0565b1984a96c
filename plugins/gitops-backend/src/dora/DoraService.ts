import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type DoraResponse,
  type InstanceError,
  gitOpsMetricsReadPermission,
  isProductionEnvironment,
  requireDns1123Label,
} from '@kupe/plugin-gitops-common';
import type { TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { RolloutStore } from '../rolloutValidation/RolloutStore';
import type {
  ApplicationAccess,
  VisibleApplication,
} from '../service/ApplicationAccess';
import type { ApplicationDetails } from '../service/ApplicationDetails';
import type { EntityApplications } from '../service/EntityApplications';
import type { QuarantineChecks } from '../quarantine/QuarantineChecks';
import type { DeploymentLog } from './DeploymentLog';
import { type DeploymentInput, computeDoraFigures } from './doraFigures';
import { toDoraResponse } from './doraReport';
import { originOf } from './promotionChain';
import { mapLimited } from '../service/mapLimited';

const CONCURRENCY = 4;
/** Rollout records read per application: more than Argo CD's history of one app holds. */
const ROLLOUTS_PER_APP = 200;

const parse = (value: string | undefined) => {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

/**
 * DORA figures of an entity's or a tenant's production applications over a period. The
 * deployments are Argo CD's history of each app (`status.history[]`, one entry per successful
 * sync) and, beyond it, the deployments the portal logged (see {@link DeploymentLog}), joined
 * with the rollout follower's validation and Healthy time (matched by the operation's start)
 * and the revision's commit time and message (Argo CD's revision metadata). Apps come only from the caller's tenants: the entity's through
 * {@link EntityApplications} (the `/applications` selection), a tenant's only for its members
 * and the platform team.
 */
export class DoraService {
  readonly #index: ApplicationIndex;
  readonly #access: ApplicationAccess;
  readonly #entityApplications: EntityApplications;
  readonly #tenants: TenantResolver;
  readonly #rollouts: RolloutStore;
  readonly #deployments: DeploymentLog;
  readonly #permissions: PermissionsService;
  readonly #details: ApplicationDetails;
  readonly #quarantine?: Pick<QuarantineChecks, 'deployedQuarantine'>;

  constructor(options: {
    index: ApplicationIndex;
    access: ApplicationAccess;
    entityApplications: EntityApplications;
    tenants: TenantResolver;
    rollouts: RolloutStore;
    deployments: DeploymentLog;
    permissions: PermissionsService;
    /** Where the commits' times and messages come from, cached as the history's are. */
    details: ApplicationDetails;
    /** Quarantined releases: a production deployment of one counts as a failed change. */
    quarantine?: Pick<QuarantineChecks, 'deployedQuarantine'>;
  }) {
    this.#index = options.index;
    this.#access = options.access;
    this.#entityApplications = options.entityApplications;
    this.#tenants = options.tenants;
    this.#rollouts = options.rollouts;
    this.#deployments = options.deployments;
    this.#permissions = options.permissions;
    this.#details = options.details;
    this.#quarantine = options.quarantine;
  }

  /** The figures of the entity's production apps the caller sees on its card. */
  async forEntity(
    entity: Entity,
    credentials: BackstageCredentials,
    period: { from: number; to: number },
  ): Promise<DoraResponse> {
    await this.#requireMetricsPermission(credentials);
    const loaded = await this.#entityApplications.load(entity, credentials);
    const targets = loaded.items.filter(
      app => app.environment && isProductionEnvironment(app.environment),
    );
    const unknown: string[] = [];
    if (loaded.withheld) {
      unknown.push(
        'The applications of this entity are not shown to you (not in your tenants).',
      );
    }
    return this.#compute(
      credentials,
      targets,
      period,
      [...loaded.errors],
      unknown,
    );
  }

  /** The figures of a tenant's production apps; 404 unless the caller sees the tenant. */
  async forTenant(
    tenant: string,
    credentials: BackstageCredentials,
    period: { from: number; to: number },
  ): Promise<DoraResponse> {
    const name = requireDns1123Label('tenant', tenant);
    const caller = await this.#access.caller(credentials);
    // Before the permission: a foreign tenant answers as a nonexistent one, whatever policy.
    if (!this.#tenants.canSee(caller, name)) {
      throw new NotFoundError(`Tenant ${JSON.stringify(name)} not found`);
    }
    await this.#requireMetricsPermission(credentials);
    const project = this.#tenants.naming.projectOf(name);
    const errors: InstanceError[] = [];
    const targets: IndexedApplication[] = [];
    for (const instance of this.#index.instances()) {
      const index = this.#index.instance(instance);
      if (!(await this.#index.whenReady(index))) {
        errors.push({
          instance,
          message:
            'The portal has not reached this Argo CD instance since it started; its deployments are not counted.',
        });
        continue;
      }
      const matched = [...index.candidates(undefined, project)].filter(
        app =>
          app.tenant === name &&
          app.environment !== undefined &&
          isProductionEnvironment(app.environment),
      );
      targets.push(
        ...(await this.#access.filterReadable(credentials, caller, matched)),
      );
    }
    return this.#compute(credentials, targets, period, errors, []);
  }

  async #requireMetricsPermission(credentials: BackstageCredentials) {
    const [decision] = await this.#permissions.authorize(
      [{ permission: gitOpsMetricsReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Reading DORA figures needs the ${gitOpsMetricsReadPermission.name} permission`,
      );
    }
  }

  async #compute(
    credentials: BackstageCredentials,
    targets: Array<{ instance: string; appNamespace: string; name: string }>,
    period: { from: number; to: number },
    errors: InstanceError[],
    unknown: string[],
  ): Promise<DoraResponse> {
    const perApp = await mapLimited(targets, CONCURRENCY, async target => {
      try {
        const visible = await this.#access.requireApplication(credentials, {
          instance: target.instance,
          name: target.name,
          appNamespace: target.appNamespace,
        });
        return await this.#deploymentsOf(visible, period, unknown);
      } catch (error) {
        errors.push({
          instance: target.instance,
          message: `The deployments of ${target.name} could not be read: ${
            (error as Error).message
          }`,
        });
        return [];
      }
    });
    const deployments = perApp.flat();
    const figures = computeDoraFigures(deployments, period);
    const unfollowed = figures.deployments.filter(
      d => d.validation === undefined,
    ).length;
    if (unfollowed > 0) {
      unknown.push(
        `${unfollowed} of ${figures.deployments.length} deployments were not followed by the portal's post-deploy validation (made before it recorded validations, or while no portal ran): they count as failed only when rolled back, reverted or quarantined, and their Healthy time is their deployment time.`,
      );
    }
    if (targets.length === 0) {
      unknown.push('No production application is visible to you here.');
    }
    errors.sort((a, b) => a.instance.localeCompare(b.instance));
    return toDoraResponse(figures, { unknown, errors });
  }

  /**
   * One app's deployments, the whole known history (context for rollbacks): Argo CD's, and the
   * logged ones it no longer holds; validation and Healthy time from the records.
   */
  async #deploymentsOf(
    visible: VisibleApplication,
    period: { from: number; to: number },
    unknown: string[],
  ): Promise<DeploymentInput[]> {
    const [app, rollouts, logged] = await Promise.all([
      visible.client.getApplication(visible.app.name, visible.scope),
      this.#rollouts.list(visible.app, ROLLOUTS_PER_APP),
      this.#deployments.list(visible.app, 0),
    ]);
    const history = app.status?.history ?? [];
    const byStart = new Map(rollouts.map(r => [r.startedAtMs, r]));
    const loggedByStart = new Map(logged.map(d => [d.startedAt, d]));
    const repoURL =
      app.spec?.source?.repoURL ?? app.spec?.sources?.[0]?.repoURL ?? '';
    // With every revision the deployment ran (a multi-source app's, one per source).
    const found: Array<
      Omit<DeploymentInput, 'committedAt' | 'commitMessage'> & {
        revisions: string[];
      }
    > = [];
    for (const entry of history) {
      const deployedAt = parse(entry.deployedAt);
      if (deployedAt === undefined) continue;
      const started = parse(entry.deployStartedAt);
      const rollout = started === undefined ? undefined : byStart.get(started);
      const log =
        started === undefined ? undefined : loggedByStart.get(started);
      if (started !== undefined) loggedByStart.delete(started);
      found.push({
        instance: visible.app.instance,
        appNamespace: visible.app.appNamespace,
        app: visible.app.name,
        environment: visible.app.environment,
        revision: entry.revision || entry.revisions?.[0],
        revisions: entry.revision ? [entry.revision] : entry.revisions ?? [],
        deployedAt,
        healthyAt: rollout?.healthyAtMs ?? log?.healthyAt,
        validation: rollout?.outcome ?? log?.outcome,
        validationReason: rollout?.reason ?? log?.reason,
      });
    }
    // Logged deployments Argo CD's history no longer holds.
    for (const log of loggedByStart.values()) {
      found.push({
        instance: visible.app.instance,
        appNamespace: visible.app.appNamespace,
        app: visible.app.name,
        environment: visible.app.environment,
        revision: log.revision,
        revisions: log.revision ? [log.revision] : [],
        deployedAt: log.deployedAt,
        healthyAt: log.healthyAt,
        validation: log.outcome,
        validationReason: log.reason,
      });
    }
    const limit = app.spec?.revisionHistoryLimit ?? 10;
    const oldest = Math.min(...found.map(d => d.deployedAt));
    if (history.length >= limit && oldest > period.from) {
      unknown.push(
        `Argo CD keeps the last ${limit} deployments of ${
          visible.app.name
        } and the portal logged none before: deployments before ${new Date(
          oldest,
        ).toISOString()} are not counted.`,
      );
    }
    // In a shared repository every commit deploys every app that tracks its branch: what a
    // revision holds of this app's own files tells its changes from other apps' commits.
    const ownFiles = await this.#details.ownFilesAt(
      visible,
      app,
      found.flatMap(d => d.revisions),
    );
    const inputs: DeploymentInput[] = [];
    for (const { revisions, ...d } of found) {
      const own = d.revision
        ? ownFiles.get(d.revision)?.lastChange?.sha
        : undefined;
      // The commit that last changed the app's own files, else the deployed one.
      const commit = await this.#details.commitInfo(
        visible,
        own ?? d.revision,
        repoURL,
      );
      // A change that came by promotion: lead time from what the earliest environment ran.
      const origin = await originOf(commit, revision =>
        this.#details.commitInfo(visible, revision, repoURL),
      );
      const quarantine = await this.#quarantine?.deployedQuarantine(
        visible,
        d.revision,
      );
      inputs.push({
        ...d,
        ...(revisions.length > 0
          ? {
              contentKey: revisions
                .map(r => ownFiles.get(r)?.key ?? r)
                .join(' '),
            }
          : {}),
        committedAt: parse(origin.date),
        commitMessage: commit.message,
        quarantine: quarantine && { reason: quarantine.reason },
      });
    }
    return inputs;
  }
}
