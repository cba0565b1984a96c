import { type ChildProcess, spawn } from 'node:child_process';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type {
  ArgoCdDoubles,
  ArgoInstance,
  Component,
  DoublesOptions,
  Memory,
  PluginBackend,
  PluginId,
} from './types';

export type WorkerStart =
  | { kind: 'doubles'; options: DoublesOptions }
  | {
      kind: 'backend';
      plugin: PluginId;
      options: { instances: ArgoInstance[]; components: Component[] };
    };

export interface WorkerRequest {
  id: number;
  method: string;
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
        // The parent's TypeScript loader (`--require .../nodeTransform.cjs`), and gc for
        // settled memory figures.
        ...process.execArgv,
        '--expose-gc',
        resolvePackagePath('@kupe/gitops-benchmarks', 'src/worker.ts'),
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

  call<T>(method: string): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, method } satisfies WorkerRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise(resolve => this.#child.once('exit', resolve));
    await this.call('stop').catch(() => this.#child.kill());
    await exited;
  }
}

/** `startArgoCdDoubles` in a child process. */
export async function spawnArgoCdDoubles(
  options: DoublesOptions,
): Promise<ArgoCdDoubles> {
  const { worker, ready } = await Worker.start({ kind: 'doubles', options });
  return {
    instances: ready.instances,
    components: ready.components,
    takeRequestCounts: () => worker.call<number[]>('takeRequestCounts'),
    stop: () => worker.stop(),
  };
}

/** `startPluginBackend` in a child process. */
export async function spawnPluginBackend(
  plugin: PluginId,
  options: { instances: ArgoInstance[]; components: Component[] },
): Promise<PluginBackend> {
  const { worker, ready } = await Worker.start({
    kind: 'backend',
    plugin,
    options,
  });
  return {
    port: ready.port,
    memory: () => worker.call<Memory>('memory'),
    cpuMs: () => worker.call<number>('cpuMs'),
    stop: () => worker.stop(),
  };
}
