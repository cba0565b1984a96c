/**
 * Wire types of quarantined releases, generated from the backend's OpenAPI document like the
 * other route types (see ./api.ts): `/entities/{namespace}/{kind}/{name}/quarantines` and
 * `/tenants/{tenant}/quarantines`.
 */
import type { GitOpsApiSchemas } from './api';

/**
 * A version of a service (image tag, chart version or Git revision) marked bad, with who,
 * when and why, and where it runs.
 *
 * @public
 */
export type Quarantine = GitOpsApiSchemas['Quarantine'];

/**
 * An application that runs, or a history entry that deployed, a quarantined version.
 *
 * @public
 */
export type QuarantinedDeployment = GitOpsApiSchemas['QuarantinedDeployment'];

/**
 * The body that quarantines a version.
 *
 * @public
 */
export type QuarantineRequest = GitOpsApiSchemas['QuarantineRequest'];

/**
 * The body that lifts a quarantine.
 *
 * @public
 */
export type LiftQuarantineRequest = GitOpsApiSchemas['LiftQuarantineRequest'];

/**
 * A list of quarantines.
 *
 * @public
 */
export type QuarantinesResponse = GitOpsApiSchemas['QuarantinesResponse'];

/**
 * An application that runs an actively quarantined version (the search collator's route).
 *
 * @public
 */
export type RunningQuarantine = GitOpsApiSchemas['RunningQuarantine'];
