/*
 * What the production backend runs: the module graph from packages/backend/src/index.ts,
 * through every workspace package it imports, holds no test double and no sandbox, and its
 * packages' runtime dependencies name neither.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

/** The workspace packages by name, with their folders. */
function workspacePackages(): Map<string, string> {
  const packages = new Map<string, string>();
  for (const folder of ['packages', 'plugins']) {
    const dir = join(root, folder);
    for (const name of readdirSync(dir)) {
      const manifest = join(dir, name, 'package.json');
      if (existsSync(manifest)) {
        packages.set(
          JSON.parse(readFileSync(manifest, 'utf8')).name,
          join(dir, name),
        );
      }
    }
  }
  return packages;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveFile(base: string): string | undefined {
  return [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ].find(candidate => existsSync(candidate) && statSync(candidate).isFile());
}

/** The workspace source files and the external packages the entry point reaches. */
function moduleGraph(entry: string) {
  const packages = workspacePackages();
  const files = new Set<string>();
  const external = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8')
      // `import type` brings nothing at run time
      .replace(/import\s+type\s[^;]*;/g, '')
      .replace(/export\s+type\s[^;]*;/g, '');
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (specifier.startsWith('.')) {
        const target = resolveFile(resolve(dirname(file), specifier));
        if (target) queue.push(target);
        continue;
      }
      const parts = specifier.split('/');
      const name = specifier.startsWith('@')
        ? parts.slice(0, 2).join('/')
        : parts[0];
      const subpath = parts.slice(specifier.startsWith('@') ? 2 : 1).join('/');
      const folder = packages.get(name);
      if (!folder) {
        external.add(name);
        continue;
      }
      const manifest = JSON.parse(
        readFileSync(join(folder, 'package.json'), 'utf8'),
      );
      const exported = subpath
        ? manifest.exports?.[`./${subpath}`]
        : manifest.exports?.['.'] ?? manifest.main;
      const target = resolveFile(
        join(folder, exported ?? (subpath || 'src/index.ts')),
      );
      if (target) queue.push(target);
    }
  }
  return { files: [...files].map(f => f.slice(root.length + 1)), external };
}

describe('the production backend', () => {
  const graph = moduleGraph(join(root, 'packages/backend/src/index.ts'));

  it('reaches the portal’s own packages (the scan works)', () => {
    expect(graph.files).toEqual(
      expect.arrayContaining([
        'packages/backend/src/portalBackend.ts',
        'plugins/gitops-node/src/index.ts',
      ]),
    );
    expect(graph.files.length).toBeGreaterThan(50);
  });

  it('reaches no test double and no sandbox', () => {
    const doubles = graph.files.filter(f =>
      /(testUtils|test-utils|__testUtils__|gitops-sandbox|\.test\.tsx?$)/.test(
        f,
      ),
    );
    expect(doubles).toEqual([]);
    expect([...graph.external].filter(name => name === 'msw')).toEqual([]);
  });

  it('names no test double and no sandbox among its packages’ runtime dependencies', () => {
    const packages = workspacePackages();
    const seen = new Set<string>();
    const queue = ['backend'];
    const offenders: string[] = [];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const folder = packages.get(name)!;
      const deps = Object.keys(
        JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
          .dependencies ?? {},
      );
      for (const dep of deps) {
        if (/test-utils|gitops-sandbox|^msw$/.test(dep)) {
          offenders.push(`${name} -> ${dep}`);
        }
        if (packages.has(dep)) queue.push(dep);
      }
    }
    expect(offenders).toEqual([]);
  });
});
