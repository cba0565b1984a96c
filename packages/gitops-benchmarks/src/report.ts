import type { PluginResult, ScenarioResult } from './runScenario';
import type { PluginId } from './types';

export const PLUGIN_LABELS: Record<PluginId, string> = {
  kupe: 'Kupe GitOps (`@kupe/plugin-gitops-backend`)',
  roadie: 'Roadie (`@roadiehq/backstage-plugin-argo-cd-backend`)',
  community: 'Community (`@backstage-community/plugin-argocd-backend`)',
};

const SHORT: Record<PluginId, string> = {
  kupe: 'Kupe GitOps',
  roadie: 'Roadie',
  community: 'Community',
};

const COLORS: Record<PluginId, string> = {
  kupe: '#2e7d32',
  roadie: '#1565c0',
  community: '#ef6c00',
};

export interface ReportContext {
  command: string;
  date: string;
  machine: string;
  versions: Record<PluginId, string>;
  latencyMs: number;
  views: number;
  concurrency: number;
  sequentialViews: number;
  durationS: number;
}

const fmt = (n: number) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: 2 })
    : 'n/a';

/**
 * Kupe's upstream requests per 1,000 measured views counting every request since its backend
 * started (the listing and watch per instance, the warm-up) as if spent on those views: the
 * conservative figure for ratios, since it is never 0.
 */
export function kupeUpstreamWithIndexLoad(result: PluginResult): number {
  const runs = [result.concurrent, result.sequential].filter(
    (r): r is NonNullable<typeof r> => !!r,
  );
  const views = runs.reduce((n, r) => n + r.views, 0);
  const requests =
    result.startupUpstreamRequests +
    result.warmupUpstreamRequests +
    runs.reduce((n, r) => n + r.upstreamRequests, 0);
  return (requests / views) * 1000;
}

export interface Verdict {
  scenario: ScenarioResult;
  /** Peer upstream requests per view / Kupe's (index load included). */
  upstreamRatio: Partial<Record<PluginId, number>>;
  /** Peer p99 / Kupe p99 at the concurrent clients. */
  p99Ratio: Partial<Record<PluginId, number>>;
  pass: boolean;
}

/** The issue's bar: at least 20x fewer upstream requests per view and a lower p99 than each peer. */
export function verdictOf(scenario: ScenarioResult): Verdict | undefined {
  const kupe = scenario.results.find(r => r.plugin === 'kupe');
  if (!kupe) return undefined;
  const kupeUpstream = kupeUpstreamWithIndexLoad(kupe);
  const upstreamRatio: Verdict['upstreamRatio'] = {};
  const p99Ratio: Verdict['p99Ratio'] = {};
  let pass = kupe.concurrent.failures === 0;
  for (const peer of scenario.results) {
    if (peer.plugin === 'kupe') continue;
    upstreamRatio[peer.plugin] =
      peer.concurrent.upstreamPerThousandViews / kupeUpstream;
    p99Ratio[peer.plugin] = peer.concurrent.p99 / kupe.concurrent.p99;
    pass &&=
      peer.concurrent.failures === 0 &&
      upstreamRatio[peer.plugin]! >= 20 &&
      kupe.concurrent.p99 < peer.concurrent.p99;
  }
  return { scenario, upstreamRatio, p99Ratio, pass };
}

function scenarioTitle(s: ScenarioResult) {
  return `${s.instances} instance${s.instances > 1 ? 's' : ''}, ${fmt(
    s.applications,
  )} applications per instance`;
}

function scenarioTable(s: ScenarioResult): string[] {
  const kupe = s.results.find(r => r.plugin === 'kupe');
  const lines = [
    `### ${scenarioTitle(s)}`,
    '',
    `${fmt(s.components)} components; load average (1 min) ${
      s.loadAverage.before
    } before, ${s.loadAverage.after} after.`,
    '',
    '| plugin | upstream req / 1,000 views | p50 ms | p99 ms | max ms | views/s | backend CPU ms / view | 1 client p50 / p99 ms | heap after / growth MB | RSS after / growth MB | upstream req at start / warm-up | first view ms | failures |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of s.results) {
    const c = r.concurrent;
    const upstream =
      r.plugin === 'kupe'
        ? `${fmt(c.upstreamPerThousandViews)} (${fmt(
            kupeUpstreamWithIndexLoad(r),
          )} with index load)`
        : fmt(c.upstreamPerThousandViews);
    const growth = (after: number, before: number) =>
      `${fmt(after)} / ${after - before >= 0 ? '+' : ''}${fmt(
        Math.round((after - before) * 10) / 10,
      )}`;
    lines.push(
      `| ${SHORT[r.plugin]} | ${upstream} | ${fmt(c.p50)} | ${fmt(
        c.p99,
      )} | ${fmt(c.max)} | ${fmt(c.viewsPerSecond)} | ${fmt(
        c.backendCpuMsPerView,
      )} | ${
        r.sequential
          ? `${fmt(r.sequential.p50)} / ${fmt(r.sequential.p99)}`
          : 'n/a'
      } | ${growth(
        r.memoryAfter.heapUsedMb,
        r.memoryStarted.heapUsedMb,
      )} | ${growth(r.memoryAfter.rssMb, r.memoryStarted.rssMb)} | ${fmt(
        r.startupUpstreamRequests,
      )} / ${fmt(r.warmupUpstreamRequests)} | ${fmt(r.firstViewMs)} | ${
        c.failures + (r.sequential?.failures ?? 0)
      } |`,
    );
  }
  lines.push('');
  for (const r of s.results) {
    const failure = r.concurrent.firstFailure ?? r.sequential?.firstFailure;
    if (failure)
      lines.push(`- ${SHORT[r.plugin]}'s first failed view: ${failure}`);
  }
  const verdict = verdictOf(s);
  if (kupe && verdict) {
    for (const peer of s.results.filter(r => r.plugin !== 'kupe')) {
      lines.push(
        `- vs ${SHORT[peer.plugin]}: ${fmt(
          verdict.upstreamRatio[peer.plugin]!,
        )}x fewer upstream requests per view (everything Kupe requested since its start included; ${fmt(
          peer.concurrent.upstreamPerThousandViews,
        )} vs ${fmt(
          kupe.concurrent.upstreamPerThousandViews,
        )} per 1,000 views without it), p99 ${fmt(
          verdict.p99Ratio[peer.plugin]!,
        )}x lower, throughput ${fmt(
          kupe.concurrent.viewsPerSecond / peer.concurrent.viewsPerSecond,
        )}x.`,
      );
    }
  }
  lines.push('');
  return lines;
}

export function markdownReport(
  scenarios: ScenarioResult[],
  context: ReportContext,
): string {
  const threeInstances = scenarios.filter(s => s.instances >= 3);
  const lines = [
    '# Argo CD backends side by side',
    '',
    '<!-- Generated by `yarn workspace @kupe/gitops-benchmarks bench`; do not edit by hand. -->',
    '',
    `Measured ${context.date} in one run of \`${
      context.command
    }\` (${Math.round(context.durationS)} s), on ${context.machine}.`,
    'The machine is shared with other work, so absolute figures are noisy; the ratios compare',
    'plugins measured minutes apart in the same run against the same Argo CD doubles.',
    '',
    `![Upstream requests per 1,000 entity views and p99 latency at 3 instances](argocd-backends.svg)`,
    '',
    '## Result at 3 instances',
    '',
    'Target (issue 8): at 3 instances, at least 20x fewer upstream requests per entity view than',
    'either peer, and a lower p99 than both, measured in the same run.',
    '',
    '| applications per instance | plugin | upstream req / 1,000 views | p99 ms (50 clients) | peer / Kupe upstream | peer / Kupe p99 |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const s of threeInstances) {
    const verdict = verdictOf(s);
    for (const r of s.results) {
      lines.push(
        `| ${fmt(s.applications)} | ${SHORT[r.plugin]} | ${
          r.plugin === 'kupe'
            ? `${fmt(r.concurrent.upstreamPerThousandViews)} (${fmt(
                kupeUpstreamWithIndexLoad(r),
              )} with index load)`
            : fmt(r.concurrent.upstreamPerThousandViews)
        } | ${fmt(r.concurrent.p99)} | ${
          r.plugin === 'kupe'
            ? ''
            : `${fmt(verdict?.upstreamRatio[r.plugin] ?? NaN)}x`
        } | ${
          r.plugin === 'kupe'
            ? ''
            : `${fmt(verdict?.p99Ratio[r.plugin] ?? NaN)}x`
        } |`,
      );
    }
  }
  lines.push('');
  for (const s of threeInstances) {
    const verdict = verdictOf(s);
    lines.push(
      `- ${fmt(s.applications)} applications: ${
        verdict?.pass ? '**met**' : '**not met**'
      }.`,
    );
  }
  lines.push(
    '',
    '## Reading the figures',
    '',
    '- Upstream requests: the peers ask Argo CD on every view (Roadie: a find over every instance, then',
    '  one listing per instance; community: one listing per instance), each a selector listing that',
    '  Argo CD answers by scanning all its applications. Kupe answers from its watch-fed index: its only',
    '  upstream requests are one listing and one watch per instance at start, whatever the views.',
    '- p99 at 50 clients: for the peers it is mostly queueing at the Argo CD doubles, which their',
    "  listings saturate (the doubles' cost per listing grows with the application count, as",
    '  Argo CD\'s does). The "1 client" column gives the latency of a single view without queueing.',
    '- What Kupe pays for it: its first view waits for the index (the "first view ms" column) and its',
    '  backend holds the index in memory (compare the heap and RSS columns).',
    '',
    '## What was compared',
    '',
    `- ${PLUGIN_LABELS.kupe} ${context.versions.kupe}, this repository.`,
    `- ${PLUGIN_LABELS.roadie} ${context.versions.roadie} from the npm registry.`,
    `- ${PLUGIN_LABELS.community} ${context.versions.community} from the npm registry (the newest release whose dependencies the registry serves; 1.7.x needs \`plugin-argocd-common\` ^1.18, not published there).`,
    '',
    "An entity view is what each plugin's own frontend card requests for one component annotated",
    'with `argocd/app-selector: backstage.io/kubernetes-id=<component>` and no instance annotation:',
    '',
    '- Kupe GitOps card: `GET /api/gitops/entities/default/component/<name>/applications`.',
    '- Roadie card (`useAppDetails` with `argocd.appLocatorMethods`): `GET /api/argocd/find/selector/<selector>`,',
    '  then `GET /api/argocd/argoInstance/<instance>/applications/selector/<selector>` for each instance found,',
    '  in parallel. Its backend answers the find by listing the selector on every configured instance.',
    '- Community card (`ArgoCDInstanceApiClient.listApplicationsBySelector`): for every configured instance,',
    '  in parallel, `GET /api/backstage-community-argocd/argoInstance/<instance>/applications/selector/<selector>?selector=...`',
    '  (plus one `/check` per browser session, sent once before the first view).',
    '',
    "Every view is checked: a view that does not show exactly the component's applications on",
    'every instance counts as a failure.',
    '',
    '## How it was measured',
    '',
    `- Argo CD: one contract-true double per instance (\`ArgoCdFake\` in the sandbox\'s scale mode, seeded by \`seedScale\`: 50 tenants, components of three environments), ${context.latencyMs} ms added to every response, each instance on its own loopback HTTP server; every instance holds the same seed. The doubles count every request they answer. The doubles keep their name-sorted application list between changes (the fake re-sorts every app on each list request, ~100 ms at 10,000 apps, which would have measured the double rather than the plugins); answers are unchanged.`,
    '- Each plugin runs alone in a real Backstage backend (`startTestBackend`: default HTTP server and auth middleware, mock user tokens, allow-all permissions, the same in-memory catalog with indexed lookups, the same users), in its own child process, one plugin at a time; the doubles run in a second child process and the load generator in the parent, so the three never share a thread.',
    `- Per plugin and scenario: start, one first view (Kupe waits for its index), a warm-up, ${
      context.sequentialViews
    } views at 1 client, then ${fmt(context.views)} views at ${
      context.concurrency
    } concurrent keep-alive clients over the same pseudo-random sequence of components. Upstream requests are counted at the doubles for each phase; "at start" covers the backend start and the first view.`,
    '- Memory: heap used and RSS of the backend process after garbage collection, when started (before any view) and after the runs; growth is the difference. Kupe loads its index from the moment it starts, so part of the index may already be in the "started" figure: compare the absolute "after" figures across plugins.',
    '- Upstream requests per 1,000 views are those of the 50-client run. Kupe\'s "with index load" figure adds every request it made since it started (listing and watch per instance, warm-up) to the measured views (1 and 50 clients), so its ratios never divide by zero; they are the ratios quoted.',
    "- The doubles of all instances share one process (this machine has 2 cores), so their CPU time is part of the peers' latency, as Argo CD's own would be; Roadie's backend opens a new connection per upstream request (its `cross-fetch` has no keep-alive agent), which is its real behaviour.",
    '- Backend CPU: user + system time of the backend process during the 50-client run, per view.',
    '',
    '## All scenarios',
    '',
  );
  for (const s of scenarios) lines.push(...scenarioTable(s));
  lines.push(
    '## Reproduce',
    '',
    '```sh',
    'yarn workspace @kupe/gitops-benchmarks bench            # full matrix, rewrites this page, the chart and the raw figures',
    'yarn workspace @kupe/gitops-benchmarks bench --quick    # smoke run, prints only',
    'yarn workspace @kupe/gitops-benchmarks bench --latency 20 --views 2000',
    'yarn workspace @kupe/gitops-benchmarks bench --render  # re-render from argocd-backends.json',
    '```',
    '',
  );
  return lines.join('\n');
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Two grouped bar charts: upstream requests per 1,000 views and p99, at 3 instances. */
export function svgChart(scenarios: ScenarioResult[]): string {
  const groups = scenarios.filter(s => s.instances >= 3);
  const plugins: PluginId[] = ['kupe', 'roadie', 'community'];
  const panelWidth = 420;
  const height = 340;
  const top = 60;
  const bottom = 270;
  const panels = [
    {
      title: 'Upstream requests per 1,000 entity views',
      value: (r: PluginResult) => r.concurrent.upstreamPerThousandViews,
    },
    {
      title: 'p99 latency, 50 clients (ms)',
      value: (r: PluginResult) => r.concurrent.p99,
    },
  ];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${
      panelWidth * 2
    }" height="${height}" viewBox="0 0 ${
      panelWidth * 2
    } ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${panelWidth}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Argo CD backends at 3 Argo CD instances (lower is better)</text>`,
  ];
  panels.forEach((panel, p) => {
    const x0 = p * panelWidth + 50;
    const width = panelWidth - 70;
    const max = Math.max(
      1,
      ...groups.flatMap(s => s.results.map(r => panel.value(r))),
    );
    parts.push(
      `<text x="${x0 + width / 2}" y="${
        top - 14
      }" text-anchor="middle" font-size="13">${esc(panel.title)}</text>`,
      `<line x1="${x0}" y1="${bottom}" x2="${
        x0 + width
      }" y2="${bottom}" stroke="#444"/>`,
      `<line x1="${x0}" y1="${top}" x2="${x0}" y2="${bottom}" stroke="#444"/>`,
    );
    for (let t = 0; t <= 4; t++) {
      const y = bottom - ((bottom - top) * t) / 4;
      parts.push(
        `<line x1="${x0 - 4}" y1="${y}" x2="${
          x0 + width
        }" y2="${y}" stroke="#ddd"/>`,
        `<text x="${x0 - 6}" y="${y + 4}" text-anchor="end" fill="#555">${fmt(
          Math.round((max * t) / 4),
        )}</text>`,
      );
    }
    const groupWidth = width / Math.max(1, groups.length);
    const barWidth = (groupWidth * 0.7) / plugins.length;
    groups.forEach((s, g) => {
      const gx = x0 + g * groupWidth + groupWidth * 0.15;
      plugins.forEach((plugin, b) => {
        const r = s.results.find(x => x.plugin === plugin);
        if (!r) return;
        const v = panel.value(r);
        const h = ((bottom - top) * v) / max;
        const x = gx + b * barWidth;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(
            barWidth - 4
          ).toFixed(1)}" height="${h.toFixed(1)}" fill="${
            COLORS[plugin]
          }"><title>${esc(`${SHORT[plugin]}: ${fmt(v)}`)}</title></rect>`,
          `<text x="${(x + (barWidth - 4) / 2).toFixed(1)}" y="${(
            bottom -
            h -
            4
          ).toFixed(1)}" text-anchor="middle" font-size="11">${fmt(
            Math.round(v * 10) / 10,
          )}</text>`,
        );
      });
      parts.push(
        `<text x="${(gx + (barWidth * plugins.length) / 2).toFixed(1)}" y="${
          bottom + 18
        }" text-anchor="middle">${fmt(s.applications)} apps / instance</text>`,
      );
    });
  });
  plugins.forEach((plugin, i) => {
    const x = 200 + i * 160;
    parts.push(
      `<rect x="${x}" y="${height - 28}" width="12" height="12" fill="${
        COLORS[plugin]
      }"/>`,
      `<text x="${x + 18}" y="${height - 18}">${SHORT[plugin]}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
