import http from 'node:http';
import { authorizationOf, selectorOf } from './pluginBackends';
import type { ArgoInstance, Component, PluginId } from './types';

/** An HTTP client of one backend: keep-alive sockets, one per concurrent browser. */
export class BackendClient {
  readonly #agent: http.Agent;

  constructor(readonly port: number, maxSockets: number) {
    this.#agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /**
   * GETs JSON; like a browser, retries once when a reused keep-alive socket turns out to have
   * been closed by the server in the meantime (Node's documented `reusedSocket` race).
   */
  async getJson(path: string, authorization: string): Promise<any> {
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

/**
 * What each plugin's own frontend card requests for one view of an entity annotated with
 * `argocd/app-selector` (no `argocd/instance-name`), resolving to the number of applications
 * the view shows:
 *
 * - kupe (`@kupe/plugin-gitops`): one `GET /api/gitops/entities/:ns/:kind/:name/applications`.
 * - roadie (`@roadiehq/backstage-plugin-argo-cd` with `argocd.appLocatorMethods`, its
 *   `useAppDetails`): `GET /api/argocd/find/selector/:selector` for the instances holding
 *   matches, then `GET /api/argocd/argoInstance/:instance/applications/selector/:selector`
 *   for each of them, in parallel.
 * - community (`@backstage-community/plugin-argocd`, `ArgoCDInstanceApiClient.
 *   listApplicationsBySelector`): for every configured instance, in parallel,
 *   `GET /api/backstage-community-argocd/argoInstance/:instance/applications/selector/:selector
 *   ?selector=...`; the selector is URI-encoded once by `getArgoCdAppConfig`, put in the path
 *   as is and in the query encoded again, exactly as that client builds the URL.
 */
export async function viewEntity(
  plugin: PluginId,
  client: BackendClient,
  component: Component,
  instances: ArgoInstance[],
): Promise<number> {
  const authorization = authorizationOf(component);
  const selector = encodeURIComponent(selectorOf(component));
  if (plugin === 'kupe') {
    const body = await client.getJson(
      `/api/gitops/entities/default/component/${encodeURIComponent(
        component.name,
      )}/applications`,
      authorization,
    );
    return body.items.length;
  }
  if (plugin === 'roadie') {
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
    return lists.reduce((n, list) => n + (list.items ?? []).length, 0);
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

/**
 * What a plugin's frontend requests once per browser session before its first view: the
 * community client probes `/api/backstage-community-argocd/check` to pick its backend.
 */
export async function startSession(
  plugin: PluginId,
  client: BackendClient,
  component: Component,
): Promise<void> {
  if (plugin !== 'community') return;
  await new Promise<void>((resolve, reject) => {
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
}
