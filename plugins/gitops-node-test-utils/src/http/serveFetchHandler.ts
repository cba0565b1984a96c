import type { IncomingMessage, ServerResponse } from 'node:http';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Bridges a Node HTTP request to a WHATWG `Request` handler and streams its `Response` back
 * chunk by chunk (watch streams stay open). A client that disconnects aborts the request's
 * signal and cancels the response's body, which ends the handler's streams.
 *
 * @public
 */
export async function serveFetchHandler(
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  handler: (request: Request) => Promise<Response>,
): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach(v => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const body =
    method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  const response = await handler(
    new Request(new URL(req.url ?? '/', origin), {
      method,
      headers,
      body,
      signal: abort.signal,
    }),
  );
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    outHeaders[name] =
      name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  res.writeHead(response.status, outHeaders);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A Request hears of `abort` only through a weak reference (undici), which a collection
  // can drop once the handler has returned: cancelling the body is what surely ends it.
  const cancel = () => void reader.cancel().catch(() => {});
  if (res.closed) cancel();
  else res.once('close', cancel);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      // Backpressure, as a Go server's blocking Write gives: without it a body produced
      // faster than the socket drains (a watch's initial ADDED burst) is read in one chain of
      // microtasks that starves the event loop until the whole body is in memory.
      if (!res.write(value))
        await new Promise<void>(resolve => {
          const resume = () => {
            res.off('drain', resume);
            res.off('close', resume);
            resolve();
          };
          res.on('drain', resume);
          res.on('close', resume);
        });
    }
  } catch {
    // the client went away mid-stream
  } finally {
    res.end();
  }
}
