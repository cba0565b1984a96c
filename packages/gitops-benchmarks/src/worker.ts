/*
 * Entry of a benchmark child process: runs the Argo CD doubles or one plugin's backend,
 * alone in its process, so that its memory and CPU are its own and the load generator in
 * the parent process is not slowed by the work it measures.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import { type ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { startArgoCdDouble } from './argoCdDoubles';
import { startPluginBackend } from './pluginBackends';
import type { WorkerRequest, WorkerStart } from './workers';

async function main() {
  const start = await new Promise<WorkerStart>(resolve =>
    process.once('message', resolve as (m: unknown) => void),
  );
  const send = (message: unknown) => process.send!(message);
  let handlers: Record<string, (arg: any) => Promise<unknown>>;
  try {
    if (start.kind === 'double') {
      const doubles = await startArgoCdDouble(start.options);
      handlers = {
        takeCounts: () => doubles.takeCounts(),
        setTimeFactor: (factor: number) => doubles.setTimeFactor(factor),
        memory: () => doubles.memory(),
        cpuMs: () => doubles.cpuMs(),
        changeApplication: ({ instance, name }) =>
          doubles.changeApplication(instance, name),
        stop: () => doubles.stop(),
      };
      send({
        type: 'ready',
        result: {
          instances: doubles.instances,
          components: doubles.components,
        },
      });
    } else {
      const backend = await startPluginBackend(start.plugin, start.options);
      const profiler = new Session();
      let delay: ELDHistogram | undefined;
      handlers = {
        memory: () => backend.memory(),
        cpuMs: () => backend.cpuMs(),
        // A V8 CPU profile of only what runs between the two calls (`profileViews.ts`).
        startCpuProfile: async () => {
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        },
        stopCpuProfile: async (file: string) => {
          const { profile } = await profiler.post('Profiler.stop');
          profiler.disconnect();
          await writeFile(file, JSON.stringify(profile));
        },
        startAllocationProfile: async () => {
          profiler.connect();
          await profiler.post('HeapProfiler.enable');
          await profiler.post('HeapProfiler.startSampling', {
            samplingInterval: 8192,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          });
        },
        stopAllocationProfile: async (file: string) => {
          const { profile } = await profiler.post('HeapProfiler.stopSampling');
          profiler.disconnect();
          await writeFile(file, JSON.stringify(profile));
        },
        // A V8 heap snapshot (after a full gc, which V8 does before taking it), to read
        // what the heap holds by constructor and retainer (`profileViews.ts --heap-out`).
        takeHeapSnapshot: (file: string) => takeHeapSnapshot(file),
        // Committed and used MB of each V8 heap space, after the gc `memory` runs.
        heapSpaces: async () => {
          await backend.memory();
          return getHeapSpaceStatistics().map(space => ({
            space: space.space_name,
            committedMb: Math.round(space.space_size / 1024 ** 2),
            usedMb: Math.round(space.space_used_size / 1024 ** 2),
          }));
        },
        startEventLoopDelay: async () => {
          delay = monitorEventLoopDelay({ resolution: 1 });
          delay.enable();
        },
        stopEventLoopDelay: async () => {
          delay!.disable();
          const ms = (ns: number) => Math.round(ns / 1e4) / 100;
          return {
            p50Ms: ms(delay!.percentile(50)),
            p99Ms: ms(delay!.percentile(99)),
            maxMs: ms(delay!.max),
          };
        },
        stop: () => backend.stop(),
      };
      send({
        type: 'ready',
        result: { port: backend.port, execArgv: process.execArgv },
      });
    }
  } catch (error) {
    send({ type: 'failed', message: String((error as Error)?.stack ?? error) });
    process.exit(1);
  }
  process.on('message', async (request: WorkerRequest) => {
    try {
      const result = await handlers[request.method](request.arg);
      send({ id: request.id, result });
    } catch (error) {
      send({ id: request.id, error: String(error) });
    }
    if (request.method === 'stop') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
}

async function takeHeapSnapshot(file: string): Promise<void> {
  const session = new Session();
  session.connect();
  const out = createWriteStream(file);
  session.on('HeapProfiler.addHeapSnapshotChunk', message =>
    out.write(message.params.chunk),
  );
  try {
    await session.post('HeapProfiler.takeHeapSnapshot', {
      reportProgress: false,
    });
  } finally {
    session.disconnect();
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
