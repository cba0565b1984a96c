/**
 * Wire types of the git operations (rollback by revert, promotion between environments),
 * aliases of the schemas generated from the backend's `src/schema/openapi.yaml`.
 */
import type { GitOpsApiSchemas } from './api';

/**
 * Instance, app namespace and name of an application.
 *
 * @public
 */
export type ApplicationRef = GitOpsApiSchemas['ApplicationRef'];
/**
 * One commit of the application's files, as `git log` reports it.
 *
 * @public
 */
export type GitCommit = GitOpsApiSchemas['GitCommit'];
/**
 * An image without its tag, and the tag.
 *
 * @public
 */
export type ImageVersion = GitOpsApiSchemas['ImageVersion'];
/**
 * How an environment's manifests are laid out, so where its version lives.
 *
 * @public
 */
export type SourceLayout = GitOpsApiSchemas['SourceLayout'];
/**
 * The version of an environment: image tags, chart version or revision.
 *
 * @public
 */
export type EnvironmentVersion = GitOpsApiSchemas['EnvironmentVersion'];
/**
 * The next environment's application, as a promotion sees it.
 *
 * @public
 */
export type PromotionTarget = GitOpsApiSchemas['PromotionTarget'];
/**
 * One image whose tag a promotion changes.
 *
 * @public
 */
export type ImageChange = GitOpsApiSchemas['ImageChange'];
/**
 * A dependency of a Helm chart directory's Chart.yaml, keyed by alias or name.
 *
 * @public
 */
export type ChartDependency = GitOpsApiSchemas['ChartDependency'];
/**
 * One Helm chart version (the chart's own or a dependency's) a promotion changes.
 *
 * @public
 */
export type ChartChange = GitOpsApiSchemas['ChartChange'];
/**
 * One version a promotion would move backwards.
 *
 * @public
 */
export type VersionDowngrade = GitOpsApiSchemas['VersionDowngrade'];
/**
 * `GET /instances/:instance/applications/:name/promotion`
 *
 * @public
 */
export type PromotionPreview = GitOpsApiSchemas['PromotionPreview'];
/**
 * `POST /instances/:instance/applications/:name/promote` body
 *
 * @public
 */
export type PromoteRequest = GitOpsApiSchemas['PromoteRequest'];
/**
 * `POST /instances/:instance/applications/:name/promote` answer
 *
 * @public
 */
export type PromoteResponse = GitOpsApiSchemas['PromoteResponse'];
/**
 * `GET /instances/:instance/applications/:name/revert-plan?toRevision=`
 *
 * @public
 */
export type RevertPlan = GitOpsApiSchemas['RevertPlan'];
/**
 * `POST /instances/:instance/applications/:name/revert` body
 *
 * @public
 */
export type RevertRequest = GitOpsApiSchemas['RevertRequest'];
/**
 * `POST /instances/:instance/applications/:name/revert` answer
 *
 * @public
 */
export type RevertResponse = GitOpsApiSchemas['RevertResponse'];
