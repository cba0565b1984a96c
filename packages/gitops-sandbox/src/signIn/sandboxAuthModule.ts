import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, isError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { isDns1123Label } from '@kupe/plugin-gitops-common';
import { requireLoopbackBackend } from '../loopbackOnly';
import { SANDBOX_USERS } from '../seed/sandboxUsers';

const SEEDED_USER_NAMES = new Set(SANDBOX_USERS.map(u => u.name));

/** Header the sandbox sign-in page sends with the chosen seeded user. */
export const SANDBOX_USER_HEADER = 'x-kupe-sandbox-user';

/**
 * Picks the user named in {@link SANDBOX_USER_HEADER}. No password: this exists so a person
 * can see the tenant boundary from each seeded user's side.
 */
const sandboxAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { userName: string }) => ({
    profile: { displayName: result.userName },
  }),
  initialize: () => undefined,
  async authenticate({ req }) {
    const userName = req.header(SANDBOX_USER_HEADER);
    if (!isDns1123Label(userName)) {
      throw new AuthenticationError(
        `Missing or invalid ${SANDBOX_USER_HEADER} header`,
      );
    }
    // Only the seeded users: never a User someone registered in the catalog.
    if (!SEEDED_USER_NAMES.has(userName)) {
      throw new AuthenticationError(
        `'${userName}' is not a sandbox user; choose one of ${[
          ...SEEDED_USER_NAMES,
        ].join(', ')}`,
      );
    }
    return { result: { userName } };
  },
});

/**
 * How long a sign-in waits for its seeded User to reach the catalog. The catalog reads the
 * seed file in its first processing rounds, seconds after the backend reports ready.
 */
const CATALOG_USER_WAIT_MS = 60_000;

/**
 * Runs `signIn` until the catalog has the (seeded) user: a sign-in right after the backend
 * started waits for the catalog's first processing instead of failing with 404 (the
 * catalog's NotFoundError for a User it does not have yet). Other errors fail at once.
 */
async function onceInCatalog<T>(signIn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + CATALOG_USER_WAIT_MS;
  for (;;) {
    try {
      return await signIn();
    } catch (error) {
      if (!isError(error) || error.name !== 'NotFoundError') throw error;
      if (Date.now() >= deadline) throw error;
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

/**
 * Auth provider `sandbox`: signs a seeded catalog User in by name. It is registered only when
 * `gitops.sandbox.enabled` is true (app-config.production.yaml turns it off), and then only
 * on a backend that listens on loopback: it refuses to start otherwise.
 */
export const sandboxAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'gitops-sandbox-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        if (!config.getOptionalBoolean('gitops.sandbox.enabled')) return;
        requireLoopbackBackend(config);
        providers.registerProvider({
          providerId: 'sandbox',
          factory: createProxyAuthProviderFactory({
            authenticator: sandboxAuthenticator,
            // Only users that exist in the catalog; their groups give their tenants.
            signInResolver: ({ result }, ctx) =>
              onceInCatalog(() =>
                ctx.signInWithCatalogUser({
                  entityRef: { name: result.userName },
                }),
              ),
          }),
        });
      },
    });
  },
});
