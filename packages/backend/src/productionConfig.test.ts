/*
 * The production configuration as the backend loads it: app-config.yaml with
 * app-config.production.yaml layered over it. Nothing of the sandbox may survive the layering.
 */
import { resolve } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';

const root = resolve(__dirname, '../../..');

async function load(files: string[]) {
  const { appConfigs } = await loadConfig({
    configRoot: root,
    configTargets: files.map(f => ({ path: resolve(root, f) })),
  });
  return ConfigReader.fromConfigs(appConfigs);
}

/** Published sandbox credentials and addresses: none may reach a production configuration. */
const SANDBOX_MARKS = [
  'ghs_kupeSandboxPortalServiceToken',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  '127.0.0.1:7008',
  'gitops-sandbox',
];

describe('the production configuration', () => {
  it('turns the sandbox, its sign-in and the guest sign-in off, and keeps no sandbox token or host', async () => {
    const config = await load([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    expect(config.getOptionalBoolean('gitops.sandbox.enabled')).toBe(false);
    expect(config.getOptional('auth.providers.sandbox')).toBeUndefined();
    expect(config.getOptional('auth.providers.guest')).toBeUndefined();
    expect(config.getConfig('auth.providers').keys()).toEqual([]);
    const merged = JSON.stringify(config.get());
    for (const mark of SANDBOX_MARKS) {
      expect({ mark, found: merged.includes(mark) }).toEqual({
        mark,
        found: false,
      });
    }
  });

  it('is needed: app-config.yaml alone has all of it (the control)', async () => {
    const config = await load(['app-config.yaml']);
    expect(config.getOptionalBoolean('gitops.sandbox.enabled')).toBe(true);
    expect(config.getOptional('auth.providers.sandbox')).toBeDefined();
    const merged = JSON.stringify(config.get());
    expect(SANDBOX_MARKS.filter(m => merged.includes(m))).toEqual(
      SANDBOX_MARKS,
    );
  });

  it('keeps the catalog rules: Users, Groups and Templates only from configured locations', async () => {
    const config = await load([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    const allowed = config
      .getConfigArray('catalog.rules')
      .flatMap(rule => rule.getStringArray('allow'));
    expect(allowed).not.toContain('User');
    expect(allowed).not.toContain('Group');
    expect(allowed).not.toContain('Template');
    expect(config.getConfigArray('catalog.locations')).toEqual([]);
  });

  it('binds the local backend to loopback only', async () => {
    const config = await load(['app-config.yaml']);
    expect(config.getString('backend.listen.host')).toBe('127.0.0.1');
  });
});
