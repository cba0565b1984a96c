import { ArgoCdFake } from '../fake/ArgoCdFake';
import { SimpleController } from '../fake/SimpleController';
import { buildApplication } from '../builders/buildApplication';
import { buildCluster } from '../builders/buildCluster';
import { buildTenantProject } from '../builders/buildTenantProject';

export const BASE = 'http://argocd.test';

/** Two tenants with two apps each, plus tokens for the admin and each tenant's role. */
export function seededFake(options: { now?: () => Date } = {}) {
  const controller = new SimpleController({ stepMs: 5 });
  const fake = new ArgoCdFake({ controller, now: options.now });
  for (const tenant of ['acme', 'globex']) {
    fake.putProject(
      buildTenantProject({
        tenant,
        roles: [
          { name: 'backstage' },
          {
            name: 'viewer',
            policies: [
              `p, proj:tenant-${tenant}:viewer, applications, get, tenant-${tenant}/*, allow`,
            ],
          },
        ],
      }),
    );
    for (const env of ['dev', 'prod']) {
      fake.putCluster(buildCluster({ tenant, environment: env }));
    }
  }
  fake.putApplication(
    buildApplication({
      name: 'acme-web-dev',
      tenant: 'acme',
      component: 'acme-web',
      syncPolicy: 'auto',
    }),
  );
  fake.putApplication(
    buildApplication({
      name: 'acme-web-prod',
      tenant: 'acme',
      component: 'acme-web',
      environment: 'prod',
      syncStatus: 'OutOfSync',
    }),
  );
  fake.putApplication(
    buildApplication({
      name: 'globex-shop-dev',
      tenant: 'globex',
      component: 'globex-shop',
      syncPolicy: 'auto-prune',
    }),
  );
  fake.putApplication(
    buildApplication({
      name: 'globex-shop-prod',
      tenant: 'globex',
      component: 'globex-shop',
      environment: 'prod',
      health: 'Degraded',
    }),
  );
  const tokens = {
    admin: ArgoCdFake.adminToken,
    acme: fake.issueToken('proj:tenant-acme:backstage'),
    acmeViewer: fake.issueToken('proj:tenant-acme:viewer'),
    globex: fake.issueToken('proj:tenant-globex:backstage'),
  };
  return { fake, controller, tokens };
}

export async function call(
  fake: ArgoCdFake,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<{
  status: number;
  contentType: string | null;
  text: string;
  json: any;
}> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (method !== 'GET' && !('content-type' in headers))
    headers['content-type'] = 'application/json';
  const response = await fake.handle(
    new Request(`${BASE}${path}`, {
      method,
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
  );
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json,
  };
}

/** Reads NDJSON lines from a streaming response until `count` lines arrived. */
export async function readLines(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  count: number,
  buffer = { text: '' },
): Promise<any[]> {
  const decoder = new TextDecoder();
  const lines: any[] = [];
  for (;;) {
    let newline = buffer.text.indexOf('\n');
    while (newline !== -1 && lines.length < count) {
      lines.push(JSON.parse(buffer.text.slice(0, newline)));
      buffer.text = buffer.text.slice(newline + 1);
      newline = buffer.text.indexOf('\n');
    }
    if (lines.length >= count) return lines;
    const { value, done } = await reader.read();
    if (done) return lines;
    buffer.text += decoder.decode(value, { stream: true });
  }
}
