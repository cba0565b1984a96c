/** A user of the sandbox's seeded catalog (`seed/catalog.yaml`), for a demo sign-in page. */
export interface SandboxUser {
  /** Catalog User name, e.g. `alice` (entity ref `user:default/alice`). */
  name: string;
  displayName: string;
  email: string;
  /** Catalog Group names the user belongs to. */
  groups: string[];
  /** Tenant of the user's group; undefined for platform admins. */
  tenant?: string;
}

export const SANDBOX_USERS: readonly SandboxUser[] = [
  {
    name: 'alice',
    displayName: 'Alice Schmidt',
    email: 'alice@acme.example',
    groups: ['acme-devs'],
    tenant: 'acme',
  },
  {
    name: 'arjun',
    displayName: 'Arjun Mehta',
    email: 'arjun@acme.example',
    groups: ['acme-devs'],
    tenant: 'acme',
  },
  {
    name: 'bob',
    displayName: 'Bob Okafor',
    email: 'bob@globex.example',
    groups: ['globex-devs'],
    tenant: 'globex',
  },
  {
    name: 'pat',
    displayName: 'Pat Rivera',
    email: 'pat@kupe.example',
    groups: ['platform-team'],
  },
];
