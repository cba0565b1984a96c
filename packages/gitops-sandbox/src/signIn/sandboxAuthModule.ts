import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
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
              ctx.signInWithCatalogUser({
                entityRef: { name: result.userName },
              }),
          }),
        });
      },
    });
  },
});
