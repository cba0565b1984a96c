import type { GitRepositoriesAt } from './gitRepositories';

/** The three backend plugins under comparison. */
export type PluginId = 'kupe' | 'roadie' | 'community';

export const PLUGIN_IDS: PluginId[] = ['kupe', 'roadie', 'community'];

/** What a benchmark backend runs: one of the plugins, or the floor (`floorBackend.ts`). */
export type BackendId = PluginId | 'floor';

/**
 * What a browser shows of an entity: each plugin's card as its frontend requests it, and
 * Kupe's GitOps tab (measured on the same backend as Kupe's card, as a row of its own).
 */
export type ViewId = 'kupe-card' | 'kupe-tab' | 'roadie' | 'community';

export const VIEWS_OF: Record<PluginId, ViewId[]> = {
  kupe: ['kupe-card', 'kupe-tab'],
  roadie: ['roadie'],
  community: ['community'],
};

/** Kinds of Argo CD requests, as counted at the doubles. */
export type UpstreamKind =
  | 'list'
  | 'watch'
  | 'get'
  | 'revisionMetadata'
  | 'other';

export const UPSTREAM_KINDS: UpstreamKind[] = [
  'list',
  'watch',
  'get',
  'revisionMetadata',
  'other',
];

/** Requests answered and response bytes written (bodies and streams) by one double. */
export interface UpstreamCounts {
  requests: number;
  bytes: number;
  byKind: Record<UpstreamKind, { requests: number; bytes: number }>;
}

export function emptyCounts(): UpstreamCounts {
  return {
    requests: 0,
    bytes: 0,
    byKind: Object.fromEntries(
      UPSTREAM_KINDS.map(k => [k, { requests: 0, bytes: 0 }]),
    ) as UpstreamCounts['byKind'],
  };
}

export function addCounts(...all: UpstreamCounts[]): UpstreamCounts {
  const total = emptyCounts();
  for (const c of all) {
    total.requests += c.requests;
    total.bytes += c.bytes;
    for (const k of UPSTREAM_KINDS) {
      total.byKind[k].requests += c.byKind[k].requests;
      total.byKind[k].bytes += c.byKind[k].bytes;
    }
  }
  return total;
}

/** One Argo CD double as the backends are configured with it. */
export interface ArgoInstance {
  name: string;
  url: string;
  token: string;
}

/** A catalog component whose apps the `argocd/app-selector` annotation selects. */
export interface Component {
  name: string;
  tenant: string;
  /** Its applications on each Argo CD instance (every instance holds the same seed). */
  appsPerInstance: number;
}

export interface Memory {
  heapUsedMb: number;
  rssMb: number;
  /**
   * Where the RSS goes: V8's heap as committed (used or not), memory outside it that V8
   * accounts for (buffers, of which `arrayBuffersMb`). The rest of the RSS is code, native
   * modules, thread stacks and the allocator's free memory not returned to the system.
   * Absent from figures saved before they were recorded.
   */
  heapTotalMb?: number;
  externalMb?: number;
  arrayBuffersMb?: number;
}

export interface DoublesOptions {
  instances: number;
  /** Applications seeded on each instance. */
  applications: number;
  tenants?: number;
  latencyMs: number;
  /** Production-size applications (default); false seeds the 2-resource apps. */
  realistic?: boolean;
  /** Argo CD's periodic reconcile of every app (120 s + up to 60 s jitter). */
  churn?: boolean;
}

/**
 * One instance's double; `index` names it (`argocd-<index + 1>`). Its applications deploy from
 * the repositories at `git`, which the first double writes (every instance holds the same seed).
 */
export interface DoubleOptions extends Omit<DoublesOptions, 'instances'> {
  index: number;
  git: GitRepositoriesAt;
}

/** The Argo CD doubles of one scenario, wherever they run. */
export interface ArgoCdDoubles {
  readonly instances: ArgoInstance[];
  readonly components: Component[];
  /** Upstream requests and bytes per instance since the last call; resets the counts. */
  takeCounts(): Promise<UpstreamCounts[]>;
  /** Runs the doubles' reconcile clock `factor` times faster than real time from now on. */
  setTimeFactor(factor: number): Promise<void>;
  /** Heap and RSS of each double's process. */
  memory(): Promise<Memory[]>;
  /** CPU time (user + system, ms) each double's process used so far (inline: this process). */
  cpuMs(): Promise<number[]>;
  /**
   * Changes what a page shows of one app on one instance (its health, Healthy and
   * Progressing in turn), as a sync or a rollout would; resolves to the new health and the
   * moment (epoch ms) the double applied it.
   */
  changeApplication(
    instance: string,
    name: string,
  ): Promise<{ health: string; at: number }>;
  stop(): Promise<void>;
}

/** One plugin's backend, wherever it runs. */
export interface PluginBackend {
  readonly port: number;
  /** A backend in its own process: the Node options it runs with. */
  readonly execArgv?: string[];
  /** Heap and RSS of the backend's process after garbage collection. */
  memory(): Promise<Memory>;
  /** CPU time the backend's process used so far (user + system, ms). */
  cpuMs(): Promise<number>;
  /** A backend in its own process: V8 CPU profile of what runs until the stop, to `file`. */
  startCpuProfile?(): Promise<void>;
  stopCpuProfile?(file: string): Promise<void>;
  /**
   * A backend in its own process: V8's sampling heap profile of every allocation until the
   * stop (objects the GC already collected too, so what a view allocates, not what stays), to
   * `file` (open it in Chrome DevTools' Memory panel).
   */
  startAllocationProfile?(): Promise<void>;
  stopAllocationProfile?(file: string): Promise<void>;
  /** A backend in its own process: V8 heap snapshot to `file`. */
  takeHeapSnapshot?(file: string): Promise<void>;
  /** A backend in its own process: its V8 heap spaces, settled as `memory` settles them. */
  heapSpaces?(): Promise<HeapSpace[]>;
  /**
   * A backend in its own process: how late its event loop ran what was due (ms), from the
   * start call to the stop call, i.e. how long a request waited behind synchronous work.
   */
  startEventLoopDelay?(): Promise<void>;
  stopEventLoopDelay?(): Promise<{
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
  }>;
  stop(): Promise<void>;
}

export const mb = (bytes: number) =>
  Math.round((bytes / 1024 / 1024) * 10) / 10;

export interface HeapSpace {
  space: string;
  committedMb: number;
  usedMb: number;
}

export function settledMemory(): Memory {
  // Twice: the first pass may only schedule finalizers of what the second frees.
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return {
    heapUsedMb: mb(m.heapUsed),
    rssMb: mb(m.rss),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
  };
}

export function processCpuMs(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

/** Runs `tasks` at most `limit` at a time, in their order. */
export async function inTurns(
  limit: number,
  tasks: Array<() => Promise<unknown>>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
