import type {
  ApplicationSyncRequest,
  Operation,
  SyncOperationResource,
} from '../argocd/types';

/**
 * The name of the operation info that carries who asked for an operation through a portal.
 * Argo CD records the token's subject as `initiatedBy.username` and copies a sync request's
 * `infos` into `operation.info`, which its UI and API show with the operation.
 *
 * @public
 */
export const REQUESTED_BY_INFO = 'Requested by';

/**
 * A sync as Argo CD's own sync panel offers it, before it is put in Argo CD's shape.
 *
 * @public
 */
export interface SyncChoices {
  /** Delete live resources that are no longer in Git. */
  prune?: boolean;
  /** Run the sync without changing anything. */
  dryRun?: boolean;
  /** `kubectl apply --force`: delete and re-create what cannot be patched. */
  force?: boolean;
  /** Apply only, skipping sync hooks (the `apply` strategy instead of `hook`). */
  applyOnly?: boolean;
  /** Sync option `ApplyOutOfSyncOnly=true`. */
  applyOutOfSyncOnly?: boolean;
  /** Sync option `ServerSideApply=true`. */
  serverSideApply?: boolean;
  /** A branch, tag or commit to sync to instead of the app's target revision. */
  revision?: string;
  /** Sync only these resources (a selective sync, which Argo CD keeps out of the history). */
  resources?: SyncOperationResource[];
  /** Who asked (a user entity ref), recorded as the operation info {@link REQUESTED_BY_INFO}. */
  requestedBy?: string;
  /**
   * The application's `spec.syncPolicy.syncOptions`. A request's sync options replace the
   * application's in Argo CD (`Sync()` takes `syncReq.SyncOptions.Items` instead of the
   * policy's), so they are sent along with the chosen ones, as Argo CD's UI does.
   */
  applicationSyncOptions?: readonly string[];
}

const OPTION_KEYS = {
  applyOutOfSyncOnly: 'ApplyOutOfSyncOnly',
  serverSideApply: 'ServerSideApply',
} as const;

/**
 * The body of `POST /api/v1/applications/{name}/sync` (without the app's name and scope) for
 * {@link SyncChoices}, in the shape Argo CD v3.5.1's UI sends: `prune`, `dryRun`,
 * `strategy: { hook | apply: { force } }`, `syncOptions: { items: ["Key=true"] }` (only when a
 * sync option is chosen: without it Argo CD uses the application's own), `resources`, and
 * `infos: [{ name: "Requested by", value }]`.
 *
 * @public
 */
export function toArgoCdSyncRequest(
  choices: SyncChoices,
): Omit<ApplicationSyncRequest, 'name' | 'project' | 'appNamespace'> {
  const chosen = (
    Object.keys(OPTION_KEYS) as Array<keyof typeof OPTION_KEYS>
  ).filter(option => choices[option]);
  const chosenKeys = new Set<string>(chosen.map(option => OPTION_KEYS[option]));
  const items = [
    ...(choices.applicationSyncOptions ?? []).filter(
      item => !chosenKeys.has(item.split('=')[0]),
    ),
    ...chosen.map(option => `${OPTION_KEYS[option]}=true`),
  ];
  let strategy: ApplicationSyncRequest['strategy'];
  if (choices.applyOnly)
    strategy = { apply: { force: Boolean(choices.force) } };
  else if (choices.force) strategy = { hook: { force: true } };
  return {
    revision: choices.revision,
    prune: choices.prune || undefined,
    dryRun: choices.dryRun || undefined,
    strategy,
    syncOptions: chosen.length ? { items } : undefined,
    resources: choices.resources?.length ? choices.resources : undefined,
    infos: choices.requestedBy
      ? [{ name: REQUESTED_BY_INFO, value: choices.requestedBy }]
      : undefined,
  };
}

/**
 * Who asked for an operation through a portal: the value of its {@link REQUESTED_BY_INFO}
 * info, if any. Anyone who may sync can set infos (`argocd app sync --info`), so this says
 * what the request claimed, next to `initiatedBy`, which Argo CD sets itself.
 *
 * @public
 */
export function requestedByOf(
  operation: Pick<Operation, 'info'> | undefined,
): string | undefined {
  return operation?.info?.find(i => i.name === REQUESTED_BY_INFO)?.value;
}
