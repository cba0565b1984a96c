import { type ChildProcess, spawn } from 'node:child_process';
import { combineDoubles, withGitHost } from './argoCdDoubles';
import { compiledWorker } from './compiledWorker';
import type { GitRepositoriesAt } from './gitRepositories';
import type { BackendOptions } from './pluginBackends';
import type {
  ArgoCdDoubles,
  BackendId,
  DoubleOptions,
  DoublesOptions,
  HeapSpace,
  Memory,
  PluginBackend,
  UpstreamCounts,
} from './types';

export type WorkerStart =
  | { kind: 'double'; options: DoubleOptions }
  | {
      kind: 'backend';
      plugin: BackendId;
      options: BackendOptions;
    };

export interface WorkerRequest {
  id: number;
  method: string;
  arg?: unknown;
}

type WorkerMessage =
  | { type: 'ready'; result: any }
  | { type: 'failed'; message: string }
  | { id: number; result?: any; error?: string };

/** A child process running `worker.ts`, with request/response calls over IPC. */
class Worker {
  readonly #child: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (message: WorkerMessage) => {
      if (!('id' in message)) return;
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error));
      else pending?.resolve(message.result);
    });
    child.on('exit', code => {
      for (const { reject } of this.#pending.values())
        reject(new Error(`benchmark worker exited with ${code}`));
      this.#pending.clear();
    });
  }

  static async start(
    start: WorkerStart,
  ): Promise<{ worker: Worker; ready: any }> {
    const child = spawn(
      process.execPath,
      [
        // Compiled JavaScript, without the parent's TypeScript loader (`compiledWorker`);
        // gc for settled memory figures.
        '--expose-gc',
        // V8's line per garbage collection (heap before and after, pause, pooled pages).
        ...(process.env.KUPE_BENCH_TRACE_GC && start.kind === 'backend'
          ? ['--trace-gc']
          : []),
        ...(process.env.KUPE_BENCH_CPU_PROF && start.kind === 'backend'
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.KUPE_BENCH_CPU_PROF}`]
          : []),
        await compiledWorker(),
      ],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const worker = new Worker(child);
    const ready = await new Promise<any>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`benchmark worker exited with ${code} before ready`));
      child.once('exit', onExit);
      child.on('message', (message: WorkerMessage) => {
        if ('type' in message && message.type === 'ready') {
          child.off('exit', onExit);
          resolve(message.result);
        } else if ('type' in message && message.type === 'failed') {
          child.off('exit', onExit);
          reject(new Error(message.message));
        }
      });
      child.send(start);
    });
    return { worker, ready };
  }

  call<T>(method: string, arg?: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, method, arg } satisfies WorkerRequest);
    });
  }

  /**
   * Asks the worker to stop; one that has not exited 15 s later is killed (a backend whose
   * shutdown waits on an upstream request would otherwise hold the whole run).
   */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise(resolve => this.#child.once('exit', resolve));
    const kill = setTimeout(() => this.#child.kill('SIGKILL'), 15_000);
    this.call('stop').catch(() => this.#child.kill('SIGKILL'));
    await exited;
    clearTimeout(kill);
  }
}

/**
 * One child process per Argo CD instance, each running `startArgoCdDouble`: three instances
 * are three servers with a thread each, as three Argo CD installations are. The first seeds
 * alone (it writes the Git repositories), the others then in parallel.
 */
export function spawnArgoCdDoubles(
  options: DoublesOptions,
): Promise<ArgoCdDoubles> {
  return withGitHost(git => spawnDoubles(options, git));
}

async function spawnDoubles(
  options: DoublesOptions,
  git: GitRepositoriesAt,
): Promise<ArgoCdDoubles> {
  const start = (index: number) =>
    Worker.start({ kind: 'double', options: { ...options, index, git } });
  // The first writes the scenario's repositories, whose commits the others' apps then name.
  const [first] = await Promise.allSettled([start(0)]);
  const settled =
    first.status === 'fulfilled'
      ? [
          first,
          ...(await Promise.allSettled(
            Array.from({ length: options.instances - 1 }, (_, i) =>
              start(i + 1),
            ),
          )),
        ]
      : [first];
  const workers = settled.flatMap(s =>
    s.status === 'fulfilled' ? [s.value] : [],
  );
  const failed = settled.find(s => s.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map(w => w.worker.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return combineDoubles(
    workers.map(({ worker, ready }) => ({
      instances: ready.instances,
      components: ready.components,
      takeCounts: () => worker.call<UpstreamCounts[]>('takeCounts'),
      setTimeFactor: factor => worker.call<void>('setTimeFactor', factor),
      memory: () => worker.call<Memory[]>('memory'),
      cpuMs: () => worker.call<number[]>('cpuMs'),
      changeApplication: (instance, name) =>
        worker.call<{ health: string; at: number }>('changeApplication', {
          instance,
          name,
        }),
      stop: () => worker.stop(),
    })),
  );
}

/** `startPluginBackend` in a child process. */
export async function spawnPluginBackend(
  plugin: BackendId,
  options: BackendOptions,
): Promise<PluginBackend> {
  const { worker, ready } = await Worker.start({
    kind: 'backend',
    plugin,
    options,
  });
  return {
    port: ready.port,
    execArgv: ready.execArgv,
    memory: () => worker.call<Memory>('memory'),
    cpuMs: () => worker.call<number>('cpuMs'),
    startCpuProfile: () => worker.call<void>('startCpuProfile'),
    stopCpuProfile: file => worker.call<void>('stopCpuProfile', file),
    startAllocationProfile: () => worker.call<void>('startAllocationProfile'),
    stopAllocationProfile: file =>
      worker.call<void>('stopAllocationProfile', file),
    takeHeapSnapshot: file => worker.call<void>('takeHeapSnapshot', file),
    heapSpaces: () => worker.call<HeapSpace[]>('heapSpaces'),
    startEventLoopDelay: () => worker.call<void>('startEventLoopDelay'),
    stopEventLoopDelay: () => worker.call('stopEventLoopDelay'),
    stop: () => worker.stop(),
  };
}
