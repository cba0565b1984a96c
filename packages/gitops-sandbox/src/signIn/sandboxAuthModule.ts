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
    return { result: { userName } };
  },
});

/**
 * Auth provider `sandbox`: signs a seeded catalog User in by name. It is registered only when
 * `gitops.sandbox.enabled` is true, so a production configuration never has it.
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
