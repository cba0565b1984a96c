/*
 * The Kupe GitOps portal backend's features: everything production runs, and nothing of the
 * sandbox or the test doubles (packages/backend-sandbox adds the sandbox for local use).
 */
import { createBackend } from '@backstage/backend-defaults';

/** A backend with the portal's features, not yet started. */
export function createPortalBackend() {
  const backend = createBackend();

  backend.add(import('@backstage/plugin-app-backend'));

  backend.add(import('@backstage/plugin-auth-backend'));
  // Registered only where auth.providers.guest is configured: app-config.production.yaml
  // removes it, and the guest provider itself refuses outside development.
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

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

  return backend;
}
