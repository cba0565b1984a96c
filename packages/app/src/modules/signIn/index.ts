import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const sandboxSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => (await import('./SandboxSignInPage')).SandboxSignInPage,
  },
});

/** Replaces the app's sign-in page with the sandbox user picker (guest without sandbox). */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [sandboxSignInPage],
});
