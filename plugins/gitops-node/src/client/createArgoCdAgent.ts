import http from 'node:http';
import https from 'node:https';
import type { ArgoCdInstanceConfig } from './ArgoCdClient';

/**
 * The connection pool of one instance. TLS trust lives here, not per request, so a custom CA
 * (`caCert`) or `skipTlsVerify` applies to every call, the stream included. `caCert` replaces
 * the public roots, which is what a private Argo CD behind an internal CA wants.
 */
export function createArgoCdAgent(
  config: Pick<ArgoCdInstanceConfig, 'url' | 'caCert' | 'skipTlsVerify'>,
): http.Agent {
  if (new URL(config.url).protocol === 'https:') {
    return new https.Agent({
      keepAlive: true,
      ca: config.caCert || undefined,
      rejectUnauthorized: config.skipTlsVerify !== true,
    });
  }
  return new http.Agent({ keepAlive: true });
}
