/**
 * Wire types and limits of an application's events and pod logs, generated from the backend's
 * OpenAPI document like the other route types (see ./api.ts):
 * `GET /instances/{instance}/applications/{name}/resource-events`, `.../pods` and `.../logs`.
 */
import type { GitOpsApiSchemas } from './api';

/**
 * One Kubernetes event of a resource in an application's tree.
 *
 * @public
 */
export type ResourceEvent = GitOpsApiSchemas['ResourceEvent'];

/**
 * The events of an application's resources, warnings first, and the resources whose events
 * could not be read.
 *
 * @public
 */
export type ResourceEventsResponse = GitOpsApiSchemas['ResourceEventsResponse'];

/**
 * A pod of an application's resource tree and its containers.
 *
 * @public
 */
export type LogPod = GitOpsApiSchemas['LogPod'];

/**
 * The pods whose logs can be read.
 *
 * @public
 */
export type LogPodsResponse = GitOpsApiSchemas['LogPodsResponse'];

/**
 * One log line, also the data of each `event: log` of a followed log stream.
 *
 * @public
 */
export type LogLine = GitOpsApiSchemas['LogLine'];

/**
 * The lines of one container's log.
 *
 * @public
 */
export type PodLogsResponse = GitOpsApiSchemas['PodLogsResponse'];

/**
 * The logs route's limits: the lines one answer may hold (and its default when the request
 * names none), the bytes of one answer or download, and how long and how much one followed
 * stream may run before the server closes it (the browser then asks again).
 *
 * @public
 */
export const POD_LOG_LIMITS = {
  defaultTailLines: 500,
  maxTailLines: 5000,
  maxBytes: 4 * 1024 * 1024,
  maxFollowMs: 10 * 60_000,
  maxFollowBytes: 16 * 1024 * 1024,
} as const;
