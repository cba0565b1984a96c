import type { RootConfigService as Config } from '@backstage/backend-plugin-api';

/**
 * The host the backend binds to, read as Backstage's HTTP server reads `backend.listen`
 * (`<port>`, `<host>:<port>` or `{ host, port }`); '' means every interface.
 */
export function backendListenHost(config: Config): string {
  const listen = config.getOptional('backend.listen');
  if (typeof listen === 'string') {
    const parts = listen.split(':');
    return parts.length === 2 ? parts[0] : '';
  }
  return config.getOptionalString('backend.listen.host') ?? '';
}

/** Whether `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}

/**
 * The sandbox signs anyone in as any seeded user, platform admins included, without a
 * password. That is fine on a developer's own machine and nowhere else, so with the sandbox
 * on, the backend must listen on loopback only; otherwise it refuses to start.
 */
export function requireLoopbackBackend(config: Config): void {
  const host = backendListenHost(config);
  if (!isLoopbackHost(host)) {
    throw new Error(
      `gitops.sandbox.enabled is true but the backend listens on ${
        host ? `'${host}'` : 'every interface'
      }: the sandbox's password-less sign-in would be open to the network. Set ` +
        `backend.listen.host to 127.0.0.1, or turn the sandbox off (gitops.sandbox.enabled: false) ` +
        `outside local development.`,
    );
  }
}
