import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { serveFetchHandler } from './serveFetchHandler';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('serveFetchHandler', () => {
  let server: Server | undefined;
  afterEach(() => new Promise(resolve => server?.close(resolve)));

  function serve(handler: (request: Request) => Promise<Response>) {
    server = createServer((req, res) => {
      void serveFetchHandler(req, res, 'http://127.0.0.1', handler);
    });
    return new Promise<string>(resolve =>
      server!.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
      ),
    );
  }

  it('ends an open stream when its client goes away, even after a collection', async () => {
    let cancelled = false;
    const origin = await serve(async () => {
      const body = new ReadableStream<Uint8Array>({
        start: controller => controller.enqueue(new TextEncoder().encode('a')),
        cancel: () => {
          cancelled = true;
        },
      });
      return new Response(body, { status: 200 });
    });
    await new Promise<void>(resolve => {
      const req = get(`${origin}/watch`, res => {
        res.once('data', () => {
          // Nothing but the server holds the Request now: a collection drops what only a
          // weak reference kept (the Request's signal following the bridge's abort).
          collectGarbage();
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
    });
    for (let i = 0; i < 50 && !cancelled; i++)
      await new Promise(resolve => setTimeout(resolve, 20));
    expect(cancelled).toBe(true);
  });

  it('aborts the request while the handler is still working when the client goes away', async () => {
    let aborted: Promise<void> | undefined;
    const origin = await serve(async request => {
      aborted = new Promise(resolve =>
        request.signal.addEventListener('abort', () => resolve()),
      );
      await aborted;
      return new Response('late');
    });
    const req = get(`${origin}/slow`);
    req.on('error', () => {});
    while (!aborted) await new Promise(resolve => setTimeout(resolve, 5));
    req.destroy();
    await expect(aborted).resolves.toBeUndefined();
  });

  it('streams the body and its headers back', async () => {
    const origin = await serve(async request =>
      Response.json(
        { method: request.method, path: new URL(request.url).pathname },
        { headers: { 'x-kind': 'double' } },
      ),
    );
    const res = await fetch(`${origin}/api/v1/applications`);
    expect(res.headers.get('x-kind')).toBe('double');
    expect(await res.json()).toEqual({
      method: 'GET',
      path: '/api/v1/applications',
    });
  });
});
