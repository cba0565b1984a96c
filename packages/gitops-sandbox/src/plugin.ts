import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startArgoCdSandbox } from './server/startArgoCdSandbox';

/**
 * Starts the embedded Argo CD sandbox with the backend when `gitops.sandbox.enabled` is
 * true, and stops it on shutdown. Does nothing otherwise, so it is safe to install.
 */
export const gitopsSandboxPlugin = createBackendPlugin({
  pluginId: 'gitops-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const sandboxConfig = config.getOptionalConfig('gitops.sandbox');
        if (!sandboxConfig?.getOptionalBoolean('enabled')) {
          logger.debug(
            'Argo CD sandbox disabled (gitops.sandbox.enabled is not true)',
          );
          return;
        }
        const sandbox = await startArgoCdSandbox({
          port: sandboxConfig.getOptionalNumber('port') ?? 7008,
          dataDir: sandboxConfig.getOptionalString('dataDir'),
          reconcileIntervalMs: sandboxConfig.getOptionalNumber(
            'reconcileIntervalMs',
          ),
          latencyMs: sandboxConfig.getOptionalNumber('latencyMs'),
        });
        logger.info(
          `Argo CD sandbox (not a real Argo CD, sandbox-only admin token) listening on ${sandbox.url}; Git repositories under ${sandbox.url}/git/`,
        );
        lifecycle.addShutdownHook(() => sandbox.stop());
      },
    });
  },
});
