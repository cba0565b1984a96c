// The Application watch stream (`/api/v1/stream/applications`).
import { StreamFraming } from './streams';
import { resultJsonWriter } from './streamFields';
import { parseFields } from './listFields';
import { type BufferedEvent, WatchBuffer } from './watchBuffer';
import {
  type RouteContext,
  type Watcher,
  keyOf,
  type FakeServer,
} from './fakeServer';

/**
 * `Server.Watch` (argo-cd v3.5.1 `server/application/application.go`), in its order: without
 * a resourceVersion, or for one app by name, it lists the apps when the request comes, sends
 * each permitted one as ADDED (sorted by qualified name; never dropped, one at a time at the
 * pace the client reads, as `ws.Send` does) and only then subscribes to the broadcaster with
 * its own bounded buffer; with a resourceVersion (and no name) it subscribes at once. So a
 * change made while the initial events are being sent reaches this stream neither in them
 * (they are the listed apps) nor as an event: a client finds it only by listing again. Events
 * taken from the buffer are filtered only when sent.
 */
export function watchRoute(s: FakeServer, ctx: RouteContext): Response {
  const claims = s.claims(ctx);
  const filter = s.listFilter(ctx.url, claims);
  const framing = new StreamFraming(ctx.request.headers.get('accept'));
  const q = ctx.url.searchParams;
  const sendInitial = !q.get('resourceVersion') || Boolean(q.get('name'));
  const minVersion = Number.parseInt(q.get('resourceVersion') ?? '', 10) || 0;
  const resultJson = resultJsonWriter(parseFields(q.get('fields')));
  const stop = new AbortController();
  const lastSent = new Map<string, string>();
  let failure: Uint8Array | undefined;
  let open = true;
  let streamController: ReadableStreamDefaultController<Uint8Array>;

  const frameOf = (event: BufferedEvent): Uint8Array | undefined => {
    const app = event.application;
    if (!filter(app)) return undefined;
    // `isApplicationPermitted`: with a resourceVersion, older objects are not sent again.
    if (
      minVersion > 0 &&
      Number(app.metadata.resourceVersion ?? 0) < minVersion
    ) {
      return undefined;
    }
    // argoproj/pkg's stream forwarder drops a message whose marshalled, projected bytes
    // equal the last ones sent for the same app name: with `fields=` that leaves out
    // `reconciledAt`, reconcile churn sends nothing.
    const json = resultJson({ type: event.type, application: app });
    const name = app.metadata.name ?? '';
    if (lastSent.get(name) === json) return undefined;
    lastSent.set(name, json);
    return framing.resultJson(json);
  };
  const watcher: Watcher = {
    buffer: new WatchBuffer(s.watchBufferSize),
    fail: error => {
      if (!open) return;
      failure = framing.error(error.toStreamError());
      s.watchers.delete(watcher);
      s.subscriptions.delete(watcher.buffer);
      stop.abort();
    },
    close: () => {
      if (!open) return;
      open = false;
      s.watchers.delete(watcher);
      s.subscriptions.delete(watcher.buffer);
      stop.abort();
      try {
        streamController.close();
      } catch {
        // already closed by the consumer
      }
    },
  };
  const close = watcher.close;

  let initial = sendInitial
    ? [...s.apps.values()].sort((a, b) =>
        keyOf(a.metadata.namespace ?? '', a.metadata.name ?? '').localeCompare(
          keyOf(b.metadata.namespace ?? '', b.metadata.name ?? ''),
        ),
      )
    : undefined;
  let sentInitial = 0;
  /**
   * The next initial ADDED frame, skipping apps this stream may not see; once there is none,
   * the stream subscribes (unless it failed or closed meanwhile) and this answers undefined.
   */
  const nextInitialFrame = async (): Promise<Uint8Array | undefined> => {
    while (initial && open && sentInitial < initial.length) {
      // Argo CD's server goes on serving others while it sends a burst: so does this one.
      if (sentInitial % 50 === 49)
        await new Promise(resolve => setImmediate(resolve));
      const frame = frameOf({
        type: 'ADDED',
        application: initial[sentInitial++],
      });
      if (frame) return frame;
    }
    initial = undefined;
    if (open && !stop.signal.aborted) s.subscriptions.add(watcher.buffer);
    return undefined;
  };
  s.watchers.add(watcher);

  // The frame `ws.Send` is blocked on until the client reads it.
  let pendingInitial: Uint8Array | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      start: async controller => {
        streamController = controller;
        ctx.request.signal.addEventListener('abort', close);
        const keepalive = framing.keepalive();
        if (keepalive) {
          const timer = setInterval(() => {
            if (open) controller.enqueue(keepalive);
          }, s.sseKeepaliveMs);
          timer.unref?.();
          stop.signal.addEventListener('abort', () => clearInterval(timer));
        }
        pendingInitial = await nextInitialFrame();
      },
      pull: async controller => {
        if (pendingInitial) {
          controller.enqueue(pendingInitial);
          pendingInitial = await nextInitialFrame();
          return;
        }
        for (;;) {
          const event = await watcher.buffer.take(stop.signal);
          if (!event) {
            if (failure) {
              controller.enqueue(failure);
              failure = undefined;
            }
            close();
            return;
          }
          const frame = frameOf(event);
          if (frame) {
            controller.enqueue(frame);
            return;
          }
        }
      },
      cancel: () => close(),
    },
    // Nothing queued ahead of the reader: the buffer above is the only one, as in Argo CD.
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': framing.contentType,
      'cache-control': 'no-cache',
    },
  });
}
