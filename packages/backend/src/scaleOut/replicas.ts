import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

/** The portal backend's entry point: each replica is this real backend in its own process. */
const BACKEND_DIR = resolvePackagePath('backend');
const BACKEND_ENTRY = resolve(BACKEND_DIR, 'src', 'index.ts');

/** A port that was free a moment ago (the backend's baseUrl must name its port up front). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? done(address.port)
          : fail(new Error('no port')),
      );
    });
  });
}

export interface Replica {
  readonly name: string;
  readonly url: string;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `packages/backend` (the portal backend, every plugin) as a child process with its own
 * config file, and waits until its readiness endpoint answers.
 */
export async function startReplica(options: {
  name: string;
  dir: string;
  config: (url: string, port: number) => JsonObject;
  readyTimeoutMs: number;
}): Promise<Replica> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(options.dir, `${options.name}.app-config.json`);
  // JSON is YAML: the config loader reads it as any app-config file.
  await writeFile(configFile, JSON.stringify(options.config(url, port)));

  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      BACKEND_ENTRY,
      '--config',
      configFile,
    ],
    {
      cwd: BACKEND_DIR,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  let exitCode: number | null | undefined;
  void exited.then(code => {
    exitCode = code;
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const replica: Replica = {
    name: options.name,
    url,
    output: () => output,
    async stop() {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `${options.name} exited with ${exitCode} before it was ready:\n${output}`,
      );
    }
    // A failed startup leaves the process running; it never becomes ready.
    if (output.includes('Backend startup failed')) {
      await replica.stop();
      throw new Error(`${options.name} failed to start:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/.backstage/health/v1/readiness`);
      if (res.ok) return replica;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await replica.stop();
      throw new Error(
        `${options.name} not ready after ${options.readyTimeoutMs} ms:\n${output}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** One Redis command over RESP (the test reads the shared cache without a client library). */
export async function redisCommand(
  redisUrl: string,
  ...args: string[]
): Promise<unknown> {
  const { hostname, port } = new URL(redisUrl);
  const request = `*${args.length}\r\n${args
    .map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`)
    .join('')}`;
  const raw = await new Promise<string>((done, fail) => {
    const socket = connect(Number(port || 6379), hostname);
    let data = '';
    socket.on('data', chunk => {
      data += chunk.toString();
      const parsed = parseResp(data, 0);
      if (parsed) {
        socket.end();
        done(data);
      }
    });
    socket.on('error', fail);
    socket.write(request);
  });
  return parseResp(raw, 0)![0];
}

/** Parses one RESP value at `at`: [value, next offset], or undefined when incomplete. */
function parseResp(data: string, at: number): [unknown, number] | undefined {
  const end = data.indexOf('\r\n', at);
  if (end < 0) return undefined;
  const head = data.slice(at + 1, end);
  switch (data[at]) {
    case '+':
      return [head, end + 2];
    case '-':
      throw new Error(`Redis: ${head}`);
    case ':':
      return [Number(head), end + 2];
    case '$': {
      const length = Number(head);
      if (length < 0) return [null, end + 2];
      if (data.length < end + 2 + length + 2) return undefined;
      return [data.slice(end + 2, end + 2 + length), end + 2 + length + 2];
    }
    case '*': {
      const items: unknown[] = [];
      let next = end + 2;
      for (let i = 0; i < Number(head); i++) {
        const item = parseResp(data, next);
        if (!item) return undefined;
        items.push(item[0]);
        next = item[1];
      }
      return [items, next];
    }
    default:
      throw new Error(`Redis: unexpected reply ${JSON.stringify(data)}`);
  }
}
