import { http, type HttpHandler } from 'msw';
import type { GitHubFake } from './GitHubFake';

/**
 * msw 2 handlers that answer every request under `baseUrl` (default the fake's `apiBaseUrl`)
 * from the fake, e.g. `gitHubMswHandlers(fake, { baseUrl: 'https://api.github.com' })` for
 * code that talks to github.com. The path below `baseUrl` is kept, its prefix replaced by
 * the fake's own API base.
 *
 * @public
 */
export function gitHubMswHandlers(
  fake: GitHubFake,
  options: { baseUrl?: string } = {},
): HttpHandler[] {
  const base = new URL(options.baseUrl ?? fake.apiBaseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return [
    http.all(`${base.origin}${prefix}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const target = new URL(
        `${fake.apiBaseUrl}${url.pathname.slice(prefix.length)}${url.search}`,
      );
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      return fake.handle(
        new Request(target, {
          method: request.method,
          headers: request.headers,
          body: hasBody ? await request.arrayBuffer() : undefined,
          signal: request.signal,
        }),
      );
    }),
  ];
}
