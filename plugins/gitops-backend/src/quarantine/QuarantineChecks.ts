import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import type { EnvironmentVersion } from '@kupe/plugin-gitops-common';
import type { GitOperations } from '../gitOperations/GitOperations';
import type { VisibleApplication } from '../service/ApplicationAccess';
import type { StoredQuarantine } from './QuarantineStore';
import { ReleaseQuarantine, describeQuarantine } from './ReleaseQuarantine';
import type { ReleaseVersion } from './releaseVersion';

const fromEnvironmentVersion = (
  version: Pick<EnvironmentVersion, 'images' | 'chartVersion' | 'revision'>,
): ReleaseVersion => ({
  images: version.images.map(i => i.tag),
  chartVersions: version.chartVersion ? [version.chartVersion] : [],
  revisions: version.revision ? [version.revision] : [],
});

/**
 * What each path that deploys would deploy, put to {@link ReleaseQuarantine}'s one check: the
 * version a promotion copies, the history entry an Argo CD rollback returns to, and the
 * revision a revert brings the application's files back to (its files read there).
 */
export class QuarantineChecks {
  readonly #quarantine: ReleaseQuarantine;
  readonly #gitOperations: Pick<GitOperations, 'versionsAt'>;

  constructor(options: {
    quarantine: ReleaseQuarantine;
    gitOperations: Pick<GitOperations, 'versionsAt'>;
  }) {
    this.#quarantine = options.quarantine;
    this.#gitOperations = options.gitOperations;
  }

  /**
   * Why promoting `version` (this environment's, which a promotion copies) is refused, or
   * undefined.
   */
  async promotionRefusal(
    visible: VisibleApplication,
    version: EnvironmentVersion,
  ): Promise<string | undefined> {
    const quarantine = await this.#quarantine.find(
      visible.app,
      fromEnvironmentVersion(version),
    );
    return quarantine && `Promotion refused: ${describeQuarantine(quarantine)}`;
  }

  /**
   * 409 when the promotion would copy a quarantined version; the preview (a clone) is read
   * only when a quarantine covers the app.
   */
  async refusePromotion(
    visible: VisibleApplication,
    preview: () => Promise<{ version: EnvironmentVersion }>,
  ): Promise<void> {
    if ((await this.#quarantine.of(visible.app)).length === 0) return;
    const refusal = await this.promotionRefusal(
      visible,
      (
        await preview()
      ).version,
    );
    if (refusal) throw new ConflictError(refusal);
  }

  /** 409 when the revision's files hold a quarantined version (rollback by revert). */
  async refuseRevert(
    visible: VisibleApplication,
    toRevision: string,
  ): Promise<void> {
    if ((await this.#quarantine.of(visible.app)).length === 0) return;
    await this.#refuseAt(
      visible,
      toRevision,
      [],
      `Rolling ${visible.app.name} back to ${toRevision.slice(0, 7)}`,
    );
  }

  /**
   * The active quarantine covering the app that a deployment of `revision` (a commit, whose
   * files are read there, or a chart version) ran, for the DORA change failure rate. A figure,
   * not a gate: files that cannot be read count as not quarantined.
   */
  async deployedQuarantine(
    visible: VisibleApplication,
    revision: string | undefined,
  ): Promise<StoredQuarantine | undefined> {
    if (!revision) return undefined;
    if ((await this.#quarantine.of(visible.app)).length === 0) return undefined;
    const bare = await this.#quarantine.find(visible.app, {
      images: [],
      chartVersions: [revision],
      revisions: [revision],
    });
    if (bare || !/^[0-9a-f]{40}$/.test(revision)) return bare;
    const files = await this.#gitOperations
      .versionsAt(visible, [revision])
      .then(found => found.get(revision))
      .catch(() => undefined);
    if (!files) return undefined;
    return this.#quarantine.find(visible.app, {
      images: files.images.map(i => i.tag),
      chartVersions: files.chartVersion ? [files.chartVersion] : [],
      revisions: [revision],
    });
  }

  /** 409 when Argo CD's history entry `id` deployed a quarantined version. */
  async refuseRollback(visible: VisibleApplication, id: number): Promise<void> {
    if ((await this.#quarantine.of(visible.app)).length === 0) return;
    const app = await visible.client.getApplication(
      visible.app.name,
      visible.scope,
    );
    const entry = (app.status?.history ?? []).find(e => e.id === id);
    // Argo CD answers for a history id it does not have.
    if (!entry) return;
    const sources = entry.sources ?? (entry.source ? [entry.source] : []);
    const revisions =
      entry.revisions ?? (entry.revision ? [entry.revision] : []);
    const charts = revisions.filter((_, i) => sources[i]?.chart);
    const commits = revisions.filter((_, i) => !sources[i]?.chart);
    await this.#refuseAt(
      visible,
      commits[0],
      charts,
      `Rolling ${visible.app.name} back to history entry ${id}`,
    );
  }

  /**
   * Refuses when `revision` or `chartVersions` hold a quarantined version, then, when a
   * quarantine names an image tag or a chart version the files may hold, what the app's files
   * hold at `revision`. Fails closed: files that cannot be read refuse the action.
   */
  async #refuseAt(
    visible: VisibleApplication,
    revision: string | undefined,
    chartVersions: string[],
    action: string,
  ): Promise<void> {
    const revisions = revision ? [revision] : [];
    const bare = { images: [], chartVersions, revisions };
    await this.#quarantine.refuse(visible.app, bare, action);
    if (!revision) return;
    let files;
    try {
      files = (await this.#gitOperations.versionsAt(visible, [revision])).get(
        revision,
      );
    } catch (error) {
      throw new ServiceUnavailableError(
        `${action} refused: a version of ${
          visible.app.name
        } is quarantined and its files at ${revision.slice(
          0,
          7,
        )} cannot be read to tell whether they hold it (${
          (error as Error).message
        })`,
      );
    }
    await this.#quarantine.refuse(
      visible.app,
      {
        images: (files?.images ?? []).map(i => i.tag),
        chartVersions: files?.chartVersion ? [files.chartVersion] : [],
        revisions,
      },
      action,
    );
  }
}
