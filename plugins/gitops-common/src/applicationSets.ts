/**
 * Wire types of ApplicationSets and app-of-apps parents, generated from the backend's OpenAPI
 * document like the other route types (see ./api.ts).
 */
import type { GitOpsApiSchemas } from './api';

/**
 * What generates or deploys an application: the ApplicationSet that owns it, or the parent
 * Application of an app of apps. On every application summary that has one.
 *
 * @public
 */
export type ApplicationParent = GitOpsApiSchemas['ApplicationParent'];

/**
 * `GET /instances/{instance}/applications/{name}/applicationset`: the ApplicationSet that
 * generated the application, its status, conditions, generators and members.
 *
 * @public
 */
export type ApplicationSetDetail = GitOpsApiSchemas['ApplicationSetDetail'];

/**
 * One generator of an ApplicationSet with its parameters.
 *
 * @public
 */
export type ApplicationSetGeneratorSummary =
  GitOpsApiSchemas['ApplicationSetGeneratorSummary'];
