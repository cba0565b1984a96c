import { InputError, NotFoundError, isError } from '@backstage/errors';
import {
  requireDns1123Label,
  requireDns1123Subdomain,
  type LogLine,
  type LogPod,
  POD_LOG_LIMITS,
  type PodLogsResponse,
} from '@kupe/plugin-gitops-common';
import type {
  ApplicationLogEntry,
  ApplicationTree,
  ManagedResourcesResponse,
  ResourceNode,
} from '@kupe/plugin-gitops-node';
import type { Request, Response } from 'express';
import type { VisibleApplication } from '../service/ApplicationAccess';

/** What the logs route was asked for (the document has validated the types). */
export interface PodLogsRequest {
  namespace: string;
  pod: string;
  container?: string;
  sinceSeconds?: number;
  tailLines: number;
  previous?: boolean;
  follow: boolean;
  download: boolean;
}

/** Reads the logs route's query; over the line limit is a clear 400. */
export function readPodLogsRequest(req: Request): PodLogsRequest {
  // The document's validator has coerced booleans and integers already.
  const q = req.query as Record<string, string | number | boolean | undefined>;
  const flag = (key: string) => String(q[key]) === 'true';
  const int = (key: string) =>
    q[key] === undefined ? undefined : Number.parseInt(String(q[key]), 10);
  const tailLines = int('tailLines') ?? POD_LOG_LIMITS.defaultTailLines;
  if (tailLines > POD_LOG_LIMITS.maxTailLines) {
    throw new InputError(
      `tailLines ${tailLines} is over the limit of ${POD_LOG_LIMITS.maxTailLines} lines; ask for fewer lines, a shorter time (sinceSeconds) or follow the log`,
    );
  }
  // Checked here too (the client checks again), so a bad name is a 400 before the tree is read.
  return {
    namespace: requireDns1123Label('namespace', String(q.namespace)),
    pod: requireDns1123Subdomain('pod', String(q.pod)),
    container:
      q.container === undefined
        ? undefined
        : requireDns1123Label('container', String(q.container)),
    sinceSeconds: int('sinceSeconds'),
    tailLines,
    previous: q.previous === undefined ? undefined : flag('previous'),
    follow: flag('follow'),
    download: flag('download'),
  };
}

const WORKLOAD_TEMPLATES: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  Rollout: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const sameRef = (node: ResourceNode, ref: ResourceNode) =>
  node.kind === ref.kind &&
  node.name === ref.name &&
  (node.namespace ?? '') === (ref.namespace ?? '') &&
  (node.group ?? '') === (ref.group ?? '');

/** The node's ancestors in the tree, nearest first (a pod's ReplicaSet, then its Deployment). */
function ancestorsOf(tree: ApplicationTree, node: ResourceNode) {
  const nodes = tree.nodes ?? [];
  const out: ResourceNode[] = [];
  let current: ResourceNode | undefined = node;
  while (current?.parentRefs?.length && out.length < 10) {
    const ref: ResourceNode = current.parentRefs[0];
    current = nodes.find(n => sameRef(n, ref));
    if (current) out.push(current);
  }
  return out;
}

/** Container names of a workload's pod template, from its live (else desired) manifest. */
function templateContainers(
  managed: ManagedResourcesResponse,
  workload: ResourceNode,
): string[] | undefined {
  const path = WORKLOAD_TEMPLATES[workload.kind ?? ''];
  const item = managed.items?.find(
    i =>
      i.kind === workload.kind &&
      i.name === workload.name &&
      (i.namespace ?? '') === (workload.namespace ?? ''),
  );
  if (!path || !item) return undefined;
  for (const state of [item.liveState, item.targetState]) {
    if (!state || state === 'null') continue;
    try {
      let template: any = JSON.parse(state);
      for (const key of path) template = template?.[key];
      const containers: Array<{ name?: unknown }> = [
        ...(template?.spec?.initContainers ?? []),
        ...(template?.spec?.containers ?? []),
      ];
      return containers
        .map(c => c.name)
        .filter((n): n is string => typeof n === 'string');
    } catch {
      // Not a manifest: try the other state.
    }
  }
  return undefined;
}

const isPod = (n: ResourceNode): n is ResourceNode & { name: string } =>
  n.kind === 'Pod' && !n.group && Boolean(n.name && n.namespace);

/** The pods of the tree, each with its owning workload's containers. */
export function podsOf(
  tree: ApplicationTree,
  managed: ManagedResourcesResponse,
): LogPod[] {
  return (tree.nodes ?? []).filter(isPod).map(pod => {
    const ancestors = ancestorsOf(tree, pod);
    const owner = ancestors[ancestors.length - 1];
    const containers =
      ancestors
        .map(a => templateContainers(managed, a))
        .find(c => c !== undefined) ?? [];
    const reason = pod.info?.find(i => i.name === 'Status Reason')?.value;
    return {
      namespace: pod.namespace!,
      name: pod.name,
      health: pod.health?.status,
      statusReason: reason,
      owner: owner ? `${owner.kind}/${owner.name}` : undefined,
      containers,
    };
  });
}

/** Refuses a pod that is not in the app's resource tree, before Argo CD is asked for logs. */
export async function requirePodOfApp(
  visible: VisibleApplication,
  ask: PodLogsRequest,
): Promise<void> {
  const tree = await visible.client.getResourceTree(
    visible.app.name,
    visible.scope,
  );
  const found = (tree.nodes ?? []).some(
    n => isPod(n) && n.namespace === ask.namespace && n.name === ask.pod,
  );
  if (!found) {
    throw new NotFoundError(
      `Pod ${ask.namespace}/${ask.pod} is not part of application ${visible.app.name}`,
    );
  }
}

const lineOf = (entry: ApplicationLogEntry): LogLine => ({
  timeStamp: entry.timeStamp ?? '',
  content: entry.content ?? '',
});

function logsOf(visible: VisibleApplication, ask: PodLogsRequest) {
  return (signal: AbortSignal) =>
    visible.client.streamPodLogs(
      visible.app.name,
      {
        namespace: ask.namespace,
        podName: ask.pod,
        container: ask.container,
        sinceSeconds: ask.sinceSeconds,
        tailLines: ask.tailLines,
        previous: ask.previous,
        follow: ask.follow,
      },
      { ...visible.scope, signal },
    );
}

/** Aborts when the browser goes away before the answer is complete. */
function abortOnDisconnect(req: Request): AbortController {
  const abort = new AbortController();
  const res = req.res;
  res?.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  return abort;
}

/**
 * Reads a whole (not followed) log, at most {@link POD_LOG_LIMITS}' bytes: over them the
 * upstream stream is closed and the answer is a clear 400.
 */
export async function readPodLogs(
  visible: VisibleApplication,
  ask: PodLogsRequest,
  req: Request,
): Promise<PodLogsResponse> {
  const abort = abortOnDisconnect(req);
  const lines: LogLine[] = [];
  let bytes = 0;
  for await (const entry of logsOf(visible, ask)(abort.signal)) {
    const line = lineOf(entry);
    bytes += Buffer.byteLength(line.content) + 1;
    if (bytes > POD_LOG_LIMITS.maxBytes) {
      abort.abort();
      throw new InputError(
        `The log of ${ask.pod} is over ${
          POD_LOG_LIMITS.maxBytes / 1024 / 1024
        } MiB; ask for fewer lines (tailLines) or a shorter time (sinceSeconds)`,
      );
    }
    lines.push(line);
  }
  return {
    namespace: ask.namespace,
    pod: ask.pod,
    container: ask.container,
    lines,
  };
}

/** The lines as a text/plain attachment, one `<time> <content>` per line as kubectl prints them. */
export function sendLogDownload(res: Response, logs: PodLogsResponse) {
  const name = [logs.pod, logs.container].filter(Boolean).join('-');
  const text = logs.lines
    .map(l => `${l.timeStamp} ${l.content}`)
    .join('\n')
    .concat(logs.lines.length ? '\n' : '');
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.log"`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/** A followed log: the first upstream answer is awaited this long before the stream opens. */
const FIRST_ANSWER_WAIT_MS = 2000;

/** An open, followed log whose first answer (or its absence so far) is known. */
export interface FollowedLog {
  abort: AbortController;
  iterator: AsyncIterator<ApplicationLogEntry>;
  first: Promise<IteratorResult<ApplicationLogEntry>>;
}

/**
 * Opens a followed log. Argo CD's refusal (403, 404) comes before any line, so it is awaited
 * briefly and thrown here, while the route can still answer with its status; a quiet
 * container's stream opens without waiting for its first line.
 */
export async function openFollowedLog(
  visible: VisibleApplication,
  ask: PodLogsRequest,
): Promise<FollowedLog> {
  const abort = new AbortController();
  const iterator = logsOf(visible, ask)(abort.signal)[Symbol.asyncIterator]();
  const first = iterator.next();
  // Awaited again by the sender; this only keeps a late refusal from counting as unhandled.
  first.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      first,
      new Promise(resolve => {
        timer = setTimeout(resolve, FIRST_ANSWER_WAIT_MS);
      }),
    ]);
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { abort, iterator, first };
}

/**
 * Sends a followed log as server-sent events (`log`, `error`, `end`) until the container's
 * log ends, the browser leaves (the upstream stream is then aborted at once), or the stream
 * reaches its time or byte limit.
 */
export async function sendFollowedLog(
  res: Response,
  log: FollowedLog,
): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const { abort } = log;
  const stop = () => abort.abort();
  // The browser left (or the response ended): the upstream stream stops following at once.
  res.on('close', stop);
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    stop();
  }, POD_LOG_LIMITS.maxFollowMs);
  limit.unref?.();
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  let bytes = 0;
  let overBytes = false;
  try {
    let next = await log.first;
    while (!next.done && !abort.signal.aborted) {
      const line = lineOf(next.value);
      bytes += Buffer.byteLength(line.content) + 1;
      if (bytes > POD_LOG_LIMITS.maxFollowBytes) {
        overBytes = true;
        break;
      }
      send('log', line);
      next = await log.iterator.next();
    }
    if (overBytes) {
      send('error', {
        message: `Stopped following after ${
          POD_LOG_LIMITS.maxFollowBytes / 1024 / 1024
        } MiB; follow again to continue`,
      });
    } else if (timedOut) {
      send('error', {
        message: `Stopped following after ${
          POD_LOG_LIMITS.maxFollowMs / 60_000
        } minutes; follow again to continue`,
      });
    } else if (!abort.signal.aborted) {
      send('end', {});
    }
  } catch (error) {
    if (!res.destroyed) {
      send('error', {
        message: isError(error) ? error.message : String(error),
      });
    }
  } finally {
    clearTimeout(limit);
    abort.abort();
    await log.iterator.return?.(undefined);
    res.end();
  }
}
