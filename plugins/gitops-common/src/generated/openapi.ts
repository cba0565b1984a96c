/*
 * GENERATED FILE, do not edit. Source: plugins/gitops-backend/src/schema/openapi.yaml.
 * Regenerate with `yarn workspace @kupe/plugin-gitops-common generate:api`
 * (openapi-typescript); a test fails when this file is out of date with the document.
 */
/* eslint-disable */
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
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['EntityApplicationsResponse'];
          };
        };
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
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApplicationDetail'];
          };
        };
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
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ManagedResourcesResponse'];
          };
        };
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
          entityRef: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Event stream: `event: applications` with `data:` one ApplicationsEvent (JSON) per message, and comment heartbeats */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
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
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantsResponse'];
          };
        };
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
export interface components {
  schemas: {
    /** @description Backstage's error body (errorHandler middleware) */
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
    /** @enum {string} */
    SyncStatus: 'Synced' | 'OutOfSync' | 'Unknown' | '';
    /** @enum {string} */
    HealthStatus:
      | 'Healthy'
      | 'Progressing'
      | 'Degraded'
      | 'Suspended'
      | 'Missing'
      | 'Unknown';
    /** @enum {string} */
    OperationPhase:
      | 'Running'
      | 'Terminating'
      | 'Failed'
      | 'Error'
      | 'Succeeded';
    /** @enum {string} */
    SyncPolicyMode:
      | 'manual'
      | 'auto'
      | 'auto-prune'
      | 'auto-self-heal'
      | 'auto-prune-self-heal';
    InstanceError: {
      instance: string;
      message: string;
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
      images: string[];
      lastSyncedAt?: string;
      /** @description Revision of the last successful sync (what runs); sync.revision is the target. */
      deployedRevision?: string;
      outOfSyncSince?: string;
      argoCdUrl?: string;
      stale: boolean;
      ageMs: number;
    };
    Operation: {
      phase: components['schemas']['OperationPhase'];
      message?: string;
      startedAt?: string;
      finishedAt?: string;
    };
    Initiator: {
      username?: string;
      automated?: boolean;
    };
    EntityApplicationsResponse: {
      items: components['schemas']['ApplicationSummary'][];
      errors: components['schemas']['InstanceError'][];
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
      revision?: string;
    };
    ApplicationHistoryEntry: {
      id: number;
      revision?: string;
      /** @description Helm chart version */
      chartVersion?: string;
      deployedAt: string;
      deployStartedAt?: string;
      initiatedBy?: components['schemas']['Initiator'];
      author?: string;
      date?: string;
      message?: string;
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
    ApplicationDetail: {
      summary: components['schemas']['ApplicationSummary'];
      conditions: components['schemas']['ApplicationCondition'][];
      operationState?: components['schemas']['OperationState'];
      history: components['schemas']['ApplicationHistoryEntry'][];
      resources: components['schemas']['ApplicationResourceSummary'][];
    };
    /** @description One managed resource; for OutOfSync ones the normalized manifests for a diff. */
    ManagedResource: {
      group?: string;
      kind: string;
      namespace?: string;
      name: string;
      modified: boolean;
      /** @description YAML of the live object (absent when it does not exist yet) */
      liveManifest?: string;
      /** @description YAML of the desired object (absent when it will be pruned) */
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
    /** @description Data of each `event: applications` server-sent event. */
    ApplicationsEvent: {
      entityRef: string;
      items: components['schemas']['ApplicationSummary'][];
      errors: components['schemas']['InstanceError'][];
    };
    /** @description Outcome of a mutation */
    ActionResponse: {
      summary: components['schemas']['ApplicationSummary'];
    };
    SyncResource: {
      group?: string;
      kind: string;
      name: string;
      namespace?: string;
    };
    SyncRequest: {
      prune?: boolean;
      dryRun?: boolean;
      /** @description A branch */
      revision?: string;
      resources?: components['schemas']['SyncResource'][];
    };
    RefreshRequest: {
      hard?: boolean;
    };
    RollbackRequest: {
      id: number;
      prune?: boolean;
      dryRun?: boolean;
    };
  };
  responses: {
    /** @description Backstage error body (400 invalid input, 403 not allowed, 404 not found or not visible, 409 conflict, 503 Argo CD unreachable) */
    Error: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The application after the action */
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
    entityNamespace: string;
    entityKind: string;
    entityName: string;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
