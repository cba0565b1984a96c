import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestActivity } from './RequestActivity';

describe('RequestActivity', () => {
  afterEach(() => jest.useRealTimers());

  it('counts requests in and out, each once however often it ends', () => {
    const requests = new RequestActivity();
    const a = requests.begin();
    const b = requests.begin();
    expect(requests.inFlight).toBe(2);
    a();
    a();
    expect(requests.inFlight).toBe(1);
    b();
    expect(requests.inFlight).toBe(0);
  });

  it('is idle at once with none in flight, on the last one out, or after the longest wait', async () => {
    jest.useFakeTimers();
    const requests = new RequestActivity();
    let idle = false;
    await requests.idle(50);
    const a = requests.begin();
    const b = requests.begin();
    void requests.idle(50).then(() => (idle = true));
    a();
    await jest.advanceTimersByTimeAsync(10);
    expect(idle).toBe(false);
    b();
    await jest.advanceTimersByTimeAsync(0);
    expect(idle).toBe(true);

    // Under load that never stops, the wait ends at its bound.
    let bounded = false;
    const c = requests.begin();
    void requests.idle(50).then(() => (bounded = true));
    await jest.advanceTimersByTimeAsync(49);
    expect(bounded).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(bounded).toBe(true);
    c();
  });

  it('tracks a request until its answer starts: an event stream at its first write, a JSON answer at its end', async () => {
    const requests = new RequestActivity();
    const seen: Record<string, number> = {};
    const app = express();
    app.use(requests.track);
    app.get('/json', (_req, res) => {
      seen.json = requests.inFlight;
      res.json({ ok: true });
    });
    let release!: () => void;
    const released = new Promise<void>(resolve => (release = resolve));
    app.get('/events', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      seen.beforeFirstWrite = requests.inFlight;
      res.write('event: applications\ndata: {}\n\n');
      seen.afterFirstWrite = requests.inFlight;
      res.write(': heartbeat\n\n');
      seen.afterHeartbeat = requests.inFlight;
      await released;
      res.end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path, agent: false }, res => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', chunk => {
              body += chunk;
              if (body.includes('heartbeat')) release();
            });
            res.on('end', () => resolve(body));
          })
          .on('error', reject);
      });
    try {
      await get('/json');
      expect(seen.json).toBe(1);
      expect(requests.inFlight).toBe(0);
      await get('/events');
      expect(seen).toEqual({
        json: 1,
        beforeFirstWrite: 1,
        afterFirstWrite: 0,
        afterHeartbeat: 0,
      });
      expect(requests.inFlight).toBe(0);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  it('counts out a request whose connection closes before any answer', async () => {
    const requests = new RequestActivity();
    const app = express();
    app.use(requests.track);
    let arrived!: () => void;
    const arrival = new Promise<void>(resolve => (arrived = resolve));
    app.get('/slow', () => arrived());
    const server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const req = http.get({
        host: '127.0.0.1',
        port,
        path: '/slow',
        agent: false,
      });
      req.on('error', () => {});
      await arrival;
      expect(requests.inFlight).toBe(1);
      req.destroy();
      for (let i = 0; i < 100 && requests.inFlight > 0; i++)
        await new Promise(resolve => setTimeout(resolve, 10));
      expect(requests.inFlight).toBe(0);
    } finally {
      server.closeAllConnections?.();
      await new Promise(resolve => server.close(resolve));
    }
  });
});
