/*
 * The Kupe GitOps portal backend. With `gitops.sandbox.enabled` (app-config.yaml, never in
 * production config) it also runs the embedded Argo CD sandbox and its sign-in.
 */
import { createBackend } from '@backstage/backend-defaults';
import { sandboxAuthModule } from '@kupe/gitops-sandbox';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// The embedded Argo CD sandbox and its sign-in: both do nothing unless gitops.sandbox.enabled.
backend.add(import('@kupe/gitops-sandbox'));
backend.add(sandboxAuthModule);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@kupe/plugin-scaffolder-backend-module-gitops'));

backend.add(import('@backstage/plugin-search-backend'));
// The search index in PostgreSQL when the database is PostgreSQL (shared by every replica);
// with SQLite it steps aside for the in-memory index.
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@kupe/plugin-search-backend-module-gitops'));
backend.add(import('@kupe/plugin-gitops-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
