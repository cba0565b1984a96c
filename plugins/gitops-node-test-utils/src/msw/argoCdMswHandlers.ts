import { http, type HttpHandler } from 'msw';
import type { ArgoCdFake } from '../fake/ArgoCdFake';

/**
 * msw 2 handlers that answer every request under `baseUrl` from the fake. A path prefix in
 * `baseUrl` (Argo CD behind `--rootpath`) is removed before the fake routes the request.
 * Streaming responses pass through unbuffered, so watch streams work.
 *
 * @public
 */
export function argoCdMswHandlers(
  fake: ArgoCdFake,
  baseUrl: string,
): HttpHandler[] {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return [
    http.all(`${base.origin}${prefix}/*`, async ({ request }) => {
      if (!prefix) return fake.handle(request);
      const url = new URL(request.url);
      url.pathname = url.pathname.slice(prefix.length) || '/';
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      return fake.handle(
        new Request(url, {
          method: request.method,
          headers: request.headers,
          body: hasBody ? await request.arrayBuffer() : undefined,
          signal: request.signal,
        }),
      );
    }),
  ];
}
