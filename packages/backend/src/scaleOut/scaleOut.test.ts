/*
 * Scale-out: two replicas of the real portal backend (separate processes) sharing one
 * PostgreSQL database and one Redis cache, in front of two Argo CD instances (doubles).
 * The servers come from scripts/services.sh (KUPE_TEST_POSTGRES_URL, KUPE_TEST_REDIS_URL);
 * without them the test fails in CI and is skipped, saying why, elsewhere.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JsonObject } from '@backstage/types';
import { type ArgoCdSandbox, startArgoCdSandbox } from '@kupe/gitops-sandbox';
import { SANDBOX_ADMIN_TOKEN } from '@kupe/gitops-sandbox';
import { Client } from 'pg';
import { type Replica, redisCommand, startReplica } from './replicas';

const POSTGRES_URL = process.env.KUPE_TEST_POSTGRES_URL;
const REDIS_URL = process.env.KUPE_TEST_REDIS_URL;
const MISSING = [
  !POSTGRES_URL && 'KUPE_TEST_POSTGRES_URL',
  !REDIS_URL && 'KUPE_TEST_REDIS_URL',
].filter(Boolean);
const REASON = `${MISSING.join(
  ' and ',
)} not set: start the servers with \`source scripts/services.sh && kupe_services_start\``;

/** The collator's schedule: short, so a few runs fit in the test. */
const COLLATION_FREQUENCY_MS = 6_000;
const INSTANCES = ['east', 'west'];
const TENANT = 'tenant000';
const COMPONENT = `${TENANT}-svc0`;

/** The catalog: alice develops for tenant000; its first component shows its Applications. */
const CATALOG_YAML = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: `${TENANT}-devs`,
      annotations: { 'kupe.cloud/tenant': TENANT },
    },
    spec: { type: 'team', children: [], members: ['alice'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice' },
    spec: { memberOf: [`${TENANT}-devs`] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: COMPONENT,
      annotations: {
        'kupe.cloud/tenant': TENANT,
        'argocd/app-selector': `backstage.io/kubernetes-id=${COMPONENT}`,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: `${TENANT}-devs` },
  },
]
  .map(e => JSON.stringify(e))
  .join('\n---\n');

function replicaConfig(options: {
  url: string;
  port: number;
  database: string;
  catalogFile: string;
  instances: ArgoCdSandbox[];
}): JsonObject {
  const database = new URL(POSTGRES_URL!);
  database.pathname = `/${options.database}`;
  return {
    app: {
      baseUrl: options.url,
      // No start-up reads of packages/app/dist (an e2e build may be rewriting it).
      disableConfigInjection: true,
      disableStaticFallbackCache: true,
    },
    backend: {
      baseUrl: options.url,
      listen: { host: '127.0.0.1', port: options.port },
      database: {
        client: 'pg',
        connection: database.toString(),
        // Every plugin a schema of the one test database (dropped afterwards).
        pluginDivisionMode: 'schema',
      },
      cache: { store: 'redis', connection: REDIS_URL! },
    },
    auth: {
      providers: {
        guest: {
          userEntityRef: 'user:default/alice',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    catalog: {
      rules: [{ allow: ['Component', 'User', 'Group', 'Location'] }],
      locations: [{ type: 'file', target: options.catalogFile }],
    },
    gitops: {
      instances: options.instances.map((sandbox, i) => ({
        name: INSTANCES[i],
        url: sandbox.url,
        token: SANDBOX_ADMIN_TOKEN,
      })),
      tenancy: {
        projectPattern: 'tenant-{tenant}',
        clusterPattern: '{tenant}-{cluster}',
      },
    },
    search: {
      collators: {
        gitops: {
          schedule: {
            initialDelay: { seconds: 3 },
            frequency: { milliseconds: COLLATION_FREQUENCY_MS },
            timeout: { minutes: 1 },
          },
        },
      },
    },
    permission: { enabled: true },
  };
}

/** Alice's token from a replica's guest sign-in, once the catalog knows her tenant group. */
async function signInAlice(replica: Replica): Promise<string> {
  const deadline = Date.now() + 120_000;
  let last = '';
  for (;;) {
    const res = await fetch(`${replica.url}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    last = `${res.status} ${await res.text()}`;
    if (res.ok) {
      const token: string = JSON.parse(last.slice(4)).backstageIdentity.token;
      // Ownership is not in the token; the auth backend's user info has it.
      const info = await fetch(`${replica.url}/api/auth/v1/userinfo`, {
        headers: { authorization: `Bearer ${token}` },
      });
      last = `userinfo ${info.status} ${await info.text()}`;
      if (last.includes(`group:default/${TENANT}-devs`)) return token;
    }
    if (Date.now() > deadline)
      throw new Error(`alice never signed in with her group: ${last}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * An answer without what each replica observed for itself: `outOfSyncSince` (when its index
 * first saw the app OutOfSync) and `ageMs` (how long its own watch has been down).
 */
const withoutReplicaObservations = (answer: any) => ({
  ...answer,
  items: answer.items.map(
    ({ outOfSyncSince: _since, ageMs: _age, ...item }: any) => item,
  ),
});

async function getJson(replica: Replica, token: string, path: string) {
  const res = await fetch(`${replica.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${replica.name} GET ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}: ${last ?? ''}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/**
 * Times of the collator's list calls: it lists with `fields`; the index lists without, and its
 * liveness check lists with `fields` that include the operation state, which the collator's
 * projection leaves out.
 */
function recordCollatorLists(sandbox: ArgoCdSandbox): number[] {
  const times: number[] = [];
  const requests = sandbox.fake.requests;
  const push = requests.push.bind(requests);
  requests.push = (...records) => {
    for (const r of records)
      if (
        r.path === '/api/v1/applications' &&
        r.query.has('fields') &&
        !r.search.includes('operationState')
      )
        times.push(Date.now());
    return push(...records);
  };
  return times;
}

const describeWithServers =
  MISSING.length === 0 || process.env.CI === 'true' ? describe : describe.skip;

if (MISSING.length > 0 && process.env.CI !== 'true') {
  // eslint-disable-next-line no-console
  console.warn(`Skipping the scale-out test: ${REASON}`);
}

describeWithServers('two backend replicas on PostgreSQL and Redis', () => {
  jest.setTimeout(600_000);

  let dir: string;
  let database: string;
  const sandboxes: ArgoCdSandbox[] = [];
  const collatorLists: number[][] = [];
  const replicas: Replica[] = [];
  let token: string;
  /** The most watch streams each instance had open at once, sampled through the test. */
  const mostStreams = INSTANCES.map(() => 0);
  let sampling: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    if (MISSING.length > 0) throw new Error(REASON);
    const t0 = performance.now();
    dir = await mkdtemp(join(tmpdir(), 'kupe-scale-out-'));
    const catalogFile = join(dir, 'catalog.yaml');
    await writeFile(catalogFile, CATALOG_YAML);

    database = `kupe_scale_out_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();

    for (const _ of INSTANCES) {
      const sandbox = await startArgoCdSandbox({
        port: 0,
        scale: { applications: 12, tenants: 2 },
      });
      sandboxes.push(sandbox);
      collatorLists.push(recordCollatorLists(sandbox));
    }
    sampling = setInterval(() => {
      sandboxes.forEach((sandbox, i) => {
        mostStreams[i] = Math.max(mostStreams[i], sandbox.fake.openStreams);
      });
    }, 50);
    // A rolling start: the first replica migrates the empty database, then the second joins.
    // (Two replicas starting at once on an empty database race on the migration tables.)
    const config = (url: string, port: number) =>
      replicaConfig({ url, port, database, catalogFile, instances: sandboxes });
    for (const name of ['replica-1', 'replica-2']) {
      replicas.push(
        await startReplica({ name, dir, readyTimeoutMs: 240_000, config }),
      );
      // eslint-disable-next-line no-console
      console.log(
        `${name} ready after ${Math.round(performance.now() - t0)} ms`,
      );
    }
    // A token from replica 1: replica 2 must accept it (keys are in the shared database).
    token = await signInAlice(replicas[0]);
  });

  afterAll(async () => {
    clearInterval(sampling);
    await Promise.all(replicas.map(r => r.stop()));
    await Promise.all(sandboxes.map(s => s.stop()));
    if (database) {
      const admin = new Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const entityApps = `/api/gitops/entities/default/component/${COMPONENT}/applications`;

  it('answers the same on both replicas, and both see an upstream change', async () => {
    const [first, second] = await eventually('both indexes', async () => {
      const answers = await Promise.all(
        replicas.map(r => getJson(r, token, entityApps)),
      );
      // three environments on each of the two instances
      return answers.every(a => a.items.length === 6) ? answers : undefined;
    });
    // Replicas that started apart disagree on `outOfSyncSince`, and on `ageMs` while one's
    // watch reconnects: compared apart (known divergences, see the README).
    expect(withoutReplicaObservations(second)).toEqual(
      withoutReplicaObservations(first),
    );
    expect(first.errors).toEqual([]);

    const tenants = await Promise.all(
      replicas.map(r => getJson(r, token, '/api/gitops/tenants')),
    );
    expect(tenants[1]).toEqual(tenants[0]);
    expect(JSON.stringify(tenants[0])).toContain(TENANT);
    // The tenant directory's cache entries are in Redis, where either replica reads them.
    const keys = (await redisCommand(
      REDIS_URL!,
      'KEYS',
      'gitops:*',
    )) as string[];
    expect(keys).toContain(
      `gitops:${Buffer.from(`tenant-info:east:${TENANT}`).toString('base64')}`,
    );

    // Flip one Application's sync status upstream; both watches must carry it.
    const target = first.items.find(
      (a: any) => a.instance === 'west' && a.sync.status === 'Synced',
    );
    expect(target).toBeDefined();
    sandboxes[1].fake.updateApplication(target.name, app => {
      app.status!.sync!.status = 'OutOfSync';
    });
    const after = await eventually(
      'the change on both replicas',
      async () => {
        const answers = await Promise.all(
          replicas.map(r => getJson(r, token, entityApps)),
        );
        const flipped = answers.every(
          a =>
            a.items.find(
              (i: any) => i.instance === 'west' && i.name === target.name,
            )?.sync.status === 'OutOfSync',
        );
        return flipped ? answers : undefined;
      },
      20_000,
    );
    expect(withoutReplicaObservations(after[1])).toEqual(
      withoutReplicaObservations(after[0]),
    );
  });

  it('answers errors without stack traces or server paths (NODE_ENV=production)', async () => {
    for (const path of [
      '/api/gitops/instances/east/applications/does-not-exist',
      '/api/gitops/instances/east/applications/..%2Fsettings',
      '/api/catalog/entities/by-name/component/default/does-not-exist',
    ]) {
      const res = await fetch(`${replicas[0].url}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await res.text();
      expect({ path, status: res.status >= 400 }).toEqual({
        path,
        status: true,
      });
      expect({ path, stack: JSON.parse(text).error.stack }).toEqual({
        path,
        stack: undefined,
      });
      expect(text).not.toContain(resolve(__dirname, '../../../..'));
    }
  });

  it('keeps one watch per Argo CD instance per replica', async () => {
    // Two replicas, one live stream each on each instance: 2 per instance, 4 in all. (A
    // replica whose stream drops reconnects, so wait for a moment when every stream is open.)
    await eventually('every watch open', async () =>
      sandboxes.every(s => s.fake.openStreams === 2) ? true : undefined,
    );
    // Never more than that at any moment since the replicas started, but for the watch on
    // which each replica reads Argo CD's re-send after its start, closed once it is in (the
    // replicas start one after the other, so at most one such watch per instance at a time).
    for (const most of mostStreams) {
      expect(most).toBeGreaterThanOrEqual(2);
      expect(most).toBeLessThanOrEqual(3);
    }
  });

  it('runs the search collation once per interval across the replicas, into a shared index', async () => {
    // Six collation intervals with both replicas up, each running the search plugin's
    // scheduler. The scheduler runs a global task at a fixed rate (a late run shortens the next
    // interval), so one run per interval across the replicas is 6 runs, give or take one (7
    // seen); per-replica schedules make about twice as many (13 seen with `scope: local`).
    const since = Date.now();
    const window = COLLATION_FREQUENCY_MS * 6;
    await new Promise(r => setTimeout(r, window));
    const runs = collatorLists.map(
      times => times.filter(t => t > since && t <= since + window).length,
    );
    // eslint-disable-next-line no-console
    console.log(`collation list calls per instance in ${window} ms: ${runs}`);
    for (const count of runs) {
      expect(count).toBeGreaterThanOrEqual(3);
      expect(count).toBeLessThanOrEqual(8);
    }

    // The search index is in PostgreSQL: both replicas find the same documents.
    const query = `/api/search/query?term=${COMPONENT}&types%5B0%5D=argocd-application`;
    const results = await eventually('search results', async () => {
      const answers = await Promise.all(
        replicas.map(r => getJson(r, token, query)),
      );
      return answers.every(a => a.results.length === 6) ? answers : undefined;
    });
    const titles = (a: any) =>
      a.results.map((r: any) => r.document.location).sort();
    expect(titles(results[1])).toEqual(titles(results[0]));
  });

  it('shares PostgreSQL and Redis', async () => {
    const url = new URL(POSTGRES_URL!);
    url.pathname = `/${database}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT current_database() AS db,
                (SELECT count(*) FROM search.documents WHERE type = 'argocd-application') AS documents,
                (SELECT array_agg(id) FROM search.backstage_backend_tasks__tasks) AS tasks`,
      );
      expect(rows[0].db).toBe(database);
      expect(Number(rows[0].documents)).toBeGreaterThan(0);
      expect(rows[0].tasks).toContain('search_index_argocd_application');
    } finally {
      await client.end();
    }

    // Each replica's cache holds a Redis connection (the test's own is the one more).
    const clients = (await redisCommand(
      REDIS_URL!,
      'CLIENT',
      'LIST',
    )) as string;
    expect(clients.trim().split('\n').length).toBeGreaterThanOrEqual(3);
  });
});
