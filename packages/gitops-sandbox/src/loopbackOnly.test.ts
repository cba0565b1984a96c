import { ConfigReader } from '@backstage/config';
import {
  backendListenHost,
  isLoopbackHost,
  requireLoopbackBackend,
} from './loopbackOnly';

const withListen = (listen: string | { host?: string; port: number }) =>
  new ConfigReader({ backend: { listen } });

describe('the sandbox’s loopback rule', () => {
  it('reads backend.listen as Backstage’s HTTP server does', () => {
    expect(backendListenHost(withListen(':7007'))).toBe('');
    expect(backendListenHost(withListen('7007'))).toBe('');
    expect(backendListenHost(withListen('127.0.0.1:7007'))).toBe('127.0.0.1');
    expect(backendListenHost(withListen({ port: 7007 }))).toBe('');
    expect(backendListenHost(withListen({ host: '::1', port: 7007 }))).toBe(
      '::1',
    );
    expect(backendListenHost(new ConfigReader({}))).toBe('');
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect({ host, loopback: isLoopbackHost(host) }).toEqual({
        host,
        loopback: true,
      });
    for (const host of ['', '0.0.0.0', '::', '10.0.0.5', 'portal.example.com'])
      expect({ host, loopback: isLoopbackHost(host) }).toEqual({
        host,
        loopback: false,
      });
  });

  it('refuses every interface and a network address, accepts loopback', () => {
    expect(() => requireLoopbackBackend(withListen(':7007'))).toThrow(
      /listens on every interface: the sandbox's password-less sign-in would be open to the network/,
    );
    expect(() =>
      requireLoopbackBackend(withListen({ host: '0.0.0.0', port: 7007 })),
    ).toThrow(/listens on '0.0.0.0'/);
    expect(() =>
      requireLoopbackBackend(withListen({ host: '127.0.0.1', port: 7007 })),
    ).not.toThrow();
  });
});
