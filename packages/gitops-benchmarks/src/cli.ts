/*
 * Benchmarks this suite's backend plugin against the Roadie and community Argo CD backends,
 * in one run, against the same Argo CD doubles (one process per instance).
 *
 *   yarn workspace @kupe/gitops-benchmarks bench [--quick] [--instances 3]
 *     [--applications 10000] [--small-apps] [--no-churn] [--latency 5] [--views 1000]
 *     [--steady-seconds 30] [--settle-seconds 60]
 *     [--sequential-views 100] [--warmup 100] [--tab-views 100] [--concurrency 50] [--pages 200]
 *     [--time-factor 10] [--window 600] [--no-portal] [--no-floor] [--plugins kupe,roadie,community]
 *     [--write | --no-write] [--max-minutes 30]
 *
 * The default is the target scenario of issue 18 (3 instances x 10,000 realistic applications,
 * reconcile churn, 200 open entity pages) and writes docs/benchmarks/argocd-backends.md, .svg
 * and .json (the raw figures); --quick (1 instance x 500 applications, 20 pages) only prints
 * unless --write is given. Before the plugins, the floor (`floorBackend.ts`: Kupe's card view
 * against a route that only authenticates and answers) gives the run's lowest p99; --no-floor
 * skips it. `bench --render [file]` re-renders the page and chart from the raw
 * figures without measuring.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFileSync } from 'node:child_process';
import {
  type ReportContext,
  type SavedRun,
  markdownReport,
  savedRunOf,
  svgChart,
  verdictsOf,
} from './report';
import { runScenario, type ScenarioResult } from './runScenario';
import { PLUGIN_IDS, type PluginId } from './types';

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function numberArg(name: string, fallback: number): number {
  const raw = argOf(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
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

function commitOf(): string {
  try {
    const root = path.resolve(
      resolvePackagePath('@kupe/gitops-benchmarks'),
      '../..',
    );
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    // Uncommitted changes to what is measured make the commit alone an incomplete answer.
    const dirty = execFileSync(
      'git',
      [
        'status',
        '--porcelain',
        '--',
        'plugins/gitops-backend',
        'plugins/gitops-node',
        'plugins/gitops-common',
        'packages/gitops-benchmarks',
        'packages/gitops-sandbox',
      ],
      { cwd: root, encoding: 'utf8' },
    ).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
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
    writeDocs(savedRunOf(readFileSync(file, 'utf8')), out);
    return;
  }
  const quick = flag('quick');
  const latencyMs = numberArg('latency', 5);
  const views = numberArg('views', quick ? 100 : 1000);
  const steadySeconds = numberArg('steady-seconds', quick ? 0 : 30);
  const settleSeconds = numberArg('settle-seconds', quick ? 0 : 60);
  const sequentialViews = numberArg('sequential-views', quick ? 10 : 100);
  const warmupViews = numberArg('warmup', quick ? 20 : 100);
  const concurrency = numberArg('concurrency', 50);
  const tabViews = numberArg('tab-views', Math.max(1, Math.round(views / 10)));
  const instances = numberArg('instances', quick ? 1 : 3);
  const applications = numberArg('applications', quick ? 500 : 10_000);
  const pages = numberArg('pages', quick ? 20 : 200);
  const changes = numberArg('changes', quick ? 20 : 100);
  const timeFactor = numberArg('time-factor', 10);
  const windowSimulatedS = numberArg('window', 600);
  const plugins = (argOf('plugins')?.split(',') ?? PLUGIN_IDS) as PluginId[];
  const write = flag('write') || (!quick && !flag('no-write'));

  const started = Date.now();
  const loadBefore = os.loadavg().map(n => Math.round(n * 100) / 100);
  const maxMinutes = numberArg('max-minutes', 30);
  const watchdog = setTimeout(() => {
    process.stderr.write(
      `Benchmark exceeded ${maxMinutes} minutes; stopping.\n`,
    );
    process.exit(2);
  }, maxMinutes * 60_000);
  watchdog.unref();

  const scenario = await runScenario({
    plugins,
    instances,
    applications,
    realistic: !flag('small-apps'),
    churn: !flag('no-churn'),
    latencyMs,
    views,
    steadyMs: steadySeconds * 1000,
    settleMs: settleSeconds * 1000,
    concurrency,
    sequentialViews,
    warmupViews,
    tabViews,
    floor: !flag('no-floor'),
    portal: flag('no-portal')
      ? undefined
      : { pages, timeFactor, windowSimulatedS, changes },
    processes: 'children',
    log: out,
  });
  const scenarios: ScenarioResult[] = [scenario];

  const cpus = os.cpus();
  const context: ReportContext = {
    command: `yarn workspace @kupe/gitops-benchmarks bench ${process.argv
      .slice(2)
      .join(' ')}`.trim(),
    commit: commitOf(),
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    machine: `${cpus.length} x ${
      cpus[0]?.model?.trim() ?? 'unknown CPU'
    }, ${Math.round(
      os.totalmem() / 1024 ** 3,
    )} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    loadAverage: {
      before: loadBefore,
      after: os.loadavg().map(n => Math.round(n * 100) / 100),
    },
    versions: {
      kupe: versionOf('@kupe/plugin-gitops-backend'),
      roadie: versionOf('@roadiehq/backstage-plugin-argo-cd-backend'),
      community: versionOf('@backstage-community/plugin-argocd-backend'),
    },
    latencyMs,
    views,
    steadySeconds,
    settleSeconds,
    concurrency,
    sequentialViews,
    warmupViews,
    durationS: (Date.now() - started) / 1000,
  };
  out();
  out(markdownReport(scenarios, context));
  if (write) writeDocs({ scenarios, context }, out);
  const failed = scenarios.some(s =>
    s.results.some(r =>
      r.views.some(
        v =>
          v.concurrent.failures +
            v.cold.failures +
            (v.sequential?.failures ?? 0) >
          0,
      ),
    ),
  );
  for (const verdict of verdictsOf(scenario)) {
    out(
      `${verdict.target}: ${verdict.pass ? 'met' : 'NOT met'} (${
        verdict.detail
      })`,
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
