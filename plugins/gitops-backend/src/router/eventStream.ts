import type { Entity } from '@backstage/catalog-model';
import type {
  ApplicationsEvent,
  EntityApplicationsResponse,
} from '@kupe/plugin-gitops-common';
import type { Request, Response } from 'express';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexChange } from '../applicationIndex/InstanceIndex';
import {
  type EntityApplicationSpec,
  readEntityApplicationSpec,
} from '../service/entityApplicationSpec';
import { EntitySpecIndex } from '../service/EntitySpecIndex';

// An event stream re-checks nothing once open; closing it now and then makes the browser
// reconnect with fresh credentials, so revoked access does not linger.
const MAX_EVENT_STREAM_MS = 10 * 60_000;
const EVENT_DEBOUNCE_MS = 200;

export interface EventStreamTarget {
  entity: Entity;
  entityRef: string;
  /** Instances the entity's apps may live on. */
  instances: Set<string>;
}

interface StreamSubscription {
  instances: ReadonlySet<string>;
  listener: () => void;
}

/**
 * The index's changes, handed to the open event streams they can alter: one index listener
 * for every stream, which finds the streams a change concerns by their entity's spec. A
 * change concerns a stream when it is on one of the stream's instances and names no apps
 * (freshness, a whole listing), or names apps (before or after the change) the entity's
 * spec selects. Tenant and permission filtering come later, in the stream's load; this is
 * only the cheap superset that decides whether to load at all.
 */
export class EventStreamChanges {
  readonly #streams = new EntitySpecIndex<StreamSubscription>();

  constructor(index: Pick<ApplicationIndex, 'subscribe'>) {
    index.subscribe((instance, change) => this.#dispatch(instance, change));
  }

  /** Calls `listener` on every change that concerns `spec` on one of `instances`. */
  subscribe(
    spec: EntityApplicationSpec,
    instances: ReadonlySet<string>,
    listener: () => void,
  ): () => void {
    const subscription = { instances, listener };
    this.#streams.add(subscription, spec);
    return () => this.#streams.delete(subscription);
  }

  #dispatch(instance: string, change: IndexChange | undefined): void {
    const concerned = change
      ? this.#streams.selecting(change.apps)
      : [...this.#streams.values()];
    for (const { instances, listener } of concerned)
      if (instances.has(instance)) listener();
  }
}

/**
 * The same state but for ages, which tick on every read: only real changes (including turning
 * stale) are news.
 */
function sameState(
  a: EntityApplicationsResponse,
  b: EntityApplicationsResponse,
): boolean {
  const withoutAges = (body: EntityApplicationsResponse) =>
    JSON.stringify({
      ...body,
      items: body.items.map(({ ageMs: _age, ...rest }) => rest),
    });
  return withoutAges(a) === withoutAges(b);
}

/**
 * Server-sent events of one entity's applications: the first state at once, then a new one
 * whenever a change of the index concerns the entity and alters what it shows. Changes of
 * other entities' apps wake nothing here, so neither the load nor its permission calls run
 * for them; the index itself reports nothing for events that change nothing visible.
 */
export function openEventStream(
  req: Request,
  res: Response,
  options: {
    changes: EventStreamChanges;
    /** The entity's answer as the list route gives it to the stream's user. */
    load: () => Promise<EntityApplicationsResponse>;
    heartbeatMs: number;
    stream: EventStreamTarget;
    /**
     * Changes of an entity that are not the index's (its quarantines), by entity ref: the
     * entity's stream loads again on one of its own.
     */
    subscribeEntityChanges?: (
      listener: (entityRef: string) => void,
    ) => () => void;
  },
): void {
  const { changes, load, stream } = options;
  // Already validated by the caller before the stream opened.
  const spec = readEntityApplicationSpec(stream.entity);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  // Not flushed on their own: the headers go out with the first state, in one write instead
  // of two. The client waits for that state anyway; it is the same answer as the page's list.

  let closed = false;
  // What the stream showed last; compared only when there is a next state to send.
  let last: EntityApplicationsResponse | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  const push = async () => {
    try {
      const body = await load();
      if (closed || (last && sameState(last, body))) return;
      last = body;
      const event: ApplicationsEvent = {
        entityRef: stream.entityRef,
        ...body,
      };
      res.write(`event: applications\ndata: ${JSON.stringify(event)}\n\n`);
    } catch (error) {
      if (!closed) {
        res.write(
          `event: error\ndata: ${JSON.stringify({
            message: (error as Error).message,
          })}\n\n`,
        );
      }
    }
  };
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = (running ?? Promise.resolve()).then(push);
    }, EVENT_DEBOUNCE_MS);
  };

  const unsubscribe = changes.subscribe(spec, stream.instances, schedule);
  const unsubscribeEntity = options.subscribeEntityChanges?.(entityRef => {
    if (entityRef === stream.entityRef) schedule();
  });
  const heartbeat = setInterval(
    () => res.write(': heartbeat\n\n'),
    options.heartbeatMs,
  );
  const lifetime = setTimeout(() => res.end(), MAX_EVENT_STREAM_MS);
  const cleanup = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unsubscribeEntity?.();
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    if (timer) clearTimeout(timer);
  };
  // The response closes with the connection (the browser leaving, or the server's end).
  // The request's own 'close' is not that: it comes once the request is read to its end,
  // which it is right here.
  res.on('close', cleanup);
  // A GET has no body to read: reading it to its end lets Node let go of the request now, so
  // the connection's close later aborts nothing (an abort is an error whose stack Node formats,
  // on every view a browser leaves).
  req.resume();
  running = push();
}
