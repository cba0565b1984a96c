import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openHttpRequest } from './openHttpRequest';

/**
 * A server that answers the first request on each connection and, like a server or proxy
 * closing an idle keep-alive socket just as the next request goes out, resets the
 * connection on any later one without answering.
 */
async function closingServer() {
  const seen = new WeakMap<object, number>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    requests.push(`${req.method} #${n}`);
    if (n > 1) {
      req.socket.destroy();
      return;
    }
    res.end('ok');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
  );
  return { server, url, requests };
}

describe('openHttpRequest', () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => agent.destroy());

  const send = (url: URL, method: 'GET' | 'POST') =>
    openHttpRequest({
      url,
      method,
      headers: {},
      agent,
      signal: new AbortController().signal,
    }).then(r => r.text());

  it('sends a GET once more when the reused keep-alive socket was closed under it', async () => {
    const { server, url, requests } = await closingServer();
    try {
      expect(await send(url, 'GET')).toBe('ok');
      // The same idle socket is reused, reset, and the GET goes out again on a new one.
      expect(await send(url, 'GET')).toBe('ok');
      expect(requests).toEqual(['GET #1', 'GET #2', 'GET #1']);
    } finally {
      agent.destroy();
      server.close();
    }
  });

  it('never sends anything but a GET twice', async () => {
    const { server, url, requests } = await closingServer();
    try {
      expect(await send(url, 'GET')).toBe('ok');
      await expect(send(url, 'POST')).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
      expect(requests).toEqual(['GET #1', 'POST #2']);
    } finally {
      agent.destroy();
      server.close();
    }
  });
});
