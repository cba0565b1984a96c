import { rename } from 'node:fs/promises';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { build } from 'esbuild';

/**
 * `worker.ts` compiled to JavaScript, as a production backend runs (`backstage-cli package
 * build`): this repository's packages it imports (Kupe's plugins from their TypeScript source)
 * bundled into one CommonJS file without source maps, every npm package (the peers' plugins,
 * Backstage) left to `require` from node_modules as it is. A benchmark child process runs it
 * with no TypeScript loader, so no plugin's figures include the loader, its transform output
 * or the source maps the CLI's on-the-fly transform keeps in memory.
 */
export async function compileWorker(): Promise<string> {
  // In this package's folder, so that `require` finds node_modules from it.
  const file = resolvePackagePath(
    '@kupe/gitops-benchmarks',
    'dist/bench-worker.cjs',
  );
  // Written aside and renamed: a run started meanwhile never loads half a file.
  const written = `${file}.${process.pid}.tmp`;
  await build({
    entryPoints: [
      resolvePackagePath('@kupe/gitops-benchmarks', 'src/worker.ts'),
    ],
    outfile: written,
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    logLevel: 'warning',
    plugins: [
      {
        name: 'npm-packages-external',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^[^./]/ }, ({ path }) =>
            path.startsWith('@kupe/') ? undefined : { external: true },
          );
        },
      },
    ],
  });
  await rename(written, file);
  return file;
}

let compiled: Promise<string> | undefined;

/** `compileWorker()` once per process: every child of a run loads the same build. */
export function compiledWorker(): Promise<string> {
  compiled ??= compileWorker();
  return compiled;
}
