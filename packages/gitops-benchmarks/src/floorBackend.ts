import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { ArgoInstance, Component } from './types';

/**
 * The floor of the entity view: a backend plugin mounted where Kupe's is (`/api/gitops`) whose
 * event stream only authenticates the user and answers the entity's applications from a map
 * built at start, then waits for the client to leave. No Argo CD, catalog or permission call,
 * no validation, no index: what the same Backstage backend (its HTTP server and auth
 * middleware), the same load generator and the same busy machine cost a view that does
 * nothing. Kupe's card view replays against it unchanged (`openKupeEvents`), so its p99 is
 * the lowest any plugin's view can reach in that run; the report shows it beside Kupe's.
 */
export function floorPlugin(options: {
  components: Component[];
  instances: ArgoInstance[];
}) {
  // Per entity ref the answer's frame, written once per view.
  const frames = new Map<string, string>();
  for (const component of options.components) {
    const entityRef = `component:default/${component.name}`;
    const items = options.instances.flatMap(instance =>
      Array.from({ length: component.appsPerInstance }, (_, n) => ({
        instance: instance.name,
        name: `${component.name}-${n}`,
      })),
    );
    frames.set(
      entityRef,
      `event: applications\ndata: ${JSON.stringify({
        entityRef,
        items,
        runningQuarantines: 0,
      })}\n\n`,
    );
  }
  return createBackendPlugin({
    pluginId: 'gitops',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use(async (req, res, next) => {
            const url = new URL(req.url, 'http://floor');
            if (req.method !== 'GET' || url.pathname !== '/events') {
              next();
              return;
            }
            try {
              await httpAuth.credentials(req, { allow: ['user'] });
            } catch (error) {
              next(error);
              return;
            }
            const frame = frames.get(url.searchParams.get('entityRef') ?? '');
            if (!frame) {
              res.status(404).json({ error: { message: 'no such entity' } });
              return;
            }
            res.writeHead(200, {
              'Content-Type': 'text/event-stream',
              'Cache-Control': 'no-cache, no-transform',
            });
            res.write(frame);
            req.resume();
          });
        },
      });
    },
  });
}
