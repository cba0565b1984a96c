/**
 * Argo CD v3.5.1 wire types of one live resource of an application and its resource actions
 * (`/api/v1/applications/{name}/resource[/actions[/v2]]`), and the Argo Rollouts objects the
 * portal reads from those manifests.
 */

/**
 * Which resource of an app a resource call names (`namespace`, `resourceName`, `version`,
 * `group`, `kind` of `application.ApplicationResourceRequest`); `group` empty for the core group.
 *
 * @public
 */
export interface ApplicationResourceRef {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * `application.ApplicationResourceResponse`: the live object as JSON text.
 *
 * @public
 */
export interface ApplicationResourceResponse {
  manifest?: string;
}

/**
 * `v1alpha1.ResourceAction`: one action Argo CD's discovery script offers for a resource.
 *
 * @public
 */
export interface ResourceAction {
  name: string;
  disabled?: boolean;
  displayName?: string;
  iconClass?: string;
  params?: Array<{ name?: string }>;
}

/**
 * `application.ResourceActionsListResponse`.
 *
 * @public
 */
export interface ResourceActionsListResponse {
  actions?: ResourceAction[];
}

/**
 * `application.ResourceActionParameters`: a value for an action's parameter.
 *
 * @public
 */
export interface ResourceActionParameter {
  name: string;
  value: string;
}
