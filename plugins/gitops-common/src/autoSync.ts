/**
 * Wire types of pausing and resuming an application's auto-sync, generated from the
 * backend's OpenAPI document like the other route types (see ./api.ts).
 * `POST /instances/{instance}/applications/{name}/auto-sync/pause|resume`.
 */
import type { GitOpsApiSchemas } from './api';

/**
 * An application's paused auto-sync, on its summary while the automated policy is off: who
 * paused it from the portal, when and why (absent when it was switched off in Argo CD).
 *
 * @public
 */
export type AutoSyncPause = GitOpsApiSchemas['AutoSyncPause'];

/**
 * `POST .../auto-sync/pause`: the reason, required.
 *
 * @public
 */
export type PauseAutoSyncRequestBody = GitOpsApiSchemas['PauseAutoSyncRequest'];
