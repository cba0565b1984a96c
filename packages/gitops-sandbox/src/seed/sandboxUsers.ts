/** A user of the sandbox's seeded catalog (`seed/catalog.yaml`), for a demo sign-in page. */
export interface SandboxUser {
  /** Catalog User name, e.g. `alice` (entity ref `user:default/alice`). */
  name: string;
  displayName: string;
  email: string;
  /** Catalog Group names the user belongs to. */
  groups: string[];
  /** Tenants of the user's groups (`kupe.cloud/tenant` of each Group). */
  tenants: string[];
  /** Member of `platform-team`: sees every tenant. */
  admin: boolean;
}

export const SANDBOX_USERS: readonly SandboxUser[] = [
  {
    name: 'alice',
    displayName: 'Alice Schmidt',
    email: 'alice@acme.example',
    groups: ['acme-devs'],
    tenants: ['acme'],
    admin: false,
  },
  {
    name: 'arjun',
    displayName: 'Arjun Mehta',
    email: 'arjun@acme.example',
    groups: ['acme-devs'],
    tenants: ['acme'],
    admin: false,
  },
  {
    name: 'bob',
    displayName: 'Bob Okafor',
    email: 'bob@globex.example',
    groups: ['globex-devs'],
    tenants: ['globex'],
    admin: false,
  },
  {
    name: 'pat',
    displayName: 'Pat Rivera',
    email: 'pat@kupe.example',
    groups: ['platform-team'],
    tenants: [],
    admin: true,
  },
];
