import type { Config } from '@backstage/config';
import { isDns1123Label } from '@kupe/plugin-gitops-common';
import type { ArgoCdInstanceConfig } from '../client/ArgoCdClient';
import { readDurationMs } from '../config/readDurationMs';

function invalid(key: string, reason: string): Error {
  return new Error(`Invalid config ${key}: ${reason}`);
}

/**
 * Reads and checks `gitops.instances`. Every problem names its config key, so a broken
 * app-config fails the backend at startup with a message that says what to fix. Secret values
 * are never repeated in these messages.
 */
export function readArgoCdInstances(
  config: Config,
  options: { logger?: { warn(message: string): void } } = {},
): ArgoCdInstanceConfig[] {
  const entries = config.getOptionalConfigArray('gitops.instances') ?? [];
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const at = `gitops.instances[${index}]`;
    const name = entry.getString('name');
    const shownName = JSON.stringify(name.slice(0, 80));
    if (!isDns1123Label(name)) {
      throw invalid(
        `${at}.name`,
        `${shownName} must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)`,
      );
    }
    if (seen.has(name)) {
      throw invalid(
        `${at}.name`,
        `instance name "${name}" is used more than once`,
      );
    }
    seen.add(name);

    const url = entry.getString('url');
    checkHttpUrl(`${at}.url`, url);
    const uiUrl = entry.getOptionalString('uiUrl');
    if (uiUrl !== undefined) checkHttpUrl(`${at}.uiUrl`, uiUrl);

    const token = entry.getOptionalString('token');
    const username = entry.getOptionalString('username');
    const password = entry.getOptionalString('password');
    if (token && (username || password)) {
      throw invalid(at, 'set either token or username and password, not both');
    }
    if (!token && !(username && password)) {
      throw invalid(at, 'needs either token or both username and password');
    }

    let projectTokens: Record<string, string> | undefined;
    const tokensConfig = entry.getOptionalConfig('projectTokens');
    if (tokensConfig) {
      projectTokens = {};
      for (const tenant of tokensConfig.keys()) {
        if (!isDns1123Label(tenant)) {
          throw invalid(
            `${at}.projectTokens`,
            `tenant key ${JSON.stringify(tenant)} must be a DNS-1123 label`,
          );
        }
        projectTokens[tenant] = tokensConfig.getString(tenant);
      }
    }

    // `timeout` is a duration ('15s', { seconds: 15 }); `timeoutMs` its deprecated alias.
    const timeoutMs = readDurationMs(entry, 'timeout', {
      path: at,
      deprecatedMsKey: 'timeoutMs',
      logger: options.logger,
    });

    // A watch stream silent this long (no event, no 15 s SSE keepalive) is closed as dead.
    const watchIdleTimeoutMs = readDurationMs(entry, 'watchIdleTimeout', {
      path: at,
    });

    return {
      name,
      url,
      uiUrl,
      token,
      username,
      password,
      projectTokens,
      timeoutMs,
      watchIdleTimeoutMs,
      caCert: entry.getOptionalString('caCert'),
      skipTlsVerify: entry.getOptionalBoolean('skipTlsVerify'),
    };
  });
}

function checkHttpUrl(key: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(key, `${JSON.stringify(value.slice(0, 200))} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(key, `must be an http or https URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw invalid(
      key,
      'must not carry credentials; use token or username and password',
    );
  }
}
