/*
 * GENERATED FILE, do not edit. Source: plugins/gitops-backend/src/schema/openapi.yaml.
 * Regenerate with `yarn workspace @kupe/plugin-gitops-common generate:api`
 * (openapi-typescript); a test fails when this file is out of date with the document.
 */
/* eslint-disable */
/**
 * Every route of the document, keyed by path template.
 *
 * @public
 */
export interface paths {
  '/entities/{namespace}/{kind}/{name}/applications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The entity's applications visible to the caller, from the index; one instance down gives an entry in errors */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          namespace: components['parameters']['entityNamespace'];
          kind: components['parameters']['entityKind'];
          name: components['parameters']['entityName'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['EntityApplicationsResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApplicationDetail'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/resources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ManagedResourcesResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['SyncRequest'];
        };
      };
      responses: {
        200: components['responses']['Action'];
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        /** A sync window of the application's project blocks syncing now (the message names the window), or the project's windows are invalid */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['RefreshRequest'];
        };
      };
      responses: {
        200: components['responses']['Action'];
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/terminate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: components['responses']['Action'];
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/rollback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Roll back to a history id; 409 when the app syncs automatically */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['RollbackRequest'];
        };
      };
      responses: {
        200: components['responses']['Action'];
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/auto-sync/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause the application's auto-sync with a reason, as Argo CD's auto-sync toggle does (a merge patch of spec.syncPolicy.automated.enabled: false, prune and self-heal kept), recording who, when and why on the Application; 409 when it has no automated policy, is already paused, or its policy lives in Git (an ApplicationSet or a parent application manages it and would turn auto-sync back on) */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['PauseAutoSyncRequest'];
        };
      };
      responses: {
        200: components['responses']['Action'];
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/auto-sync/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume a paused auto-sync (spec.syncPolicy.automated.enabled: true, the rest of the policy as it was) and remove the pause record; 409 when it is not paused or its policy lives in Git */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: components['responses']['Action'];
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Server-sent events (`event: applications`, data ApplicationsEvent) whenever the entity's summaries change; comment heartbeats */
    get: {
      parameters: {
        query: {
          /** kind:namespace/name, with or without percent-encoding */
          entityRef: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** Event stream: `event: applications` with `data:` one ApplicationsEvent (JSON), `event: error` with `data:` one EventError, and comment heartbeats */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantsResponse'];
          };
        };
        401: components['responses']['Unauthorized'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/promotion': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The deployed version, the next environment's application and version, the commits between, and the diff a promotion would write (read permission) */
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PromotionPreview'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/promote': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Opens (or finds the identical open) pull request carrying the deployed version into the next environment; gitops.application.promote on both applications; 409 when there is nothing to promote or the repository is not on a GitHub integration; audited */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['PromoteRequest'];
        };
      };
      responses: {
        /** The pull request */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PromoteResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/revert-plan': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Commits after toRevision on the application's own files (newest first) and the revert's diff (read permission); 400 for a malformed SHA or one that is not an ancestor of the tracked branch */
    get: {
      parameters: {
        query: {
          appNamespace?: components['parameters']['appNamespace'];
          /** Commit SHA (7 to 40 hex digits); checked by the route, whose 400 says so */
          toRevision: string;
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RevertPlan'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/revert': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rollback by Git revert: the application's own files return to toRevision in one commit, as a pull request (default) or a direct commit where the environment allows it (never production); works for auto-sync apps; gitops.application.rollback; 409 when nothing changed since toRevision, a direct commit is not allowed, or pull requests need a GitHub integration; audited */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['RevertRequest'];
        };
      };
      responses: {
        /** The revert */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RevertResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/argo-rollouts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The Argo Rollouts of the application's resource tree: strategy, step, weight, stable and canary versions, pause, abort, AnalysisRuns and the actions Argo CD offers; same access checks as the detail */
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ArgoRolloutsResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/argo-rollouts/{rolloutNamespace}/{rollout}/promote': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Promote the Rollout past its current pause (Argo CD's resume action); 409 when it is not paused */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
          rolloutNamespace: components['parameters']['rolloutNamespace'];
          rollout: components['parameters']['rollout'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** The Rollout after the action */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ArgoRollout'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/argo-rollouts/{rolloutNamespace}/{rollout}/promote-full': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Promote the Rollout fully, skipping its remaining steps and analyses (Argo CD's promote-full); 409 when it is fully promoted */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
          rolloutNamespace: components['parameters']['rolloutNamespace'];
          rollout: components['parameters']['rollout'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** The Rollout after the action */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ArgoRollout'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/argo-rollouts/{rolloutNamespace}/{rollout}/abort': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Abort the Rollout: traffic back to stable (Argo CD's abort); 409 when there is nothing to abort */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
          rolloutNamespace: components['parameters']['rolloutNamespace'];
          rollout: components['parameters']['rollout'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** The Rollout after the action */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ArgoRollout'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/argo-rollouts/{rolloutNamespace}/{rollout}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retry an aborted Rollout from its first step (Argo CD's retry); 409 when it is not aborted */
    post: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
          rolloutNamespace: components['parameters']['rolloutNamespace'];
          rollout: components['parameters']['rollout'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** The Rollout after the action */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ArgoRollout'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/rollouts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The application's followed rollouts (Argo CD sync operations, whoever started them) with their post-deploy validation, newest first; same access checks as the detail */
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RolloutsResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/applicationset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The ApplicationSet that generated the application (its owner reference): status, conditions, generators' parameters and members; same access checks as the detail. 404 when no ApplicationSet owns the application, or when the set's template deploys into another project than the application's */
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApplicationSetDetail'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/resource-events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Kubernetes events of the application's resources (every node of its resource tree, at most 60) and of the Application itself, warnings first; read through Argo CD's events endpoint with the tenant's project scope */
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ResourceEventsResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/pods': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The pods of the application's resource tree with their containers: what the logs route can be asked for */
    get: {
      parameters: {
        query?: {
          appNamespace?: components['parameters']['appNamespace'];
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['LogPodsResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/applications/{name}/logs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Logs of one container of one pod of the application, through Argo CD's logs endpoint with the tenant's project scope. The pod must be in the application's resource tree (else 404, and nothing reaches Argo CD's logs). At most 5000 lines (tailLines, default 500) and 4 MiB (a clear 400 beyond either). follow=true answers server-sent events (`event: log` with a LogLine, `event: error` with an EventError, `event: end` when the container's log ends) for at most 10 minutes or 16 MiB; the upstream stream is closed when the browser leaves. download=true answers the lines as a text/plain attachment. Each read is audited (who, which pod and container, never the content) */
    get: {
      parameters: {
        query: {
          appNamespace?: components['parameters']['appNamespace'];
          namespace: string;
          pod: string;
          container?: string;
          /** Lines of the last N seconds only */
          sinceSeconds?: number;
          /** The last N lines only (default 500, at most 5000) */
          tailLines?: number;
          /** The previous run of the container (a crash-looping container's last crash) */
          previous?: boolean;
          follow?: boolean;
          download?: boolean;
        };
        header?: never;
        path: {
          instance: components['parameters']['instance'];
          name: components['parameters']['app'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** The lines: JSON, a text/event-stream (follow) or a text/plain attachment (download) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PodLogsResponse'];
            'text/event-stream': string;
            'text/plain': string;
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        503: components['responses']['Unavailable'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{namespace}/{kind}/{name}/dora': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** DORA figures of the entity's production applications the caller may see (the same selection as /applications), over days (default 30) or from..to (at most 366 days) */
    get: {
      parameters: {
        query?: {
          from?: components['parameters']['doraFrom'];
          to?: components['parameters']['doraTo'];
          days?: components['parameters']['doraDays'];
        };
        header?: never;
        path: {
          namespace: components['parameters']['entityNamespace'];
          kind: components['parameters']['entityKind'];
          name: components['parameters']['entityName'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DoraResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tenants/{tenant}/dora': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** DORA figures of a tenant's production applications; 404 for a tenant the caller is not a member of (the platform team sees every tenant) */
    get: {
      parameters: {
        query?: {
          from?: components['parameters']['doraFrom'];
          to?: components['parameters']['doraTo'];
          days?: components['parameters']['doraDays'];
        };
        header?: never;
        path: {
          tenant: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DoraResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{namespace}/{kind}/{name}/quarantines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The entity's quarantined releases (lifted ones too with includeLifted), each with the applications that run it now and the history entries that deployed it; 404 when the caller does not see the entity's applications (another tenant's) */
    get: {
      parameters: {
        query?: {
          includeLifted?: boolean;
        };
        header?: never;
        path: {
          namespace: components['parameters']['entityNamespace'];
          kind: components['parameters']['entityKind'];
          name: components['parameters']['entityName'];
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['QuarantinesResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    /** Quarantines a version of the entity's service in every environment of its tenant: promotions, Argo CD rollbacks and reverts that would deploy it are refused (409) with the reason; the owning team is notified where it still runs; audited. gitops.release.quarantine on every application of the entity; 404 for another tenant's entity; 409 when the version is quarantined already */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          namespace: components['parameters']['entityNamespace'];
          kind: components['parameters']['entityKind'];
          name: components['parameters']['entityName'];
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['QuarantineRequest'];
        };
      };
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Quarantine'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{namespace}/{kind}/{name}/quarantines/{id}/lift': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Lifts a quarantine of the entity with a reason (who, when and why are kept and audited); 404 for an unknown id or another tenant's; 409 when lifted already */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          namespace: components['parameters']['entityNamespace'];
          kind: components['parameters']['entityKind'];
          name: components['parameters']['entityName'];
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['LiftQuarantineRequest'];
        };
      };
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Quarantine'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        404: components['responses']['NotFound'];
        409: components['responses']['Conflict'];
        default: components['responses']['Error'];
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tenants/{tenant}/quarantines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A tenant's quarantined releases, every service's (for the platform team and the tenant's members); 404 for a tenant the caller is not a member of */
    get: {
      parameters: {
        query?: {
          includeLifted?: boolean;
        };
        header?: never;
        path: {
          tenant: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['QuarantinesResponse'];
          };
        };
        400: components['responses']['BadRequest'];
        401: components['responses']['Unauthorized'];
        404: components['responses']['NotFound'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/quarantines/running': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every application, of every tenant, that runs an actively quarantined version: for the search collator's service credentials only (a user gets 403); each search document keeps its own tenant's visibility */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RunningQuarantinesResponse'];
          };
        };
        401: components['responses']['Unauthorized'];
        403: components['responses']['Forbidden'];
        default: components['responses']['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
/**
 * Every schema, parameter and response of the document.
 *
 * @public
 */
export interface components {
  schemas: {
    /** Backstage's error body (errorHandler middleware) */
    Error: {
      error: {
        name: string;
        message: string;
        stack?: string;
        cause?: Record<string, never>;
      };
      request: {
        method: string;
        url: string;
      };
      response: {
        statusCode: number;
      };
    };
    SyncStatus: 'Synced' | 'OutOfSync' | 'Unknown' | '';
    HealthStatus:
      | 'Healthy'
      | 'Progressing'
      | 'Degraded'
      | 'Suspended'
      | 'Missing'
      | 'Unknown';
    OperationPhase:
      | 'Running'
      | 'Terminating'
      | 'Failed'
      | 'Error'
      | 'Succeeded';
    SyncPolicyMode:
      | 'manual'
      | 'auto'
      | 'auto-prune'
      | 'auto-self-heal'
      | 'auto-prune-self-heal';
    /** An Argo CD instance whose applications could not be read now, in words for a person (never a socket error) */
    InstanceError: {
      instance: string;
      message: string;
      /**
       * Format: date-time
       * When the portal last heard from the instance: unreachable since then. Absent when it never answered since the backend started, or the instance is not configured
       */
      since?: string;
    };
    /** Why the entity shows no applications to the caller although its annotations select some, said from what the caller can already read in the catalog (the entity's own tenant), never from another tenant's applications */
    EntityApplicationsWithheld: {
      /**
       * not-a-member: the entity belongs to a tenant the caller is not a member of; no-tenant: the entity has no tenant (no kupe.cloud/tenant from a trusted origin, no owner group with one), so its applications show to admins only
       */
      reason: 'not-a-member' | 'no-tenant';
      /** The entity's tenant (with not-a-member) */
      tenant?: string;
    };
    ApplicationSummary: {
      instance: string;
      name: string;
      appNamespace: string;
      project: string;
      tenant?: string;
      environment?: string;
      destination: {
        cluster?: string;
        server?: string;
        namespace?: string;
      };
      sync: {
        status: components['schemas']['SyncStatus'];
        revision?: string;
        revisions?: string[];
      };
      health: {
        status?: components['schemas']['HealthStatus'];
        message?: string;
      };
      operation?: components['schemas']['Operation'];
      syncPolicy: components['schemas']['SyncPolicyMode'];
      source?: {
        repoURL: string;
        path?: string;
        targetRevision?: string;
        chart?: string;
      };
      /** Every source in spec order (the one source of a single-source app), each with what runs from it and its sync target. */
      sources?: components['schemas']['ApplicationSourceSummary'][];
      images: string[];
      lastSyncedAt?: string;
      /** Revision of the last successful sync (what runs); sync.revision is the target. */
      deployedRevision?: string;
      outOfSyncSince?: string;
      autoSyncPause?: components['schemas']['AutoSyncPause'];
      argoCdUrl?: string;
      stale: boolean;
      ageMs: number;
      parent?: components['schemas']['ApplicationParent'];
      /** The portal has listed the application but not yet received what only Argo CD's watch carries (its history, so what runs and since when, and its owner): until then deployedRevision, lastSyncedAt and parent may be missing though the application was deployed. Argo CD sends it within seconds of the portal's start, or with the application's next reconcile. */
      historyPending?: boolean;
    };
    /** What generates or deploys the application: the ApplicationSet that owns it (its owner reference), or the parent Application of an app of apps (Argo CD's tracking-id annotation, or the app.kubernetes.io/instance label of label tracking). */
    ApplicationParent: {
      kind: 'ApplicationSet' | 'Application';
      name: string;
    };
    ApplicationSourceSummary: {
      repoURL: string;
      path?: string;
      targetRevision?: string;
      /** A chart from the Helm repository repoURL; its revisions are chart versions. */
      chart?: string;
      /** Name other sources use for this source's files ($values/...). */
      ref?: string;
      /** What runs from this source (a commit SHA or a chart version); what Argo CD reports as synced while the app is Synced, else the last successful sync's. */
      deployedRevision?: string;
      /** What Argo CD compares this source against (status.sync.revisions); the OutOfSync target when it differs from deployedRevision. */
      syncRevision?: string;
    };
    Operation: {
      phase: components['schemas']['OperationPhase'];
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      /**
       * A dry run: Argo CD applied nothing and recorded no deployment
       */
      dryRun?: true;
    };
    Initiator: {
      username?: string;
      automated?: boolean;
    };
    EntityApplicationsResponse: {
      items: components['schemas']['ApplicationSummary'][];
      errors: components['schemas']['InstanceError'][];
      withheld?: components['schemas']['EntityApplicationsWithheld'];
      /** How many of the entity's active quarantines name a version one of these applications runs (what its quarantine banner shows), so a page asks for the quarantines only when there are some; absent when they could not be read */
      runningQuarantines?: number;
    };
    ApplicationCondition: {
      type: string;
      message: string;
      lastTransitionTime?: string;
    };
    OperationState: {
      phase: components['schemas']['OperationPhase'];
      message?: string;
      startedAt: string;
      finishedAt?: string;
      initiatedBy?: components['schemas']['Initiator'];
      /** The portal user (entity ref) who asked for the operation, from the operation's `Requested by` info; initiatedBy is the portal's own Argo CD account then */
      requestedBy?: string;
      revision?: string;
    };
    ApplicationHistoryEntry: {
      id: number;
      revision?: string;
      /** Helm chart version, when the source is a chart */
      chartVersion?: string;
      deployedAt: string;
      deployStartedAt?: string;
      initiatedBy?: components['schemas']['Initiator'];
      /** The portal user (entity ref) who asked for this deployment, while Argo CD still holds the operation's `Requested by` info (the newest deployment's); Argo CD keeps only initiatedBy in its history */
      requestedBy?: string;
      /** Author of the revision's commit, which may have changed other applications' files only (see ownChange) */
      author?: string;
      date?: string;
      /** Message of the revision's commit, which may be another application's change (see ownChange) */
      message?: string;
      /** Whether this deployment changed the application's own files (its source path, and for a chart directory shared by environments only its own value files) compared with the deployment before it (for the oldest, whether its commit did); absent when the portal cannot read the repository */
      ownChange?: boolean;
      /** The newest commit up to the revision that changed the application's own files: the change this deployment runs */
      ownCommit?: components['schemas']['GitCommit'];
      /** Whether the application's own files at this revision are those it runs now (a rollback to it would change nothing) */
      runsNow?: boolean;
    };
    ApplicationResourceSummary: {
      group?: string;
      version?: string;
      kind: string;
      namespace?: string;
      name: string;
      status?: components['schemas']['SyncStatus'];
      health?: components['schemas']['HealthStatus'];
      requiresPruning?: boolean;
    };
    /** One AppProject sync window that applies to the application (Argo CD `spec.syncWindows[]`) */
    SyncWindow: {
      kind: 'allow' | 'deny';
      /** Cron schedule (minute hour day-of-month month day-of-week) of each opening */
      schedule: string;
      /** How long each opening lasts (Go duration, e.g. 8h or 1h30m) */
      duration: string;
      /** A manual sync may run even when this window blocks automated ones */
      manualSync: boolean;
      /** The project's description of the window (e.g. a change ticket) */
      description?: string;
      /** Time zone of the schedule (UTC when absent) */
      timeZone?: string;
      /** The window is open now */
      active: boolean;
      /**
       * Format: date-time
       * For an open window, when it closes; absent when it stays open for the foreseeable future or cannot be computed
       */
      activeUntil?: string;
      /**
       * Format: date-time
       * For a closed window, when it opens next; absent when it cannot be computed
       */
      nextStart?: string;
    };
    /** Whether a manual sync may run now under the project's sync windows, and the windows that apply (assigned) and are open (active). When Argo CD could not be asked, canSync is absent and error says why: unknown, not blocked. */
    ApplicationSyncWindows: {
      canSync?: boolean;
      assigned: components['schemas']['SyncWindow'][];
      active: components['schemas']['SyncWindow'][];
      error?: string;
    };
    ApplicationDetail: {
      syncWindows: components['schemas']['ApplicationSyncWindows'];
      summary: components['schemas']['ApplicationSummary'];
      conditions: components['schemas']['ApplicationCondition'][];
      operationState?: components['schemas']['OperationState'];
      history: components['schemas']['ApplicationHistoryEntry'][];
      resources: components['schemas']['ApplicationResourceSummary'][];
    };
    /** One managed resource; for OutOfSync ones the normalized manifests for a diff. */
    ManagedResource: {
      group?: string;
      kind: string;
      namespace?: string;
      name: string;
      modified: boolean;
      /** YAML of the live object (absent when it does not exist yet) */
      liveManifest?: string;
      /** YAML of the desired object (absent when it will be pruned) */
      desiredManifest?: string;
    };
    ManagedResourcesResponse: {
      items: components['schemas']['ManagedResource'][];
    };
    TenantCluster: {
      name: string;
      cluster: string;
      server?: string;
    };
    TenantInfo: {
      name: string;
      project: string;
      instance: string;
      sourceRepos: string[];
      clusters: components['schemas']['TenantCluster'][];
    };
    TenantsResponse: {
      items: components['schemas']['TenantInfo'][];
    };
    /** Data of an `event: error` server-sent event: reading the applications failed; the stream stays open and the next change is sent again. */
    EventError: {
      message: string;
    };
    /** Data of each `event: applications` server-sent event. */
    ApplicationsEvent: {
      entityRef: string;
      items: components['schemas']['ApplicationSummary'][];
      errors: components['schemas']['InstanceError'][];
      withheld?: components['schemas']['EntityApplicationsWithheld'];
      /** How many of the entity's active quarantines name a version one of these applications runs (what its quarantine banner shows), so a page asks for the quarantines only when there are some; absent when they could not be read */
      runningQuarantines?: number;
    };
    /** Outcome of a mutation */
    ActionResponse: {
      summary: components['schemas']['ApplicationSummary'];
    };
    SyncResource: {
      group?: string;
      kind: string;
      name: string;
      namespace?: string;
    };
    /** A sync as Argo CD's sync panel offers it. The backend sends each option in Argo CD's own shape: prune and dryRun as they are, force as the strategy's `force` (`apply` when applyOnly, else `hook`), applyOutOfSyncOnly and serverSideApply as the sync options `ApplyOutOfSyncOnly=true` and `ServerSideApply=true` beside the application's own (a request's sync options replace the application's in Argo CD), resources as the resources to sync. Force and prune (unless dryRun, which changes nothing) need gitops.application.sync.force and gitops.application.sync.prune besides gitops.application.sync, checked with the application as the resource (a policy may keep them to the platform team in production); the portal user goes into the operation's info as `Requested by`. */
    SyncRequest: {
      /** Delete live resources that are no longer in Git */
      prune?: boolean;
      /** Run the sync without changing anything */
      dryRun?: boolean;
      /** Delete and re-create a resource that cannot be patched (kubectl apply --force) */
      force?: boolean;
      /** Apply only, skipping sync hooks (strategy apply instead of hook) */
      applyOnly?: boolean;
      /** Apply only the resources that are OutOfSync (ApplyOutOfSyncOnly=true) */
      applyOutOfSyncOnly?: boolean;
      /** Apply with Kubernetes server-side apply (ServerSideApply=true) */
      serverSideApply?: boolean;
      /** A branch, tag or commit SHA */
      revision?: string;
      resources?: components['schemas']['SyncResource'][];
    };
    RefreshRequest: {
      hard?: boolean;
    };
    RollbackRequest: {
      id: number;
      /** Needs gitops.application.sync.prune besides gitops.application.rollback, unless dryRun */
      prune?: boolean;
      dryRun?: boolean;
    };
    /** The application's auto-sync is paused: its automated sync policy is switched off (spec.syncPolicy.automated.enabled false), its prune and self-heal kept for when it resumes. by, at and reason are there when it was paused from the portal (the Application's kupe.cloud/auto-sync-paused-by, -at and -reason annotations); without them it was switched off in Argo CD itself. */
    AutoSyncPause: {
      /** Who paused it (a user entity ref) */
      by?: string;
      /** Format: date-time */
      at?: string;
      reason?: string;
    };
    PauseAutoSyncRequest: {
      /** Why (e.g. an incident id), shown with the pause on the card and tab and in Argo CD */
      reason: string;
    };
    ApplicationRef: {
      instance: string;
      appNamespace: string;
      name: string;
    };
    GitCommit: {
      sha: string;
      authorName: string;
      authorEmail: string;
      /** Author date, ISO 8601 */
      date: string;
      /** First line of the commit message */
      message: string;
      /** Files of the application the commit changed */
      files: string[];
    };
    ImageVersion: {
      /** Image without tag */
      name: string;
      tag: string;
    };
    /**
     * kustomize overlay (images newTag), Helm chart directory (values-<env>.yaml image.tag), plain manifests (container images), a chart from a Helm repository (report only), any other directory (revision only), or a layout a promotion layout reader of a module recognised (custom)
     */
    SourceLayout:
      | 'kustomize'
      | 'helm'
      | 'plain'
      | 'helm-repository'
      | 'directory'
      | 'custom';
    EnvironmentVersion: {
      layout: components['schemas']['SourceLayout'];
      /** Git revision the version was read at (the deployed one when known) */
      revision?: string;
      /** custom layout: the id of the promotion layout reader that read it (gitOpsPromotionLayoutExtensionPoint) */
      layoutReader?: string;
      images: components['schemas']['ImageVersion'][];
      /** Chart.yaml version, or the targetRevision of a Helm-repository chart */
      chartVersion?: string;
      /** Chart name of a Helm-repository source */
      chart?: string;
      /** Helm chart directory: the dependencies of its Chart.yaml with their versions (an umbrella chart's version) */
      chartDependencies?: components['schemas']['ChartDependency'][];
      /** Short form for display: the image tags, else the chart version, else the revision */
      label: string;
      /** The files that hold the version */
      files: string[];
    };
    PromotionTarget: {
      application: components['schemas']['ApplicationRef'];
      environment: string;
      version: components['schemas']['EnvironmentVersion'];
      syncPolicy: components['schemas']['SyncPolicyMode'];
      /** The next application's sync windows now (in the preview only): a merged promotion deploys when they allow a sync */
      syncWindows?: components['schemas']['ApplicationSyncWindows'];
    };
    ChartDependency: {
      /** The alias, else the chart name (as Helm keys it) */
      name: string;
      chart: string;
      version: string;
      repository?: string;
    };
    /** One Helm chart version a promotion changes in the next environment's Chart.yaml. */
    ChartChange: {
      /**
       * The chart's own version, or one of its dependencies'
       */
      kind: 'chart' | 'dependency';
      name: string;
      from?: string;
      to: string;
    };
    ImageChange: {
      name: string;
      from?: string;
      to: string;
    };
    /** One version a promotion would move backwards in the next environment. */
    VersionDowngrade: {
      /**
       * An image tag, the chart's own version or one of its dependencies'
       */
      kind: 'image' | 'chart' | 'dependency';
      name: string;
      /** What the next environment runs now */
      from: string;
      /** What the promotion would set */
      to: string;
      /**
       * semver precedence where both versions are semver, else the order of the commits that first wrote them into the repository
       */
      basis: 'semver' | 'commit-order';
      /** commit-order: the commit that first wrote from */
      fromCommit?: string;
      /** commit-order: the commit that first wrote to (an ancestor of fromCommit) */
      toCommit?: string;
    };
    /** What promoting this application's deployed version into the next environment would do. */
    PromotionPreview: {
      application: components['schemas']['ApplicationRef'];
      environment: string;
      version: components['schemas']['EnvironmentVersion'];
      next?: components['schemas']['PromotionTarget'];
      /** Newest first: commits on this environment's files between the next environment's deployed revision and this one's */
      commits: components['schemas']['GitCommit'][];
      /** The version change, image by image */
      changes: components['schemas']['ImageChange'][];
      /** The Helm chart version change (the chart's own version and its dependencies'), carried over with the images; when it cannot be carried over safely, promotable is false and reason says why */
      chartChanges?: components['schemas']['ChartChange'][];
      /** The next environment's files the promotion writes */
      files: string[];
      /** Unified diff of those files */
      diff: string;
      promotable: boolean;
      /** Why promotion is not possible or not needed, when promotable is false */
      reason?: string;
      /** Production promotions are always a pull request to be approved */
      requiresApproval: boolean;
      /** The versions the promotion would move backwards (empty when none): promoting then needs allowDowngrade */
      downgrades?: components['schemas']['VersionDowngrade'][];
    };
    PromoteRequest: {
      /** Confirms a promotion that moves the next environment backwards (preview downgrades); without it such a promotion is refused with 409 */
      allowDowngrade?: boolean;
    };
    PromoteResponse: {
      pullRequestUrl: string;
      branch: string;
      changedFiles: string[];
      /** The environment promoted into */
      environment: string;
      application: components['schemas']['ApplicationRef'];
    };
    /** The commits after toRevision on the application's own files, and the diff a revert would produce. */
    RevertPlan: {
      /** Full SHA */
      toRevision: string;
      /** SHA of the tracked branch the revert applies to */
      head: string;
      branch: string;
      environment?: string;
      /** Newest first */
      commits: components['schemas']['GitCommit'][];
      /** The application's files the revert changes */
      files: string[];
      diff: string;
      /** The environment's policy allows a direct commit (gitops.gitOperations.directCommitEnvironments; never production) */
      directCommitAllowed: boolean;
      /** The repository is on a GitHub integration, so a pull request can be opened */
      pullRequestAvailable: boolean;
    };
    RevertRequest: {
      /** Commit SHA (7 to 40 hex digits) to return the application's files to */
      toRevision: string;
      /** Commit straight to the tracked branch instead of opening a pull request, where the environment allows it */
      directCommit?: boolean;
    };
    RevertResponse: {
      delivery: 'pull-request' | 'direct-commit';
      pullRequestUrl?: string;
      /** The pull request's head branch, or the tracked branch for a direct commit */
      branch: string;
      commitSha: string;
      revertedCommits: string[];
      changedFiles: string[];
    };
    /**
     * in-progress: running, not yet Healthy, or baking. passed: Synced and Healthy, and not Degraded through the bake time. failed: the operation Failed or Errored, the app turned Degraded within the bake time, or it was not Synced and Healthy within the timeout. superseded: a newer operation started (or the app was deleted) first.
     */
    RolloutOutcome: 'in-progress' | 'passed' | 'failed' | 'superseded';
    RolloutRecord: {
      instance: string;
      appNamespace: string;
      name: string;
      environment?: string;
      /** The synced revision, when Argo CD reported it */
      revision?: string;
      /**
       * Format: date-time
       * status.operationState.startedAt of the sync operation
       */
      startedAt: string;
      /** Format: date-time */
      operationFinishedAt?: string;
      /** From the operation's start until the app was seen Synced */
      timeToSyncedMs?: number;
      /** From the operation's start until the app was seen Healthy */
      timeToHealthyMs?: number;
      /** The bake time of the rollout's environment */
      bakeTimeMs: number;
      outcome: components['schemas']['RolloutOutcome'];
      /** Why the rollout failed or was superseded (Argo CD's operation or health message) */
      reason?: string;
      /** Format: date-time */
      decidedAt?: string;
    };
    RolloutsResponse: {
      items: components['schemas']['RolloutRecord'][];
    };
    /**
     * A portal action on an Argo Rollout and the Argo CD resource action it runs: promote = resume (past the current pause step), promote-full = promote-full, abort = abort, retry = retry
     */
    ArgoRolloutAction: 'promote' | 'promote-full' | 'abort' | 'retry';
    /** One step of a canary's spec.strategy.canary.steps */
    ArgoRolloutStep: {
      kind: 'setWeight' | 'pause' | 'analysis' | 'other';
      weight?: number;
      /** A timed pause; none: a pause until promoted */
      duration?: string;
      /** The step as Argo Rollouts' kubectl plugin lists it */
      text: string;
    };
    ArgoRolloutVersion: {
      podTemplateHash: string;
      images: string[];
    };
    ArgoRolloutAnalysisRun: {
      name: string;
      /** Pending, Running, Successful, Failed, Error or Inconclusive */
      phase: string;
      message?: string;
    };
    /** An Argo Rollout of the application's resource tree, read from its live manifest through Argo CD (GET .../resource) with the actions Argo CD offers for it */
    ArgoRollout: {
      namespace: string;
      name: string;
      strategy: 'canary' | 'blueGreen';
      /** status.phase: Healthy, Progressing, Paused or Degraded */
      phase: string;
      message?: string;
      /** rollout.argoproj.io/revision */
      revision?: string;
      /** status.currentStepIndex (equal to the number of steps once fully promoted) */
      currentStep?: number;
      steps: components['schemas']['ArgoRolloutStep'][];
      /** The canary's share of traffic */
      weight?: number;
      stable?: components['schemas']['ArgoRolloutVersion'];
      canary?: components['schemas']['ArgoRolloutVersion'];
      paused: boolean;
      /** CanaryPauseStep, BlueGreenPause, InconclusiveAnalysis... or manual */
      pauseReason?: string;
      aborted: boolean;
      activeSelector?: string;
      previewSelector?: string;
      analysisRuns: components['schemas']['ArgoRolloutAnalysisRun'][];
      /** The portal's actions Argo CD offers now (not disabled by its discovery script) */
      actions: components['schemas']['ArgoRolloutAction'][];
    };
    ArgoRolloutsResponse: {
      items: components['schemas']['ArgoRollout'][];
    };
    /** The ApplicationSet that generated an application: its health and conditions as Argo CD's ApplicationSet controller reports them, its generators' parameters and the applications it generated. */
    ApplicationSetDetail: {
      name: string;
      namespace: string;
      /** The template's project */
      project: string;
      /** The generated applications' name, a template whose parameters are in double braces */
      templateName?: string;
      /** What the controller may do to the apps it generated (create-only, create-update, create-delete, sync) */
      applicationsSync?: string;
      health?: {
        status?: components['schemas']['HealthStatus'];
        message?: string;
      };
      conditions: {
        type: string;
        status: 'True' | 'False' | 'Unknown';
        reason?: string;
        message?: string;
        /** Format: date-time */
        lastTransitionTime?: string;
      }[];
      generators: components['schemas']['ApplicationSetGeneratorSummary'][];
      members: {
        name: string;
        sync?: components['schemas']['SyncStatus'];
        health?: components['schemas']['HealthStatus'];
      }[];
    };
    /** One generator and its parameters: the list elements, or the Git repository, revision and directory patterns (exclude: true leaves directories out). */
    ApplicationSetGeneratorSummary: {
      /** list, git, or the name of another generator */
      type: string;
      repoURL?: string;
      revision?: string;
      directories?: {
        path: string;
        exclude?: boolean;
      }[];
      elements?: {
        [key: string]: string;
      }[];
      values?: {
        [key: string]: string;
      };
    };
    /** One Kubernetes event of a resource in the application's tree, as Argo CD's events endpoint lists it */
    ResourceEvent: {
      kind: string;
      namespace?: string;
      name: string;
      type: 'Normal' | 'Warning';
      reason: string;
      message: string;
      count: number;
      /** Format: date-time */
      firstTimestamp?: string;
      /** Format: date-time */
      lastTimestamp?: string;
      /** The component that reported it (kubelet, default-scheduler, a controller) */
      source?: string;
    };
    ResourceEventsResponse: {
      /** Warning events first, then newest first */
      items: components['schemas']['ResourceEvent'][];
      /** Resources whose events could not be read (the others are listed) */
      failed: {
        kind: string;
        name: string;
        message: string;
      }[];
    };
    /** A pod of the application's resource tree whose logs can be read */
    LogPod: {
      namespace: string;
      name: string;
      health?: components['schemas']['HealthStatus'];
      /** The tree's 'Status Reason' (Running, CrashLoopBackOff, ...) */
      statusReason?: string;
      /** Kind/name of the workload that runs it, when in the tree */
      owner?: string;
      /** Container names from the owning workload's pod template; empty when the tree has no workload for the pod (Argo CD then takes the pod's only container) */
      containers: string[];
    };
    LogPodsResponse: {
      items: components['schemas']['LogPod'][];
    };
    /** One log line (also the data of each `event: log` of a followed stream) */
    LogLine: {
      /** RFC3339 time the kubelet recorded; the zero time for a line Argo CD wrote itself (an error reading the container) */
      timeStamp: string;
      content: string;
    };
    PodLogsResponse: {
      namespace: string;
      pod: string;
      container?: string;
      lines: components['schemas']['LogLine'][];
    };
    DoraFigure: {
      /** deploymentFrequency: per week; leadTime and timeToRestore: median in ms; changeFailureRate: 0..1. Absent when nothing was measured */
      value?: number;
      /** The deployments (or incidents) the value is computed from */
      count?: number;
      /** Deployments (or incidents) left out because a time is not known (no commit time, not restored yet) */
      unknown?: number;
      /** How the figure was computed, in words */
      how: string;
    };
    DoraDeployment: {
      instance: string;
      appNamespace: string;
      app: string;
      environment?: string;
      revision?: string;
      /** Format: date-time */
      deployedAt: string;
      /** Format: date-time */
      healthyAt?: string;
      /** Format: date-time */
      committedAt?: string;
      /**
       * change: a revision the app did not run before; restore: back to an earlier revision, or a revert commit; redeploy: the same revision again
       */
      kind: 'change' | 'restore' | 'redeploy';
      outcome: 'succeeded' | 'failed' | 'pending';
      validation?: components['schemas']['RolloutOutcome'];
      failure?: {
        cause: 'validation' | 'rolled-back' | 'reverted' | 'quarantine';
        detail: string;
      };
      leadTimeMs?: number;
      /** Format: date-time */
      restoredAt?: string;
    };
    DoraBucket: {
      /** Format: date-time */
      start: string;
      /** Format: date-time */
      end: string;
      deployments: number;
      failures: number;
    };
    DoraResponse: {
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      days: number;
      deploymentFrequency: components['schemas']['DoraFigure'];
      leadTime: components['schemas']['DoraFigure'];
      changeFailureRate: components['schemas']['DoraFigure'];
      timeToRestore: components['schemas']['DoraFigure'];
      buckets: components['schemas']['DoraBucket'][];
      /** The period's production deployments, oldest first */
      deployments: components['schemas']['DoraDeployment'][];
      /** What the figures cannot know, in words */
      unknown: string[];
      errors: components['schemas']['InstanceError'][];
    };
    QuarantineRequest: {
      /** An image tag, a chart version or a Git commit SHA (7 to 40 hex digits) of the service */
      version: string;
      reason: string;
    };
    LiftQuarantineRequest: {
      reason: string;
    };
    /** An application of the service that runs, or ran, the quarantined version. */
    QuarantinedDeployment: {
      instance: string;
      appNamespace: string;
      name: string;
      environment?: string;
      /** The Argo CD history entry that deployed it (deployedIn only) */
      historyId?: number;
      revision?: string;
    };
    Quarantine: {
      id: string;
      tenant: string;
      entityRef: string;
      version: string;
      reason: string;
      /** The user's entity ref */
      createdBy: string;
      createdAt: string;
      /** false once lifted */
      active: boolean;
      liftedBy?: string;
      liftedAt?: string;
      liftReason?: string;
      /** The applications that run the version now (active quarantines only) */
      runningIn: components['schemas']['QuarantinedDeployment'][];
      /** The history entries (Argo CD's history of each application) that deployed the version; only on the entity's list */
      deployedIn?: components['schemas']['QuarantinedDeployment'][];
    };
    QuarantinesResponse: {
      /** Active ones first, newest first */
      items: components['schemas']['Quarantine'][];
    };
    /** An application that runs an actively quarantined version. */
    RunningQuarantine: {
      instance: string;
      appNamespace: string;
      name: string;
      version: string;
      reason: string;
      entityRef: string;
    };
    RunningQuarantinesResponse: {
      items: components['schemas']['RunningQuarantine'][];
    };
  };
  responses: {
    /** Invalid input (path, query or body), or Argo CD refusing the request as invalid; nothing reached Argo CD for input the plugin refused */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** No valid user credentials */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** The permission policy does not allow this action on a visible application */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** Unknown instance, entity or application, or one the caller may not see (the same answer) */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** The action conflicts with the application's state (rollback of an auto-synced app) */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** The Argo CD instance is not reachable */
    Unavailable: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** Backstage error body (400 invalid input, 403 not allowed, 404 not found or not visible, 409 conflict, 503 Argo CD unreachable) */
    Error: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** The application after the action */
    Action: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ActionResponse'];
      };
    };
  };
  parameters: {
    instance: string;
    app: string;
    appNamespace: string;
    rolloutNamespace: string;
    rollout: string;
    entityNamespace: string;
    entityKind: string;
    entityName: string;
    doraFrom: string;
    doraTo: string;
    doraDays: number;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
