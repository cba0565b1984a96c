import { createHash } from 'node:crypto';
import type {
  ApplicationLogEntry,
  ApplicationTree,
  ManagedResourcesResponse,
  ResourceNode,
} from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode } from './errors';
import { StreamFraming } from './streams';

/**
 * Pod logs for the fake, as a cluster would hold them: each container of a pod in the app's
 * resource tree writes deterministic lines derived from its image (start-up, then one request
 * a second), and a release whose tag contains `broken` crashes on start and is restarted with
 * Kubernetes' back-off, so its current run shows the crash and `previous` the run before.
 */

/** Seconds between two request lines of a healthy container. */
const REQUEST_EVERY_MS = 1000;
/** What the kubelet keeps of a container's log (it rotates at 10 MiB): the last lines only. */
const KEPT_LINES = 10_000;
/** Kubernetes' crash-loop back-off tops out at five minutes. */
const MAX_BACKOFF_MS = 300_000;
/** argocd-cm `server.maxPodLogsToRender` default. */
const MAX_PODS_TO_RENDER = 10;
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** One container of a pod, as the fake knows it from the tree's `images`. */
export interface FakeContainer {
  name: string;
  image: string;
  tag: string;
}

/** A Pod node of the tree (a Pod always has a name). */
type PodNode = ResourceNode & { name: string };

interface LogLine {
  atMs: number;
  text: string;
}

function containerOfImage(name: string, image: string): FakeContainer {
  const at = image.lastIndexOf(':');
  const slash = image.lastIndexOf('/');
  return { name, image, tag: at > slash ? image.slice(at + 1) : 'latest' };
}

/** The pod template's containers of the workload that owns the pod, from its live manifest. */
function templateContainers(
  tree: ApplicationTree,
  managed: ManagedResourcesResponse | undefined,
  pod: ResourceNode,
): FakeContainer[] | undefined {
  const nodes = tree.nodes ?? [];
  let current: ResourceNode | undefined = pod;
  for (let depth = 0; current?.parentRefs?.length && depth < 5; depth++) {
    const ref: ResourceNode = current.parentRefs[0];
    const item = managed?.items?.find(
      i =>
        i.kind === ref.kind &&
        i.name === ref.name &&
        (i.namespace ?? '') === (ref.namespace ?? ''),
    );
    if (item?.liveState && item.liveState !== 'null') {
      const live = JSON.parse(item.liveState) as {
        spec?: {
          template?: {
            spec?: { containers?: Array<{ name: string; image: string }> };
          };
        };
      };
      const containers = live.spec?.template?.spec?.containers;
      if (containers?.length) {
        return containers.map(c => containerOfImage(c.name, c.image));
      }
    }
    current = nodes.find(
      n =>
        n.kind === ref.kind &&
        n.name === ref.name &&
        (n.namespace ?? '') === (ref.namespace ?? ''),
    );
  }
  return undefined;
}

/**
 * Containers of a pod as the kubelet runs them: those of its workload's pod template (a
 * Deployment's, through its ReplicaSet) when the app manages it, else one per image of the
 * tree's node, named after the image's last path segment.
 */
export function containersOf(
  pod: ResourceNode,
  tree: ApplicationTree = { nodes: [] },
  managed?: ManagedResourcesResponse,
): FakeContainer[] {
  return (
    templateContainers(tree, managed, pod) ??
    (pod.images ?? []).map(image => {
      const repo = image.slice(
        0,
        image.lastIndexOf(':') > image.lastIndexOf('/')
          ? image.lastIndexOf(':')
          : image.length,
      );
      return containerOfImage(repo.slice(repo.lastIndexOf('/') + 1), image);
    })
  );
}

/** Whether a container's release crashes on start (the sandbox's `*broken*` tags). */
export function isCrashingRelease(container: FakeContainer): boolean {
  return container.tag.includes('broken');
}

function hashOf(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}

const PATHS = ['/healthz', '/api/orders', '/api/items', '/api/users/me'];

function requestLine(pod: string, container: FakeContainer, n: number): string {
  const h = hashOf(`${pod}/${container.name}/${n}`);
  const path = PATHS[h % PATHS.length];
  const status = h % 97 === 0 ? 500 : 200;
  return `level=info msg="request" method=GET path=${path} status=${status} duration=${
    (h % 40) + 2
  }ms version=${container.tag}`;
}

const startTexts = (container: FakeContainer) => [
  `level=info msg="starting ${container.name}" version=${container.tag} image=${container.image}`,
  `level=info msg="loaded configuration" file=/etc/${container.name}/config.yaml`,
];

function startLines(container: FakeContainer, startMs: number): LogLine[] {
  return startTexts(container).map((text, i) => ({
    atMs: startMs + i * 10,
    text,
  }));
}

function crashLines(container: FakeContainer, startMs: number): LogLine[] {
  return [
    ...startTexts(container),
    `level=error msg="cannot connect to database" error="dial tcp 10.0.12.7:5432: connect: connection refused" version=${container.tag}`,
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b2f4e]',
    'goroutine 1 [running]:',
    `main.main()\n\t/src/cmd/${container.name}/main.go:42 +0x1ce`,
  ].map((text, i) => ({ atMs: startMs + i * 10, text }));
}

/** Start times of a crash-looping container's runs up to `nowMs` (10 s, 20 s, 40 s... apart). */
export function crashRunStarts(createdMs: number, nowMs: number): number[] {
  const starts = [createdMs];
  let backoff = 10_000;
  while (starts[starts.length - 1] + backoff <= nowMs) {
    starts.push(starts[starts.length - 1] + backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
  return starts;
}

/** How many times a crash-looping container was restarted by `nowMs`. */
export function restartCount(createdMs: number, nowMs: number): number {
  return crashRunStarts(createdMs, nowMs).length - 1;
}

/** The log of one run of a container up to `nowMs`, the last {@link KEPT_LINES} lines. */
function runLines(
  pod: string,
  container: FakeContainer,
  startMs: number,
  nowMs: number,
): LogLine[] {
  if (isCrashingRelease(container)) return crashLines(container, startMs);
  const lines = startLines(container, startMs);
  lines.push({
    atMs: startMs + 100,
    text: `level=info msg="listening" addr=:8080 version=${container.tag}`,
  });
  const last = Math.floor((nowMs - startMs) / REQUEST_EVERY_MS);
  const first = Math.max(1, last - KEPT_LINES + 1);
  for (let n = first; n <= last; n++) {
    lines.push({
      atMs: startMs + n * REQUEST_EVERY_MS,
      text: requestLine(pod, container, n),
    });
  }
  return lines.slice(-KEPT_LINES);
}

/** The options of one logs request, as Argo CD parses them. */
export interface FakeLogQuery {
  namespace?: string;
  podName?: string;
  kind?: string;
  group?: string;
  resourceName?: string;
  container?: string;
  sinceSeconds?: number;
  tailLines?: number;
  follow: boolean;
  previous: boolean;
  filter?: string;
  matchCase: boolean;
}

/** `PodLogs`' reading of the query string (`podName` means kind Pod, that name). */
export function parseLogQuery(q: URLSearchParams): FakeLogQuery {
  const positive = (key: string) => {
    const value = Number.parseInt(q.get(key) ?? '', 10);
    return value > 0 ? value : undefined;
  };
  const podName = q.get('podName') || undefined;
  return {
    namespace: q.get('namespace') || undefined,
    podName,
    kind: podName ? 'Pod' : q.get('kind') || undefined,
    group: q.get('group') || undefined,
    resourceName: podName ?? (q.get('resourceName') || undefined),
    container: q.get('container') || undefined,
    sinceSeconds: positive('sinceSeconds'),
    tailLines: positive('tailLines'),
    follow: q.get('follow') === 'true',
    previous: q.get('previous') === 'true',
    filter: q.get('filter') || undefined,
    matchCase: q.get('matchCase') === 'true',
  };
}

/** `getSelectedPods`: pods of the tree that match the query, or whose ancestors do. */
export function selectPods(
  tree: ApplicationTree,
  query: FakeLogQuery,
): PodNode[] {
  const nodes = tree.nodes ?? [];
  const matches = (n: ResourceNode, seen: Set<ResourceNode>): boolean => {
    if (
      (!query.resourceName || n.name === query.resourceName) &&
      (!query.kind || n.kind === query.kind) &&
      (!query.group || (n.group ?? '') === query.group) &&
      (!query.namespace || n.namespace === query.namespace)
    ) {
      return true;
    }
    seen.add(n);
    return (n.parentRefs ?? []).some(ref =>
      nodes.some(
        p =>
          !seen.has(p) &&
          p.namespace === ref.namespace &&
          p.name === ref.name &&
          (p.group ?? '') === (ref.group ?? '') &&
          p.kind === ref.kind &&
          matches(p, seen),
      ),
    );
  };
  return nodes.filter(
    (n): n is PodNode =>
      n.kind === 'Pod' &&
      !n.group &&
      Boolean(n.uid && n.name) &&
      matches(n, new Set()),
  );
}

function rfc3339Nano(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}

function entryOf(podName: string, atMs: number, text: string) {
  const timeStamp = `${new Date(atMs).toISOString().slice(0, 19)}Z`;
  return {
    content: text,
    timeStamp,
    timeStampStr: rfc3339Nano(atMs),
    podName,
    last: false,
  } satisfies ApplicationLogEntry;
}

/** What the kubelet answers for one container, or the error Argo CD sends as a line. */
function containerLog(
  pod: PodNode,
  containers: FakeContainer[],
  query: FakeLogQuery,
  nowMs: number,
): { lines: LogLine[]; container?: FakeContainer; error?: string } {
  let container: FakeContainer | undefined;
  if (query.container) {
    container = containers.find(c => c.name === query.container);
    if (!container) {
      return {
        lines: [],
        error: `container ${query.container} is not valid for pod ${pod.name}`,
      };
    }
  } else if (containers.length === 1) {
    container = containers[0];
  } else {
    return {
      lines: [],
      error: `a container name must be specified for pod ${
        pod.name
      }, choose one of: [${containers.map(c => c.name).join(' ')}]`,
    };
  }
  const createdMs = Date.parse(pod.createdAt ?? '') || nowMs;
  const crashing = isCrashingRelease(container);
  const starts = crashing ? crashRunStarts(createdMs, nowMs) : [createdMs];
  if (query.previous && starts.length < 2) {
    return {
      lines: [],
      error: `previous terminated container "${container.name}" in pod "${pod.name}" not found`,
    };
  }
  const runStart = starts[starts.length - (query.previous ? 2 : 1)];
  return {
    container,
    lines: runLines(pod.name, container, runStart, nowMs).filter(
      l => l.atMs <= nowMs,
    ),
  };
}

/** The dependencies the logs route takes from the fake. */
export interface PodLogsRouteContext {
  request: Request;
  url: URL;
  nowMs: () => number;
  /**
   * Looks the app up and enforces `applications, get` then `logs, get`; returns its tree and
   * managed resources (the pods' templates).
   */
  authorize: () => { tree: ApplicationTree; managed: ManagedResourcesResponse };
}

/**
 * `GET /api/v1/applications/{name}/logs` (`Server.PodLogs`): RBAC first (a missing or foreign
 * app as `getAppEnforceRBAC` answers, then a detailed 403 for `logs, get`), then the pods of
 * the tree the query selects; none selected is an empty 200 body. Lines are filtered and cut
 * as the kubelet does (since, tail), each sent as `{"result": LogEntry}`, then one `last`
 * entry; with `follow` a healthy container writes a new request line every second until the
 * client goes away. An error before the first line is a stream error with its HTTP status.
 */
export function podLogsResponse(ctx: PodLogsRouteContext): Response {
  const framing = new StreamFraming(ctx.request.headers.get('accept'));
  const query = parseLogQuery(ctx.url.searchParams);
  let pods: PodNode[];
  let app: { tree: ApplicationTree; managed: ManagedResourcesResponse };
  try {
    app = ctx.authorize();
    pods = selectPods(app.tree, query);
    if (pods.length > MAX_PODS_TO_RENDER) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        'max pods to view logs are reached. Please provide more granular query',
      );
    }
  } catch (error) {
    if (!(error instanceof ArgoCdApiError)) throw error;
    return new Response(framing.error(error.toStreamError()), {
      status: error.httpStatus,
      headers: { 'content-type': framing.contentType },
    });
  }
  const headers = { 'content-type': framing.contentType };
  if (pods.length === 0) return new Response('', { headers });

  const wanted = (text: string) => {
    if (!query.filter) return true;
    const inverse = query.filter.startsWith('!');
    const literal = inverse ? query.filter.slice(1) : query.filter;
    const contains = query.matchCase
      ? text.includes(literal)
      : text.toLowerCase().includes(literal.toLowerCase());
    return inverse ? !contains : contains;
  };
  const nowMs = ctx.nowMs();
  const frames: Uint8Array[] = [];
  const followed: Array<{ pod: PodNode; container: FakeContainer }> = [];
  const entries: Array<ReturnType<typeof entryOf>> = [];
  for (const pod of pods) {
    const containers = containersOf(pod, app.tree, app.managed);
    const log = containerLog(pod, containers, query, nowMs);
    if (log.error) {
      entries.push({
        ...entryOf(pod.name, 0, log.error),
        timeStamp: ZERO_TIME,
        timeStampStr: ZERO_TIME,
      });
      continue;
    }
    let lines = log.lines;
    if (query.sinceSeconds !== undefined) {
      const from = nowMs - query.sinceSeconds * 1000;
      lines = lines.filter(l => l.atMs >= from);
    }
    if (query.tailLines !== undefined) lines = lines.slice(-query.tailLines);
    for (const line of lines) {
      for (const part of line.text.split('\r')) {
        entries.push(entryOf(pod.name, line.atMs, part));
      }
    }
    if (
      query.follow &&
      !query.previous &&
      log.container &&
      !isCrashingRelease(log.container)
    ) {
      followed.push({ pod, container: log.container });
    }
  }
  entries.sort((a, b) => a.timeStampStr.localeCompare(b.timeStampStr));
  for (const entry of entries) {
    if (wanted(entry.content)) frames.push(framing.result(entry));
  }
  const lastEntry = () => {
    const at = ctx.nowMs();
    return framing.result({
      content: '',
      timeStamp: `${new Date(at).toISOString().slice(0, 19)}Z`,
      timeStampStr: rfc3339Nano(at),
      podName: '',
      last: true,
    });
  };
  if (followed.length === 0) {
    frames.push(lastEntry());
    return new Response(new Blob(frames as BlobPart[]).stream(), { headers });
  }

  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const body = new ReadableStream<Uint8Array>({
    start: controller => {
      for (const frame of frames) controller.enqueue(frame);
      let next = Math.floor(nowMs / REQUEST_EVERY_MS) + 1;
      timer = setInterval(() => {
        for (const { pod, container } of followed) {
          const createdMs = Date.parse(pod.createdAt ?? '') || nowMs;
          const n = next - Math.floor(createdMs / REQUEST_EVERY_MS);
          const text = requestLine(pod.name, container, n);
          if (wanted(text)) {
            controller.enqueue(
              framing.result(entryOf(pod.name, ctx.nowMs(), text)),
            );
          }
        }
        next += 1;
      }, REQUEST_EVERY_MS);
      timer.unref?.();
      ctx.request.signal.addEventListener('abort', () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      });
    },
    cancel: stop,
  });
  return new Response(body, { headers });
}
