import {
  type AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The mock auth service, except that a token a plugin gets on behalf of a user names that
 * plugin as actor, as real tokens do: the permission backend refuses conditional requests
 * from a user without an actor, which is what the plain mock produces.
 */
export const onBehalfOfAwareAuth = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }): AuthService => {
    const base = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: base.authenticate.bind(base),
      isPrincipal: base.isPrincipal.bind(base) as AuthService['isPrincipal'],
      getNoneCredentials: base.getNoneCredentials.bind(base),
      getOwnServiceCredentials: base.getOwnServiceCredentials.bind(base),
      getLimitedUserToken: base.getLimitedUserToken.bind(base),
      listPublicServiceKeys: base.listPublicServiceKeys.bind(base),
      async getPluginRequestToken(options) {
        if (base.isPrincipal(options.onBehalfOf, 'user')) {
          return {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${plugin.getId()}` } },
            ),
          };
        }
        return base.getPluginRequestToken(options);
      },
    };
  },
});
