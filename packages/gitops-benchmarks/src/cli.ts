/*
 * Benchmarks this suite's backend plugin against the Roadie and community Argo CD backends,
 * in one run, against the same Argo CD doubles.
 *
 *   yarn workspace @kupe/gitops-benchmarks bench [--quick] [--latency 5] [--views 1000]
 *     [--sequential-views 100] [--concurrency 50] [--write | --no-write]
 *
 * The full matrix (1 and 3 instances x 1,000 and 10,000 applications per instance) writes
 * docs/benchmarks/argocd-backends.md and .svg; --quick (1,000 applications, 200 views) only
 * prints unless --write is given. The raw figures go to docs/benchmarks/argocd-backends.json;
 * `bench --render [file]` re-renders the page and chart from them without measuring.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  type ReportContext,
  markdownReport,
  svgChart,
  verdictOf,
} from './report';
import { runScenario, type ScenarioResult } from './runScenario';
import { PLUGIN_IDS } from './types';

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`--${name} needs a non-negative number`);
  }
  return value;
}

const flag = (name: string) => process.argv.includes(`--${name}`);

function versionOf(pkg: string): string {
  // eslint-disable-next-line @backstage/no-undeclared-imports
  return require(`${pkg}/package.json`).version;
}

interface SavedRun {
  scenarios: ScenarioResult[];
  context: ReportContext;
}

function docsDir(): string {
  return path.resolve(
    resolvePackagePath('@kupe/gitops-benchmarks'),
    '../../docs/benchmarks',
  );
}

/** Writes the page, the chart and the raw figures they were rendered from. */
function writeDocs(run: SavedRun, out: (line: string) => void) {
  const dir = docsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'argocd-backends.md'),
    markdownReport(run.scenarios, run.context),
  );
  writeFileSync(path.join(dir, 'argocd-backends.svg'), svgChart(run.scenarios));
  writeFileSync(
    path.join(dir, 'argocd-backends.json'),
    `${JSON.stringify(run, null, 2)}\n`,
  );
  out(`Wrote argocd-backends.md, .svg and .json in ${dir}`);
}

async function main() {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const renderAt = process.argv.indexOf('--render');
  if (renderAt >= 0) {
    // Re-renders the page and chart from the figures of an earlier run, measuring nothing.
    const file = path.resolve(
      process.argv[renderAt + 1] ??
        path.join(docsDir(), 'argocd-backends.json'),
    );
    writeDocs(JSON.parse(readFileSync(file, 'utf8')) as SavedRun, out);
    return;
  }
  const quick = flag('quick');
  const latencyMs = numberArg('latency', 5);
  const views = numberArg('views', quick ? 200 : 1000);
  const sequentialViews = numberArg('sequential-views', quick ? 20 : 100);
  const concurrency = numberArg('concurrency', 50);
  const write = flag('write') || (!quick && !flag('no-write'));
  const instanceCounts = [1, 3];
  const applicationCounts = quick ? [1000] : [1000, 10_000];

  const started = Date.now();
  const watchdog = setTimeout(() => {
    process.stderr.write('Benchmark exceeded 30 minutes; stopping.\n');
    process.exit(2);
  }, 30 * 60_000);
  watchdog.unref();

  const scenarios: ScenarioResult[] = [];
  for (const applications of applicationCounts) {
    for (const instances of instanceCounts) {
      scenarios.push(
        await runScenario({
          plugins: PLUGIN_IDS,
          instances,
          applications,
          latencyMs,
          views,
          concurrency,
          sequentialViews,
          warmupViews: Math.min(100, views),
          processes: 'children',
          log: out,
        }),
      );
    }
  }

  const cpus = os.cpus();
  const context: ReportContext = {
    command: `yarn workspace @kupe/gitops-benchmarks bench ${process.argv
      .slice(2)
      .join(' ')}`.trim(),
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    machine: `${cpus.length} x ${
      cpus[0]?.model?.trim() ?? 'unknown CPU'
    }, ${Math.round(
      os.totalmem() / 1024 ** 3,
    )} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    versions: {
      kupe: versionOf('@kupe/plugin-gitops-backend'),
      roadie: versionOf('@roadiehq/backstage-plugin-argo-cd-backend'),
      community: versionOf('@backstage-community/plugin-argocd-backend'),
    },
    latencyMs,
    views,
    concurrency,
    sequentialViews,
    durationS: (Date.now() - started) / 1000,
  };
  out();
  out(markdownReport(scenarios, context));
  if (write) writeDocs({ scenarios, context }, out);
  const failed = scenarios.some(s =>
    s.results.some(
      r => r.concurrent.failures > 0 || (r.sequential?.failures ?? 0) > 0,
    ),
  );
  for (const s of scenarios.filter(x => x.instances >= 3)) {
    out(
      `Target at ${s.instances} instances, ${s.applications} apps: ${
        verdictOf(s)?.pass ? 'met' : 'NOT met'
      }`,
    );
  }
  clearTimeout(watchdog);
  if (failed) {
    process.stderr.write('Some views failed; see the tables.\n');
    process.exitCode = 1;
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
