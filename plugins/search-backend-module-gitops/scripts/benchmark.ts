/*
 * Collates 10,000 Argo CD Applications from the Argo CD fake, served over loopback HTTP, and
 * prints documents per second and peak memory of the collator next to a naive baseline (list
 * whole applications, map them all into an array). Each measured phase runs in its own child
 * process, so one phase's garbage cannot inflate the other's peak and the fake's own memory
 * (in the parent) is not counted.
 *
 *   yarn workspace @kupe/plugin-search-backend-module-gitops bench [--apps 10000] [--runs 3]
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import { DefaultArgoCdService } from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  buildApplication,
} from '@kupe/plugin-gitops-node-test-utils';
import { ArgoCdApplicationCollatorFactory } from '../src/collators/ArgoCdApplicationCollatorFactory';

type Phase = 'baseline' | 'collator';

interface PhaseResult {
  phase: Phase;
  documents: number;
  ms: number;
  docsPerSecond: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** Peaks above what the process held before the phase started. */
  rssGrowthMb: number;
  heapGrowthMb: number;
}

const TENANTS = 50;
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const silentLogger: LoggerService = {
  error: () => {},
  warn: message => process.stderr.write(`${message}\n`),
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};

// ------------------------------------------------------------------ parent: the fake

function seedFake(apps: number): ArgoCdFake {
  const fake = new ArgoCdFake();
  for (let i = 0; i < apps; i++) {
    const tenant = `tenant${i % TENANTS}`;
    const component = `svc${Math.floor(i / ENVIRONMENTS.length)}`;
    const environment = ENVIRONMENTS[i % ENVIRONMENTS.length];
    fake.putApplication(
      buildApplication({
        name: `${component}-${environment}`,
        tenant,
        environment,
        component,
        images: [
          `ghcr.io/${tenant}/${component}:1.${i % 10}.${i % 7}`,
          `ghcr.io/${tenant}/${component}-sidecar:2.0.${i % 5}`,
        ],
        historyLength: 5,
      }),
    );
  }
  return fake;
}

async function toRequest(req: IncomingMessage, origin: string) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
  }
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  });
}

function serve(fake: ArgoCdFake): Promise<Server> {
  const server = createServer(async (req, res) => {
    const response = await fake.handle(
      await toRequest(req, 'http://127.0.0.1'),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

function runChild(
  phase: Phase,
  url: string,
  apps: number,
): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        '--expose-gc',
        __filename,
        '--child',
        phase,
        '--url',
        url,
        '--apps',
        String(apps),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!))
        : reject(new Error(`${phase} exited with ${code}`)),
    );
  });
}

// ------------------------------------------------------------------ child: one phase

function catalogOf(apps: number): Pick<CatalogService, 'queryEntities'> {
  // One entity per component (found by the kubernetes-id label), as a real portal would have.
  const entities: Entity[] = Array.from(
    { length: Math.ceil(apps / ENVIRONMENTS.length) },
    (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc${i}`,
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': `svc${i}` },
      },
    }),
  );
  return {
    async queryEntities(request) {
      const offset =
        request && 'cursor' in request ? Number(request.cursor) : 0;
      const limit = request?.limit ?? 500;
      const items = entities.slice(offset, offset + limit);
      const next = offset + limit;
      return {
        items,
        totalItems: entities.length,
        pageInfo: next < entities.length ? { nextCursor: String(next) } : {},
      };
    },
  };
}

async function measure(
  phase: Phase,
  work: () => Promise<number>,
): Promise<PhaseResult> {
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 2);
  const start = process.hrtime.bigint();
  const documents = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  sample();
  clearInterval(timer);
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return {
    phase,
    documents,
    ms: Math.round(ms),
    docsPerSecond: Math.round(documents / (ms / 1000)),
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
    rssGrowthMb: mb(peakRss - before.rss),
    heapGrowthMb: mb(peakHeap - before.heapUsed),
  };
}

async function runPhase(phase: Phase, url: string, apps: number) {
  const argoCd = new DefaultArgoCdService(
    [{ name: 'main', url, token: ArgoCdFake.adminToken, timeoutMs: 120_000 }],
    { logger: silentLogger },
  );
  const result = await measure(phase, async () => {
    if (phase === 'baseline') {
      // The naive way: whole applications, every document held in one array.
      const list = await argoCd.forInstance('main').listApplications();
      const documents = (list.items ?? []).map(app => ({
        title: app.metadata.name ?? '',
        text: JSON.stringify(app.spec),
        location: `${url}/applications/${app.metadata.namespace}/${app.metadata.name}`,
      }));
      return documents.length;
    }
    const factory = ArgoCdApplicationCollatorFactory.fromConfig(
      new ConfigReader({}),
      {
        argoCd,
        catalog: catalogOf(apps),
        auth: {
          getOwnServiceCredentials: async () => ({
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'service', subject: 'plugin:search' },
          }),
        },
        logger: silentLogger,
        tenantNaming: new TenantNaming(),
      },
    );
    let count = 0;
    for await (const _document of await factory.getCollator()) count++;
    return count;
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ------------------------------------------------------------------ main

async function main() {
  const childAt = process.argv.indexOf('--child');
  const apps = arg('apps', 10_000);
  if (childAt >= 0) {
    const urlAt = process.argv.indexOf('--url');
    await runPhase(
      process.argv[childAt + 1] as Phase,
      process.argv[urlAt + 1],
      apps,
    );
    return;
  }
  const runs = arg('runs', 3);
  const seedStart = Date.now();
  const fake = seedFake(apps);
  const server = await serve(fake);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(
    `Seeded ${apps} applications in ${
      Date.now() - seedStart
    } ms; Argo CD fake at ${url}\n`,
  );
  try {
    const results: PhaseResult[] = [];
    for (let run = 1; run <= runs; run++) {
      for (const phase of ['baseline', 'collator'] as Phase[]) {
        const result = await runChild(phase, url, apps);
        if (result.documents !== apps) {
          throw new Error(
            `${phase} produced ${result.documents} of ${apps} documents`,
          );
        }
        results.push(result);
        process.stdout.write(`run ${run} ${JSON.stringify(result)}\n`);
      }
    }
    const median = (phase: Phase, key: keyof PhaseResult) => {
      const values = results
        .filter(r => r.phase === phase)
        .map(r => Number(r[key]))
        .sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)];
    };
    const rows = (['baseline', 'collator'] as Phase[]).map(phase => ({
      phase,
      'docs/s': median(phase, 'docsPerSecond'),
      ms: median(phase, 'ms'),
      'peak RSS MB': median(phase, 'peakRssMb'),
      'peak heap MB': median(phase, 'peakHeapMb'),
      'RSS growth MB': median(phase, 'rssGrowthMb'),
      'heap growth MB': median(phase, 'heapGrowthMb'),
    }));
    process.stdout.write(`\nMedians of ${runs} runs, ${apps} applications:\n`);
    console.table(rows);
    const ratio = (key: keyof PhaseResult) =>
      (median('collator', key) / median('baseline', key)).toFixed(2);
    process.stdout.write(
      `collator / baseline: docs/s ${ratio(
        'docsPerSecond',
      )}, peak heap growth ${ratio('heapGrowthMb')}, peak RSS growth ${ratio(
        'rssGrowthMb',
      )}\n`,
    );
  } finally {
    server.close();
    fake.close();
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
