import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

describe('generated/openapi.ts', () => {
  it('is what openapi-typescript generates from the backend openapi.yaml today', () => {
    const packageDir = path.resolve(__dirname, '..');
    // The generator is an ES module script; a child process runs it exactly as the
    // `generate:api` script does, without jest's module system.
    const expected = execFileSync(
      process.execPath,
      [path.join(packageDir, 'scripts/generate-api.mjs'), '--stdout'],
      { cwd: packageDir, encoding: 'utf8' },
    );
    const committed = fs.readFileSync(
      path.join(__dirname, 'generated/openapi.ts'),
      'utf8',
    );
    expect(expected).toContain('export interface paths');
    // Out of date? Run `yarn workspace @kupe/plugin-gitops-common generate:api`.
    expect(committed).toBe(expected);
  }, 60_000);
});
