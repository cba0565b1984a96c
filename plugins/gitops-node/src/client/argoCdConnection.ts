import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ArgoCdInstanceConfig } from './ArgoCdClient';
import { requireTenant } from './argoCdInputRules';
import { createArgoCdAgent } from './createArgoCdAgent';
import { errorForStatus, mapArgoCdError } from './mapArgoCdError';
import type { OpenHttpResponse } from './openHttpRequest';
import { apiPath } from './requestParams';
import {
  type ArgoCdRequest,
  type ArgoCdTransport,
  sendArgoCdRequest,
} from './sendRequest';

const DEFAULT_TIMEOUT_MS = 15000;

/** The instance URL split into a base without query and a path prefix without trailing `/`. */
function parseInstanceUrl(config: ArgoCdInstanceConfig): {
  baseUrl: URL;
  pathPrefix: string;
} {
  let baseUrl: URL;
  try {
    baseUrl = new URL(config.url);
  } catch {
    throw new InputError(
      `Argo CD instance ${config.name}: url is not a valid URL`,
    );
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new InputError(
      `Argo CD instance ${config.name}: url must be http or https`,
    );
  }
  // Kept apart from the URL: a URL object turns an empty path back into '/'.
  const pathPrefix = baseUrl.pathname.replace(/\/+$/, '');
  baseUrl.search = '';
  baseUrl.hash = '';
  return { baseUrl, pathPrefix };
}

/**
 * The authenticated connection to one instance: which credential a request carries (the
 * tenant's project-role token, else the static token, else a session from a login), the
 * session's one re-login on 401, and the mapping of non-2xx answers to errors.
 */
export class ArgoCdConnection {
  readonly transport: ArgoCdTransport;
  readonly #config: ArgoCdInstanceConfig;
  readonly #logger?: LoggerService;
  /** By tenant; a Map so a tenant such as `constructor` or `__proto__` finds no inherited value. */
  readonly #projectTokens: ReadonlyMap<string, string>;
  #sessionToken?: string;
  #login?: Promise<string>;

  constructor(config: ArgoCdInstanceConfig, logger?: LoggerService) {
    const { baseUrl, pathPrefix } = parseInstanceUrl(config);
    if (!config.token && !(config.username && config.password)) {
      throw new InputError(
        `Argo CD instance ${config.name}: needs either a token or a username and password`,
      );
    }
    this.#config = config;
    this.#logger = logger;
    this.#projectTokens = new Map(
      Object.entries(config.projectTokens ?? {}).filter(
        ([, token]) => typeof token === 'string' && token.length > 0,
      ),
    );
    this.transport = {
      instance: config.name,
      baseUrl,
      pathPrefix,
      agent: createArgoCdAgent(config),
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      secrets: () => this.secrets(),
    };
  }

  /** Every value that must never appear in an error or a log line. */
  secrets(): string[] {
    const secrets = [
      this.#config.token,
      this.#config.password,
      this.#sessionToken,
      ...this.#projectTokens.values(),
    ];
    return secrets.filter(
      (s): s is string => typeof s === 'string' && s.length > 0,
    );
  }

  async json<T>(request: ArgoCdRequest): Promise<T> {
    const opened = await this.open(request);
    const text = await opened.text();
    if (!text.trim()) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ServiceUnavailableError(
        `Argo CD ${this.transport.instance}: answered ${request.method} ${request.path} with a body that is not JSON`,
      );
    }
  }

  /**
   * Sends a request with the right credentials and returns the 2xx answer with its body unread.
   * A session token rejected with 401 is replaced by one new login and the request retried
   * once; a second 401 is the caller's error, so a broken account cannot loop.
   */
  async open(
    request: ArgoCdRequest,
    options: { stream?: boolean } = {},
  ): Promise<OpenHttpResponse> {
    // Every public method validated the tenant already; checked again here because this is
    // where a bad one would pick a credential.
    const projectToken =
      request.tenant !== undefined
        ? this.#projectTokens.get(requireTenant(request.tenant))
        : undefined;
    const staticToken = projectToken || this.#config.token;

    let token = staticToken ?? (await this.#session());
    let opened = await sendArgoCdRequest(
      this.transport,
      request,
      token,
      options,
    );
    if (opened.response.statusCode === 401 && !staticToken) {
      opened.close();
      if (this.#sessionToken === token) this.#sessionToken = undefined;
      this.#logger?.info(
        `Argo CD ${this.transport.instance}: session rejected, logging in again`,
      );
      token = await this.#session();
      opened = await sendArgoCdRequest(this.transport, request, token, options);
    }
    const status = opened.response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const body = await opened.text().catch(() => '');
      throw mapArgoCdError({
        instance: this.transport.instance,
        status,
        body,
        secrets: this.secrets(),
      });
    }
    return opened;
  }

  /** The cached session token, logging in first when there is none; one login at a time. */
  async #session(): Promise<string> {
    if (this.#sessionToken) return this.#sessionToken;
    if (!this.#login) {
      this.#login = this.#createSession()
        .then(token => {
          this.#sessionToken = token;
          return token;
        })
        .finally(() => {
          this.#login = undefined;
        });
    }
    return this.#login;
  }

  async #createSession(): Promise<string> {
    const { username, password } = this.#config;
    // No caller signal: the login is shared, one caller giving up must not fail the others.
    const opened = await sendArgoCdRequest(
      this.transport,
      {
        method: 'POST',
        path: apiPath('api', 'v1', 'session'),
        body: { username, password },
      },
      undefined,
    );
    const status = opened.response.statusCode ?? 0;
    const text = await opened.text().catch(() => '');
    if (status < 200 || status >= 300) {
      const mapped = mapArgoCdError({
        instance: this.transport.instance,
        status,
        body: text,
        secrets: this.secrets(),
      });
      const message = `${mapped.message} (login as ${JSON.stringify(
        username,
      )})`;
      throw status === 401
        ? new AuthenticationError(message)
        : errorForStatus(status, message);
    }
    let token: unknown;
    try {
      token = (JSON.parse(text) as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) {
      throw new ServiceUnavailableError(
        `Argo CD ${this.transport.instance}: login answer carried no session token`,
      );
    }
    return token;
  }
}
