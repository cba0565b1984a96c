import http from 'node:http';
import https from 'node:https';
import { createArgoCdAgent } from './createArgoCdAgent';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('createArgoCdAgent', () => {
  it('trusts the configured CA and verifies TLS by default', () => {
    const agent = createArgoCdAgent({
      url: 'https://argocd.example.com',
      caCert: CA,
    });
    expect(agent).toBeInstanceOf(https.Agent);
    expect((agent as https.Agent).options).toMatchObject({
      ca: CA,
      rejectUnauthorized: true,
    });
  });

  it('skips TLS verification only when asked to', () => {
    const agent = createArgoCdAgent({
      url: 'https://argocd.example.com',
      skipTlsVerify: true,
    });
    expect((agent as https.Agent).options).toMatchObject({
      rejectUnauthorized: false,
    });
    expect((agent as https.Agent).options.ca).toBeUndefined();
  });

  it('uses a plain HTTP agent for http URLs', () => {
    const agent = createArgoCdAgent({ url: 'http://argocd.local:8080' });
    expect(agent).toBeInstanceOf(http.Agent);
    expect(agent).not.toBeInstanceOf(https.Agent);
  });
});
