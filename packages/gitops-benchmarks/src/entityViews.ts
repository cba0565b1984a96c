import http from 'node:http';
import { authorizationOf, selectorOf } from './pluginBackends';
import {
  type ArgoInstance,
  type Component,
  type ViewId,
  inTurns,
} from './types';

/** An HTTP client of one backend: keep-alive sockets, one per concurrent browser. */
export class BackendClient {
  readonly #agent: http.Agent;

  /** Every request path this client sent, when recording (the view-sequence test). */
  readonly sent: string[] = [];
  #recording = false;

  constructor(readonly port: number, maxSockets: number) {
    this.#agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  record(on: boolean) {
    this.#recording = on;
  }

  get recording(): boolean {
    return this.#recording;
  }

  /**
   * GETs JSON; like a browser, retries once when a reused keep-alive socket turns out to have
   * been closed by the server in the meantime (Node's documented `reusedSocket` race).
   */
  async getJson(path: string, authorization: string): Promise<any> {
    if (this.#recording) this.sent.push(path);
    try {
      return await this.#getJsonOnce(path, authorization);
    } catch (error) {
      if ((error as { retryable?: boolean }).retryable) {
        return this.#getJsonOnce(path, authorization);
      }
      throw error;
    }
  }

  #getJsonOnce(path: string, authorization: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          agent: this.#agent,
          headers: { authorization, accept: 'application/json' },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(
                new Error(`GET ${path} answered ${res.statusCode}: ${text}`),
              );
              return;
            }
            try {
              resolve(JSON.parse(text));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          Object.assign(error, {
            retryable: req.reusedSocket && error.code === 'ECONNRESET',
          }),
        );
      });
    });
  }

  close() {
    this.#agent.destroy();
  }
}

const kupeAppPath = (
  app: { instance: string; name: string; appNamespace: string },
  suffix = '',
) =>
  `/api/gitops/instances/${encodeURIComponent(
    app.instance,
  )}/applications/${encodeURIComponent(
    app.name,
  )}${suffix}?appNamespace=${encodeURIComponent(app.appNamespace)}`;

const kupeEntityPath = (component: Component) =>
  `/api/gitops/entities/default/component/${encodeURIComponent(
    component.name,
  )}`;

const kupeEntityRef = (component: Component) =>
  `component:default/${component.name}`;

/**
 * Opens Kupe's event stream as `GitOpsClient.subscribe` does (plugins/gitops/src/api/
 * GitOpsClient.ts: `GET /api/gitops/events?entityRef=...` with `Accept: text/event-stream`, on
 * a connection of its own), resolving once its first `applications` event, the list's answer,
 * is in (rejecting when the stream does not open, or fails or ends before it). Counts the
 * events it carries until `close()`; `onApplications` gets each one's answer, the first too.
 */
export function openKupeEvents(
  port: number,
  component: Component,
  record?: string[],
  onApplications?: (answer: KupeAnswer) => void,
): Promise<{ first: KupeAnswer; events: () => number; close: () => void }> {
  const path = `/api/gitops/events?entityRef=${encodeURIComponent(
    kupeEntityRef(component),
  )}`;
  record?.push(path);
  return new Promise((resolve, reject) => {
    let events = 0;
    let first: KupeAnswer | undefined;
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        headers: {
          authorization: authorizationOf(component),
          accept: 'text/event-stream',
        },
      },
      res => {
        if (
          res.statusCode !== 200 ||
          !String(res.headers['content-type']).includes('text/event-stream')
        ) {
          res.resume();
          reject(new Error(`GET ${path} answered ${res.statusCode}`));
          return;
        }
        // Closing the response closes the connection, as a browser's EventSource.close() does.
        // (Not `req.destroy()`: the socket's close would then abort the unfinished response with
        // an error whose stack Node formats, a few percent of the load generator's CPU per view.)
        const close = () => res.destroy();
        const fail = (reason: string) => {
          if (first) return;
          close();
          reject(new Error(`GET ${path} ${reason} before its first state`));
        };
        const opened = { events: () => events, close };
        res.setEncoding('utf8');
        let pending = '';
        res.on('data', (text: string) => {
          pending += text;
          let end = pending.indexOf('\n\n');
          while (end >= 0) {
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            end = pending.indexOf('\n\n');
            const frame = /^event: (applications|error)\ndata: (.*)$/s.exec(
              block,
            );
            if (frame?.[1] === 'error') fail(`sent an error (${frame[2]})`);
            if (frame?.[1] !== 'applications') continue;
            events++;
            // What the page renders: the answer of each event, as it arrives.
            if (first && !onApplications) continue;
            const answer: KupeAnswer = JSON.parse(frame[2]);
            onApplications?.(answer);
            if (!first) {
              first = answer;
              resolve({ first, ...opened });
            }
          }
        });
        res.on('end', () => fail('ended'));
        res.on('error', error => fail(`failed (${error.message})`));
      },
    );
    req.on('error', reject);
  });
}

/**
 * How many of its Git-reading loads (details, promotion previews) Kupe's tab runs at once
 * (`gitReadingLoads` in plugins/gitops/src/lib/requestLimiter.ts): a browser keeps six
 * connections per host and the tab leaves the others to its small requests.
 */
const KUPE_TAB_GIT_READS_AT_ONCE = 3;

/**
 * The requests of one view of an entity annotated with `argocd/app-selector` (no
 * `argocd/instance-name`), as each plugin's own frontend sends them, resolving to the number
 * of applications the view shows. `frontendViews.test.tsx` checks every sequence against
 * what the real frontends send when rendered; `benchmark.test.ts` runs every view against the
 * real backends.
 *
 * - kupe-card (`EntityGitOpsCard`, `useEntityApplications`): the event stream `GET /api/gitops/
 *   events` alone, whose first event is the list's answer (opened here and closed once that is
 *   in, as a page that is left; `openPage` keeps it). The list's `GET /api/gitops/entities/:ns/
 *   :kind/:name/applications` is sent only when the stream gives no first state, which the
 *   replay takes for a failure. Its `QuarantineBanner` sends `GET .../quarantines` only when
 *   the answer's `runningQuarantines` is not 0.
 * - kupe-tab (`EntityGitOpsContent`, as it opens: every application's panel collapsed): the
 *   same stream and banner, then its `QuarantinePanel`'s `.../quarantines?includeLifted=true`
 *   (when it lists applications) and its Git-reading loads three at a time: every
 *   application's detail (`useApplicationDetails`), then the promotion preview
 *   (`usePromotionPreviews`, `GET .../promotion`) of every application with an environment.
 *   Not replayed: what an application's panel asks once someone opens it (its rollouts, its
 *   managed resources when OutOfSync, its resource events): that is a click, not the view.
 * - roadie (`@roadiehq/backstage-plugin-argo-cd` 2.12.5 with `argocd.appLocatorMethods`, as
 *   its README puts the overview and history cards on the entity page): each card's
 *   `useAppDetails` sends `GET /api/argocd/find/selector/:selector` and then, for every
 *   instance found, `GET /api/argocd/argoInstance/:instance/applications/selector/:selector`;
 *   the history card then fetches the revision metadata of every history entry but the oldest
 *   (`revisionsToLoad` unset is -1, `slice(0, -1)`) of every application, all in parallel.
 * - community (`@backstage-community/plugin-argocd`, `DeploymentSummary` → `useApplications` →
 *   `ArgoCDInstanceApiClient.listApplicationsBySelector`): for every configured instance, in
 *   parallel, `GET /api/backstage-community-argocd/argoInstance/:instance/applications/
 *   selector/:selector?selector=...`; the selector is URI-encoded once by
 *   `getArgoCdAppConfig`, put in the path as is and in the query encoded again. The card
 *   repeats it every `argocd.refreshInterval` (default 10 s) while open (`openPage`).
 */
export async function viewEntity(
  view: ViewId,
  client: BackendClient,
  component: Component,
  instances: ArgoInstance[],
): Promise<number> {
  const authorization = authorizationOf(component);
  const selector = encodeURIComponent(selectorOf(component));
  if (view === 'kupe-card' || view === 'kupe-tab') {
    const stream = await openKupeEvents(
      client.port,
      component,
      client.recording ? client.sent : undefined,
    );
    stream.close();
    const body = stream.first;
    const apps = body.items;
    const quarantines = (query = '') =>
      client.getJson(
        `${kupeEntityPath(component)}/quarantines${query}`,
        authorization,
      );
    // The banner (card and tab alike) asks unless the answer says none of them runs.
    const banner = body.runningQuarantines === 0 ? [] : [quarantines()];
    if (view === 'kupe-card') await Promise.all(banner);
    if (view === 'kupe-tab') {
      await Promise.all([
        ...banner,
        ...(apps.length > 0 ? [quarantines('?includeLifted=true')] : []),
        inTurns(KUPE_TAB_GIT_READS_AT_ONCE, [
          ...apps.map(
            app => () => client.getJson(kupeAppPath(app), authorization),
          ),
          ...apps
            .filter(app => app.environment)
            .map(
              app => () =>
                client.getJson(kupeAppPath(app, '/promotion'), authorization),
            ),
        ]),
      ]);
    }
    return apps.length;
  }
  if (view === 'roadie') {
    const card = async () => {
      const found: Array<{ name: string }> = await client.getJson(
        `/api/argocd/find/selector/${selector}`,
        authorization,
      );
      const lists = await Promise.all(
        found.map(instance =>
          client.getJson(
            `/api/argocd/argoInstance/${instance.name}/applications/selector/${selector}`,
            authorization,
          ),
        ),
      );
      return lists.flatMap(list => (list.items ?? []) as RoadieApp[]);
    };
    const [overview, history] = await Promise.all([card(), card()]);
    await Promise.all(
      history.flatMap(app =>
        [...(app.status?.history ?? [])]
          .sort(
            (a, b) =>
              new Date(b.deployedAt || '').valueOf() -
              new Date(a.deployedAt || '').valueOf(),
          )
          .slice(0, -1)
          .map(entry =>
            client.getJson(
              `/api/argocd/argoInstance/${
                app.metadata.instance?.name
              }/applications/name/${encodeURIComponent(
                app.metadata.name,
              )}/revisions/${encodeURIComponent(entry.revision)}/metadata`,
              authorization,
            ),
          ),
      ),
    );
    return overview.length;
  }
  const lists = await Promise.all(
    instances.map(instance =>
      client.getJson(
        `/api/backstage-community-argocd/argoInstance/${
          instance.name
        }/applications/selector/${selector}?selector=${encodeURIComponent(
          selector,
        )}`,
        authorization,
      ),
    ),
  );
  return lists.reduce((n, list) => n + (list.items ?? []).length, 0);
}

/** What Kupe's list answers and each `applications` event carries, as far as a view reads it. */
export interface KupeAnswer {
  items: KupeSummary[];
  runningQuarantines?: number;
}

export interface KupeSummary {
  instance: string;
  appNamespace: string;
  name: string;
  environment?: string;
  sync?: { status?: string };
  health?: { status?: string };
}

interface RoadieApp {
  metadata: { name: string; instance?: { name: string } };
  status?: { history?: Array<{ revision: string; deployedAt?: string }> };
}

/** An entity page left open: what its frontend keeps doing until it is closed. */
export interface OpenPage {
  /** Requests the page sent after it opened (polls), and how many of them failed. */
  readonly polls: number;
  readonly pollFailures: number;
  /** Events its stream carried (Kupe). */
  events(): number;
  /**
   * Kupe's pages: resolves (epoch ms) when the page's stream first shows `name` on
   * `instance` with `health`, or undefined after `timeoutMs`. Pages that are not pushed to
   * have none.
   */
  shows?(
    instance: string,
    name: string,
    health: string,
    timeoutMs: number,
  ): Promise<number | undefined>;
  /** The applications the page shows (Kupe: as of the last event). */
  applications?(): KupeSummary[];
  /** Stops polling and closes streams. */
  close(): Promise<void>;
}

/**
 * Opens an entity page and keeps it open: the view, then what the frontend does while it
 * stays open. Kupe's card keeps its event stream; the community card repeats its listing
 * every `pollMs` (its `useInterval(retry, intervalMs)`, default 10 s); Roadie's cards load
 * once (`useAsyncRetry` with no interval).
 */
export async function openPage(
  view: ViewId,
  client: BackendClient,
  component: Component,
  instances: ArgoInstance[],
  pollMs: number,
): Promise<OpenPage> {
  const expected = component.appsPerInstance * instances.length;
  const check = (apps: number) => {
    if (apps !== expected)
      throw new Error(
        `${view} showed ${apps} applications of ${component.name}, expected ${expected}`,
      );
  };
  if (view === 'kupe-card' || view === 'kupe-tab') {
    // What the page renders: every event's items (useEntityApplications), the first too.
    let shown: KupeSummary[] = [];
    const waiters = new Set<() => void>();
    const stream = await openKupeEvents(
      client.port,
      component,
      undefined,
      answer => {
        shown = answer.items;
        for (const wake of [...waiters]) wake();
      },
    );
    check(stream.first.items.length);
    if (stream.first.runningQuarantines !== 0)
      await client.getJson(
        `${kupeEntityPath(component)}/quarantines`,
        authorizationOf(component),
      );
    const has = (instance: string, name: string, health: string) =>
      shown.some(
        a =>
          a.instance === instance &&
          a.name === name &&
          a.health?.status === health,
      );
    return {
      polls: 0,
      pollFailures: 0,
      events: stream.events,
      applications: () => shown,
      shows: (instance, name, health, timeoutMs) =>
        new Promise(resolve => {
          const wait = {
            timer: undefined as ReturnType<typeof setTimeout> | undefined,
            look: () => {},
          };
          const settle = (at: number | undefined) => {
            waiters.delete(wait.look);
            clearTimeout(wait.timer);
            resolve(at);
          };
          wait.look = () => {
            if (has(instance, name, health)) settle(Date.now());
          };
          wait.timer = setTimeout(() => settle(undefined), timeoutMs);
          waiters.add(wait.look);
          wait.look();
        }),
      close: async () => stream.close(),
    };
  }
  check(await viewEntity(view, client, component, instances));
  if (view === 'roadie') {
    return {
      polls: 0,
      pollFailures: 0,
      events: () => 0,
      close: async () => {},
    };
  }
  const counts = { polls: 0, pollFailures: 0 };
  const timer = setInterval(() => {
    counts.polls++;
    viewEntity(view, client, component, instances)
      .then(check)
      .catch(() => {
        counts.pollFailures++;
      });
  }, pollMs);
  return {
    get polls() {
      return counts.polls;
    },
    get pollFailures() {
      return counts.pollFailures;
    },
    events: () => 0,
    // Polls still queued when the page closes are dropped with the browser's connections.
    close: async () => clearInterval(timer),
  };
}

/**
 * What a plugin's frontend requests once per browser session, on its first view: the
 * community client (`ArgoCDApiClient.getBaseUrl`, an API instance per app) probes
 * `/api/backstage-community-argocd/check` to pick its backend and keeps the answer, but the
 * card lists every instance in parallel and each listing probes before any answer is in: one
 * probe per instance, then none for the rest of the session.
 */
export async function startSession(
  view: ViewId,
  client: BackendClient,
  component: Component,
  instances: ArgoInstance[],
): Promise<void> {
  if (view !== 'community') return;
  const check = () =>
    new Promise<void>((resolve, reject) => {
      if (client.recording)
        client.sent.push('/api/backstage-community-argocd/check');
      http
        .get(
          {
            host: '127.0.0.1',
            port: client.port,
            path: '/api/backstage-community-argocd/check',
            headers: { authorization: authorizationOf(component) },
          },
          res => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200
                ? resolve()
                : reject(new Error(`check answered ${res.statusCode}`)),
            );
          },
        )
        .on('error', reject);
    });
  await Promise.all(instances.map(check));
}
