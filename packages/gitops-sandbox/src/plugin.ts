import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readDurationMs } from '@kupe/plugin-gitops-node';
import { requireLoopbackBackend } from './loopbackOnly';
import { SANDBOX_USERS } from './seed/sandboxUsers';
import { startArgoCdSandbox } from './server/startArgoCdSandbox';

/** `GET /users`: the seeded users, for the sandbox sign-in page (`{items}`). */
function usersRoute(
  req: IncomingMessage & { path?: string },
  res: ServerResponse,
  next: () => void,
): void {
  if (req.method !== 'GET' || req.path !== '/users') {
    next();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ items: SANDBOX_USERS }));
}

/**
 * Starts the embedded Argo CD sandbox with the backend when `gitops.sandbox.enabled` is
 * true, and stops it on shutdown; serves the seeded users at `/api/gitops-sandbox/users`.
 * Does nothing otherwise (the users route then answers 404), so it is safe to install.
 */
export const gitOpsSandboxPlugin = createBackendPlugin({
  pluginId: 'gitops-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, lifecycle, httpRouter }) {
        const sandboxConfig = config.getOptionalConfig('gitops.sandbox');
        if (!sandboxConfig?.getOptionalBoolean('enabled')) {
          logger.debug(
            'Argo CD sandbox disabled (gitops.sandbox.enabled is not true)',
          );
          return;
        }
        requireLoopbackBackend(config);
        const sandbox = await startArgoCdSandbox({
          port: sandboxConfig.getOptionalNumber('port') ?? 7008,
          dataDir: sandboxConfig.getOptionalString('dataDir'),
          // Durations ('1s', { seconds: 1 }); the *Ms numbers are deprecated aliases.
          reconcileIntervalMs: readDurationMs(
            sandboxConfig,
            'reconcileInterval',
            {
              path: 'gitops.sandbox',
              deprecatedMsKey: 'reconcileIntervalMs',
              logger,
            },
          ),
          latencyMs: readDurationMs(sandboxConfig, 'latency', {
            path: 'gitops.sandbox',
            deprecatedMsKey: 'latencyMs',
            logger,
            allowZero: true,
          }),
        });
        logger.info(
          `Argo CD sandbox (not a real Argo CD, sandbox-only admin token) listening on ${sandbox.url}; Git repositories at ${sandbox.url}/<owner>/<repo>.git, GitHub-compatible API at ${sandbox.gitHubApiUrl}`,
        );
        lifecycle.addShutdownHook(() => sandbox.stop());
        // Sign-in happens before there is a user, so the list must be public.
        httpRouter.addAuthPolicy({ path: '/users', allow: 'unauthenticated' });
        httpRouter.use(usersRoute);
      },
    });
  },
});
