/**
 * @jest-environment @backstage/cli-module-test-jest/config/jest-environment-jsdom
 */
import '@testing-library/jest-dom';
import { act, configure, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  MockConfigApi,
  MockFetchApi,
  MockPermissionApi,
  TestApiProvider,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  type AnyApiFactory,
  type ApiRef,
  type BackstagePlugin,
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import Ajv, { type ValidateFunction } from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { argocdPlugin as roadiePlugin } from '@roadiehq/backstage-plugin-argo-cd';
import { argocdPlugin as communityPlugin } from '@backstage-community/plugin-argocd';
import { gitOpsPlugin } from '@kupe/plugin-gitops/legacy';
import {
  ARGOCD_APP_SELECTOR_ANNOTATION,
  type ApplicationDetail,
  type ApplicationsEvent,
  type ApplicationSummary,
  type EntityApplicationsResponse,
  KUBERNETES_ID_LABEL,
  type PromotionPreview,
  type QuarantinesResponse,
} from '@kupe/plugin-gitops-common';
import { BackendClient, startSession, viewEntity } from './entityViews';
import type { ArgoInstance, Component, ViewId } from './types';

// pluginBackends.ts loads the three backends, which do not load under jsdom (no MessagePort);
// entityViews needs only its selector (the same) and a viewer's header (not part of a path).
jest.mock('./pluginBackends', () => ({
  selectorOf: (c: { name: string }) =>
    `${jest.requireActual('@kupe/plugin-gitops-common').KUBERNETES_ID_LABEL}=${
      c.name
    }`,
  authorizationOf: () => 'Bearer viewer',
}));
const selectorOf = (c: Component) => `${KUBERNETES_ID_LABEL}=${c.name}`;

// The machine is shared (as in plugins/gitops's setupTests): the default waits flake under load.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);

/*
 * The request sequences `viewEntity` replays, checked against what each plugin's real frontend
 * sends when it renders an entity page: the peers' published frontend packages (Roadie's
 * @roadiehq/backstage-plugin-argo-cd 2.12.5, released with the 4.8.0 backend the benchmark
 * runs; the community's @backstage-community/plugin-argocd 2.9.0, released with backend
 * 1.5.0) and Kupe's card, each with the API clients its own plugin's factories build, on a
 * fetch that records every request and answers as the plugin's backend does (Kupe's answers
 * are checked against its backend's OpenAPI document). The replay runs against the same
 * recorder.
 */

/**
 * A module of a plugin package. Their entity extensions load the components with `import()`,
 * which jest's CommonJS runtime cannot run (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG), and
 * their `exports` maps hide the files: the test requires the very files the extensions load.
 */
const moduleOf = (pkg: string, file: string) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(
    path.dirname(require.resolve(`${pkg}/package.json`)),
    file,
  ));
const { ArgoCDDetailsCard } = moduleOf(
  '@roadiehq/backstage-plugin-argo-cd',
  'dist/components/ArgoCDDetailsCard.esm.js',
);
const { ArgoCDHistoryCard } = moduleOf(
  '@roadiehq/backstage-plugin-argo-cd',
  'dist/components/ArgoCDHistoryCard.esm.js',
);
const { DeploymentSummary } = moduleOf(
  '@backstage-community/plugin-argocd',
  'dist/components/DeploymentSummary/index.esm.js',
);
const { EntityGitOpsCard } = moduleOf(
  '@kupe/plugin-gitops',
  'src/components/EntityGitOpsCard/EntityGitOpsCard',
);
const { EntityGitOpsContent } = moduleOf(
  '@kupe/plugin-gitops',
  'src/components/EntityGitOpsContent/EntityGitOpsContent',
);

const BASE = 'http://localhost:7007';
const component: Component = {
  name: 'tenant000-svc0',
  tenant: 'tenant000',
  appsPerInstance: 3,
};
const instances: ArgoInstance[] = ['argocd-1', 'argocd-2'].map(name => ({
  name,
  url: `https://${name}.example.com`,
  token: 'not-sent-by-a-frontend',
}));
const ENVIRONMENTS = ['dev', 'staging', 'production'];

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: component.name,
    namespace: 'default',
    annotations: { [ARGOCD_APP_SELECTOR_ANNOTATION]: selectorOf(component) },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'tenant000-team' },
};

/** The seed's shape for this component: 1, 2 and 3 history entries; staging OutOfSync. */
const argoApp = (instance: string, env: string, i: number) => ({
  metadata: {
    name: `${component.name}-${env}`,
    namespace: 'argocd',
    instance: { name: instance },
    labels: { 'backstage.io/kubernetes-id': component.name },
  },
  spec: {
    project: 'tenant000',
    source: { repoURL: 'https://git.example.com/deploy.git', path: env },
    destination: { server: 'https://kubernetes.default.svc', namespace: env },
  },
  status: {
    sync: {
      status: env === 'staging' ? 'OutOfSync' : 'Synced',
      revision: `${env}-rev-${i}`,
    },
    health: { status: 'Healthy' },
    operationState: {
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:01:00Z',
      phase: 'Succeeded',
    },
    history: Array.from({ length: i + 1 }, (_, h) => ({
      id: h,
      revision: `${env}-rev-${h}`,
      deployStartedAt: `2026-01-0${h + 1}T00:00:00Z`,
      deployedAt: `2026-01-0${h + 1}T00:01:00Z`,
      source: { repoURL: 'https://git.example.com/deploy.git', path: env },
    })),
    summary: { images: [] },
  },
});
const argoApps = (instance: string) =>
  ENVIRONMENTS.map((env, i) => argoApp(instance, env, i));

const IMAGE = `registry.example.com/${component.name}`;
const kupeSummary = (instance: string, env: string): ApplicationSummary => ({
  instance,
  name: `${component.name}-${env}`,
  appNamespace: 'argocd',
  project: 'tenant000',
  tenant: 'tenant000',
  environment: env,
  destination: { cluster: 'in-cluster', namespace: env },
  sync: {
    status: env === 'staging' ? 'OutOfSync' : 'Synced',
    revision: `${env}-rev`,
  },
  health: { status: 'Healthy' },
  syncPolicy: 'auto',
  source: { repoURL: 'https://git.example.com/deploy.git', path: env },
  images: [`${IMAGE}:1.0.0`],
  lastSyncedAt: '2026-01-01T00:01:00Z',
  stale: false,
  ageMs: 1_000,
});
const kupeSummaries = () =>
  instances.flatMap(i => ENVIRONMENTS.map(env => kupeSummary(i.name, env)));

/** Kupe's detail of an app: its history, resources and sync windows. */
const kupeDetail = (summary: ApplicationSummary): ApplicationDetail => ({
  summary,
  conditions: [],
  history: [
    {
      id: 0,
      revision: summary.sync.revision,
      deployStartedAt: '2026-01-01T00:00:00Z',
      deployedAt: '2026-01-01T00:01:00Z',
      author: 'dev@example.com',
      message: `deploy ${summary.sync.revision}`,
      initiatedBy: { automated: true },
    },
  ],
  resources: [
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: summary.destination.namespace,
      name: component.name,
      status: summary.sync.status,
      health: 'Healthy',
    },
  ],
  syncWindows: { canSync: true, assigned: [], active: [] },
});

/**
 * Kupe's promotion preview of an app: the next environment already runs its version (so the
 * tab, which reads a preview again while it names versions the apps do not run, reads each
 * once).
 */
const kupePreview = (summary: ApplicationSummary): PromotionPreview => {
  const env = summary.environment!;
  const nextEnv = ENVIRONMENTS[ENVIRONMENTS.indexOf(env) + 1];
  const version = (e: string) => ({
    layout: 'kustomize' as const,
    revision: `${e}-rev`,
    images: [{ name: IMAGE, tag: '1.0.0' }],
    label: '1.0.0',
    files: [`${e}/kustomization.yaml`],
  });
  const ref = (name: string) => ({
    instance: summary.instance,
    appNamespace: summary.appNamespace,
    name,
  });
  return {
    application: ref(summary.name),
    environment: env,
    version: version(env),
    ...(nextEnv
      ? {
          next: {
            application: ref(`${component.name}-${nextEnv}`),
            environment: nextEnv,
            version: version(nextEnv),
            syncPolicy: 'auto' as const,
          },
        }
      : {}),
    commits: [],
    changes: [],
    files: [],
    diff: '',
    promotable: false,
    reason: nextEnv
      ? `${component.name}-${nextEnv} is already at 1.0.0`
      : `${env} is the last environment`,
    requiresApproval: nextEnv === 'production',
    downgrades: [],
  };
};

/** Kupe's backend's OpenAPI document, its schemas under `openapi#/components/schemas/`. */
const kupeSpec = parse(
  fs.readFileSync(
    path.join(
      path.dirname(require.resolve('@kupe/plugin-gitops-backend/package.json')),
      'src/schema/openapi.yaml',
    ),
    'utf8',
  ),
);
const ajv = new Ajv({
  strict: false,
  allErrors: true,
  formats: { 'date-time': (t: string) => !Number.isNaN(Date.parse(t)) },
});
ajv.addSchema({ components: kupeSpec.components }, 'openapi');

/** The 200 answer schema of each route of Kupe's backend, from its OpenAPI document. */
const kupeAnswerSchemas = (() => {
  const spec = kupeSpec;
  return Object.entries(spec.paths as Record<string, any>).flatMap(
    ([template, operations]) => {
      const schema =
        operations.get?.responses?.['200']?.content?.['application/json']
          ?.schema;
      if (!schema) return [];
      const route = new RegExp(
        `^/api/gitops${template.replace(/\{\w+\}/g, '[^/]+')}$`,
      );
      const validate: ValidateFunction = ajv.compile(
        JSON.parse(
          JSON.stringify(schema).replace(/"\$ref":"#/g, '"$ref":"openapi#'),
        ),
      );
      return [{ route, validate }];
    },
  );
})();
/** Kupe answers the canned routes gave that its OpenAPI document does not allow. */
const invalidKupeAnswers: string[] = [];

/** A JSON answer of Kupe's backend, checked against the document's schema of the route. */
function kupeJson(pathname: string, body: unknown) {
  const schema = kupeAnswerSchemas.find(s => s.route.test(pathname));
  if (!schema) invalidKupeAnswers.push(`${pathname}: no route in the document`);
  else if (!schema.validate(body))
    invalidKupeAnswers.push(
      `${pathname}: ${JSON.stringify(schema.validate.errors)}`,
    );
  return HttpResponse.json(body as any);
}

/** The entity's applications, none of its quarantines running: the list's answer. */
const kupeList = (): EntityApplicationsResponse => ({
  items: kupeSummaries(),
  errors: [],
  runningQuarantines: 0,
});

/** Kupe's answer to a request of its frontend, undefined for a route it has none for. */
function kupeAnswer(pathname: string) {
  const route = decodeURIComponent(pathname);
  const entityPath = `/api/gitops/entities/default/component/${component.name}`;
  if (route === `${entityPath}/applications`)
    return kupeJson(pathname, kupeList());
  if (route === `${entityPath}/quarantines`) {
    const none: QuarantinesResponse = { items: [] };
    return kupeJson(pathname, none);
  }
  const app = route.match(
    /^\/api\/gitops\/instances\/([^/]+)\/applications\/([^/]+)(\/promotion)?$/,
  );
  const summary = kupeSummaries().find(
    a => a.instance === app?.[1] && a.name === app?.[2],
  );
  if (summary)
    return kupeJson(
      pathname,
      app![3] ? kupePreview(summary) : kupeDetail(summary),
    );
  if (route === '/api/gitops/events') {
    // The list's answer as the first event, then open, as Kupe's backend keeps it until the
    // page is left.
    const event: ApplicationsEvent = {
      entityRef: `component:default/${component.name}`,
      ...kupeList(),
    };
    const validate = ajv.getSchema(
      'openapi#/components/schemas/ApplicationsEvent',
    )!;
    if (!validate(event))
      invalidKupeAnswers.push(
        `${pathname}: ${JSON.stringify(validate.errors)}`,
      );
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            `: open\n\nevent: applications\ndata: ${JSON.stringify(event)}\n\n`,
          ),
        );
      },
    });
    return new HttpResponse(stream, {
      headers: { 'content-type': 'text/event-stream' },
    });
  }
  return undefined;
}

/** Every request, as `METHOD path?sorted-query`, the base URL stripped. */
const recorded: string[] = [];
const normalise = (method: string, href: string) => {
  const url = new URL(href);
  const query = [...url.searchParams.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${method} ${url.pathname}${query ? `?${query}` : ''}`;
};

/** Answers as the plugins' backends do (their routes and response shapes). */
const server = setupServer(
  http.all('*', ({ request }) => {
    const url = new URL(request.url);
    recorded.push(normalise(request.method, request.url));
    const route = decodeURIComponent(url.pathname);
    if (route === '/api/backstage-community-argocd/check') {
      return new HttpResponse('OK', {
        headers: { 'content-type': 'text/plain' },
      });
    }
    if (/^\/api\/argocd\/find\/selector\/.+$/.test(route)) {
      return HttpResponse.json(
        instances.map(i => ({
          name: i.name,
          url: i.url,
          appName: ENVIRONMENTS.map(env => `${component.name}-${env}`),
        })),
      );
    }
    const list = route.match(
      /^\/api\/(argocd|backstage-community-argocd)\/argoInstance\/([^/]+)\/applications\/selector\/.+$/,
    );
    if (list) return HttpResponse.json({ items: argoApps(list[2]) });
    const revision = route.match(
      /^\/api\/argocd\/argoInstance\/[^/]+\/applications\/name\/[^/]+\/revisions\/([^/]+)\/metadata$/,
    );
    if (revision) {
      return HttpResponse.json({
        author: 'dev@example.com',
        date: '2026-01-01T00:00:00Z',
        message: `commit ${revision[1]}`,
      });
    }
    const kupe = kupeAnswer(url.pathname);
    if (kupe) return kupe;
    return HttpResponse.json(
      {
        error: {
          name: 'NotFoundError',
          message: `no canned answer for ${route}`,
        },
      },
      { status: 404 },
    );
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  recorded.length = 0;
  invalidKupeAnswers.length = 0;
});
afterAll(() => server.close());

/**
 * The requests `viewEntity` sends for a view, recorded by the same server; with `session`,
 * the first view of a browser session (`startSession` before it).
 */
async function replayed(
  view: ViewId,
  options: { session?: boolean } = {},
): Promise<string[]> {
  recorded.length = 0;
  const client = new BackendClient(7007, 10);
  try {
    if (options.session) await startSession(view, client, component, instances);
    await viewEntity(view, client, component, instances);
  } finally {
    client.close();
  }
  const list = [...recorded];
  recorded.length = 0;
  return list.sort();
}

const config = new MockConfigApi({
  backend: { baseUrl: BASE },
  argocd: {
    appLocatorMethods: [
      {
        type: 'config',
        instances: instances.map(({ name, url }) => ({ name, url })),
      },
    ],
  },
});
const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `${BASE}/api/${pluginId}`,
};
const identityApi = {
  getCredentials: async () => ({ token: 'user-token' }),
  getBackstageIdentity: async () => ({
    type: 'user' as const,
    userEntityRef: 'user:default/tenant000-dev',
    ownershipEntityRefs: [],
  }),
  getProfileInfo: async () => ({}),
  signOut: async () => {},
};

/** The API clients a plugin's own factories build, on the recording fetch. */
function apisOf(...plugins: BackstagePlugin[]): Array<[ApiRef<any>, any]> {
  const built = new Map<string, unknown>([
    [configApiRef.id, config],
    [discoveryApiRef.id, discoveryApi],
    [fetchApiRef.id, new MockFetchApi()],
    [identityApiRef.id, identityApi],
  ]);
  const result: Array<[ApiRef<any>, any]> = [];
  for (const factory of plugins.flatMap(
    p => [...p.getApis()] as AnyApiFactory[],
  )) {
    const deps = Object.fromEntries(
      Object.entries(factory.deps).map(([key, ref]) => {
        if (!built.has(ref.id)) throw new Error(`no API ${ref.id}`);
        return [key, built.get(ref.id)];
      }),
    );
    const api = factory.factory(deps);
    built.set(factory.api.id, api);
    result.push([factory.api, api]);
  }
  return result;
}

async function render(plugin: BackstagePlugin, element: JSX.Element) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        ...apisOf(plugin),
        [permissionApiRef, new MockPermissionApi()],
        [configApiRef, config],
      ]}
    >
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}

/**
 * Waits until the frontend has sent what the replay sends, then a little longer, so that a
 * request the replay lacks fails the test too; every answer Kupe's routes gave must have been
 * valid.
 */
async function sendsTheSame(expected: string[], keep = (_: string) => true) {
  const sent = () => recorded.filter(keep).sort();
  await waitFor(() => expect(sent()).toEqual(expected));
  await act(() => new Promise(resolve => setTimeout(resolve, 300)));
  expect(sent()).toEqual(expected);
  expect(invalidKupeAnswers).toEqual([]);
}

describe('the view sequences match the real frontends', () => {
  it("Roadie's overview and history cards", async () => {
    const expected = await replayed('roadie');
    await render(
      roadiePlugin,
      <>
        <ArgoCDDetailsCard />
        <ArgoCDHistoryCard />
      </>,
    );
    // The history card shows every history entry's commit message once its metadata is in.
    expect(await screen.findAllByText('commit staging-rev-1')).not.toHaveLength(
      0,
    );
    await sendsTheSame(expected);
    expect(
      screen.getAllByText(`${component.name}-production`).length,
    ).toBeGreaterThan(0);
  });

  it('the community card, and its poll every argocd.refreshInterval', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      // The first view of a session: the client probes which backend is installed before
      // its first listings, once per instance (both listings ask before either answer is in).
      const first = await replayed('community', { session: true });
      const check = 'GET /api/backstage-community-argocd/check';
      expect(first.filter(r => r === check)).toHaveLength(instances.length);
      const poll = await replayed('community');
      await render(communityPlugin, <DeploymentSummary />);
      expect(
        (await screen.findAllByText(`${component.name}-staging`)).length,
      ).toBe(2);
      await sendsTheSame(first);
      // It keeps the answer: the poll (and any later view of the session) probes no more.
      recorded.length = 0;
      await act(async () => {
        jest.advanceTimersByTime(10_000);
      });
      await sendsTheSame(poll);
    } finally {
      jest.useRealTimers();
    }
  });

  it("Kupe's card", async () => {
    const expected = await replayed('kupe-card');
    await render(gitOpsPlugin, <EntityGitOpsCard />);
    expect(
      (await screen.findAllByText(`${component.name}-production`)).length,
    ).toBe(2);
    await sendsTheSame(expected);
  });

  it("Kupe's tab", async () => {
    const expected = await replayed('kupe-tab');
    // Per app on either instance its detail and its promotion preview.
    expect(expected.filter(r => /\/promotion\?/.test(r))).toHaveLength(6);
    await render(gitOpsPlugin, <EntityGitOpsContent />);
    // The overview shows each app's last deployment once its detail is in, and the promotion
    // panel's verdict once its preview is.
    expect(
      (await screen.findAllByText(`${component.name}-production`)).length,
    ).toBeGreaterThan(0);
    await sendsTheSame(expected);
  });
});
