/** The three backend plugins under comparison. */
export type PluginId = 'kupe' | 'roadie' | 'community';

export const PLUGIN_IDS: PluginId[] = ['kupe', 'roadie', 'community'];

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
}

export interface DoublesOptions {
  instances: number;
  /** Applications seeded on each instance. */
  applications: number;
  tenants?: number;
  latencyMs: number;
}

/** The Argo CD doubles of one scenario, wherever they run. */
export interface ArgoCdDoubles {
  readonly instances: ArgoInstance[];
  readonly components: Component[];
  /** Upstream requests each instance answered since the last call; resets the counts. */
  takeRequestCounts(): Promise<number[]>;
  stop(): Promise<void>;
}

/** One plugin's backend, wherever it runs. */
export interface PluginBackend {
  readonly port: number;
  /** Heap and RSS of the backend's process after garbage collection. */
  memory(): Promise<Memory>;
  /** CPU time the backend's process used so far (user + system, ms). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export const mb = (bytes: number) =>
  Math.round((bytes / 1024 / 1024) * 10) / 10;

export function settledMemory(): Memory {
  // Twice: the first pass may only schedule finalizers of what the second frees.
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return { heapUsedMb: mb(m.heapUsed), rssMb: mb(m.rss) };
}

export function processCpuMs(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}
