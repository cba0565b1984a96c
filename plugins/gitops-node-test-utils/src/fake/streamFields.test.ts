import { ArgoCdFake } from './ArgoCdFake';
import { SimpleController } from './SimpleController';
import { buildApplication } from '../builders/buildApplication';
import { BASE, readLines } from '../__testUtils__/seededFake';
import { resultJsonWriter } from './streamFields';
import { parseFields } from './listFields';

const project = (message: unknown, fields: string) =>
  JSON.parse(resultJsonWriter(parseFields(fields))(message));

describe('stream fields= projection (argoproj/pkg grpc/http/forwarders.go processItem)', () => {
  const message = {
    type: 'MODIFIED',
    application: {
      metadata: { name: 'web', namespace: 'argocd', uid: 'u1' },
      spec: { source: { repoURL: 'r' }, sources: [{ repoURL: 's' }] },
      status: {
        reconciledAt: '2026-01-01T00:00:00Z',
        resources: [
          {
            kind: 'Deployment',
            name: 'web',
            status: 'Synced',
            health: { status: 'Healthy' },
          },
          { kind: 'Service', name: 'web', status: 'Synced' },
        ],
        sync: { revisions: ['a', 'b'] },
      },
    },
  };

  it('keeps only asked-for paths, rooted at the result wrapper, and projects array elements', () => {
    expect(
      project(
        message,
        'result.type,result.application.metadata.name,result.application.status.resources.kind,result.application.status.sync.revisions',
      ),
    ).toEqual({
      result: {
        type: 'MODIFIED',
        application: {
          metadata: { name: 'web' },
          status: {
            resources: [{ kind: 'Deployment' }, { kind: 'Service' }],
            sync: { revisions: ['a', 'b'] },
          },
        },
      },
    });
  });

  it('keeps a key whose path is a string prefix of an asked path, as Go does', () => {
    // Asking for `…spec.sources` also keeps `spec.source`, whose path is a string prefix of
    // it, projected to nothing of its own; only the asked path stays whole.
    expect(
      project(message, 'result.application.spec.sources').result.application,
    ).toEqual({ spec: { source: {}, sources: [{ repoURL: 's' }] } });
  });

  it('removes listed paths with a leading minus', () => {
    const out = project(
      message,
      '-result.application.status.reconciledAt,result.application.metadata.uid',
    );
    expect(out.result.application.metadata).toEqual({
      name: 'web',
      namespace: 'argocd',
    });
    expect(out.result.application.status.reconciledAt).toBeUndefined();
    expect(out.result.application.status.resources).toHaveLength(2);
  });

  it('sends nothing for reconcile churn when the projection leaves reconciledAt out, as the forwarder dedupes projected bytes per app name', async () => {
    const fake = new ArgoCdFake({ controller: new SimpleController() });
    fake.putApplication(buildApplication({ name: 'web' }));
    const open = (query: string) =>
      fake
        .handle(
          new Request(`${BASE}/api/v1/stream/applications${query}`, {
            headers: { authorization: `Bearer ${ArgoCdFake.adminToken}` },
          }),
        )
        .then(r => r.body!.getReader());
    const projected = await open(
      `?fields=${encodeURIComponent(
        'result.type,result.application.metadata.name,result.application.metadata.labels',
      )}`,
    );
    const whole = await open('');
    const pb = { text: '' };
    const wb = { text: '' };
    const [added] = await readLines(projected, 1, pb);
    expect(added.result.type).toBe('ADDED');
    expect(Object.keys(added.result.application)).toEqual(['metadata']);
    expect(Object.keys(added.result.application.metadata).sort()).toEqual([
      'labels',
      'name',
    ]);
    await readLines(whole, 1, wb);

    // Three reconciles, then a label change. The first reconcile's message differs from the
    // ADDED one by its type, so it is sent; the next two are byte for byte the same: dropped.
    for (const second of ['01', '02', '03']) {
      fake.updateApplication('web', a => {
        a.status = { ...a.status, reconciledAt: `2026-02-01T00:00:${second}Z` };
      });
    }
    fake.updateApplication('web', a => {
      a.metadata.labels = { ...a.metadata.labels, team: 'a' };
    });
    const wholeLines = await readLines(whole, 4, wb);
    expect(wholeLines.map(l => l.result.type)).toEqual(
      Array(4).fill('MODIFIED'),
    );
    const [first, next] = await readLines(projected, 2, pb);
    expect(first.result.type).toBe('MODIFIED');
    expect(first.result.application.metadata.labels.team).toBeUndefined();
    expect(next.result.application.metadata.labels.team).toBe('a');
    await projected.cancel();
    await whole.cancel();
    fake.close();
  });
});

/**
 * The forwarder's algorithm as it was written here before the one-walk writer, line for line
 * from argoproj/pkg's `processItem` (JSON round trip, every asked path scanned per key): the
 * reference the writer must match byte for byte.
 */
function referenceResultJson(
  message: unknown,
  selection: { fields: ReadonlySet<string>; exclude: boolean },
): string {
  const processItem = (path: string[], item: unknown): void => {
    if (Array.isArray(item)) {
      for (const element of item) processItem(path, element);
      return;
    }
    if (item === null || typeof item !== 'object') return;
    const map = item as Record<string, unknown>;
    for (const key of Object.keys(map)) {
      const fieldPath = [...path, key].join('.');
      const pathIn = selection.fields.has(fieldPath);
      const parentPathIn =
        pathIn || [...selection.fields].some(f => f.startsWith(fieldPath));
      const keep = selection.exclude ? !pathIn : parentPathIn;
      if (!keep) delete map[key];
      else if (!pathIn) processItem([...path, key], map[key]);
    }
  };
  const data = JSON.parse(JSON.stringify({ result: message }));
  processItem([], data);
  return JSON.stringify(data);
}

describe('resultJsonWriter writes the bytes of the reference projection', () => {
  // The paths the portal's index watch asks for (gitops-backend INDEX_WATCH_FIELDS), plus the
  // list's kind of selection and an exclusion.
  const indexWatchFields = [
    'type',
    'application.metadata.name',
    'application.metadata.namespace',
    'application.metadata.labels',
    'application.metadata.annotations',
    'application.metadata.ownerReferences',
    'application.spec.project',
    'application.spec.destination',
    'application.spec.source',
    'application.spec.sources',
    'application.spec.syncPolicy',
    'application.status.sync.status',
    'application.status.sync.revision',
    'application.status.sync.revisions',
    'application.status.health',
    'application.status.summary',
    'application.status.history.revision',
    'application.status.history.revisions',
    'application.status.history.deployedAt',
    'application.status.operationState.phase',
    'application.status.operationState.message',
    'application.status.operationState.startedAt',
    'application.status.operationState.finishedAt',
    'application.status.operationState.operation.sync.dryRun',
    'application.status.operationState.operation.sync.revision',
    'application.status.operationState.syncResult.revision',
    'application.status.operationState.syncResult.revisions',
    'application.status.resources.kind',
    'application.status.resources.name',
    'application.status.resources.health',
  ].map(field => `result.${field}`);
  const selections: Array<[string, string]> = [
    ['the index watch', indexWatchFields.join(',')],
    [
      'a whole array',
      'result.type,result.application.metadata.name,result.application.status.resources',
    ],
    ['a whole object', 'result.application.spec'],
    [
      'an exclusion',
      '-result.application.status.reconciledAt,result.application.metadata.managedFields',
    ],
    [
      'an exclusion inside arrays',
      '-result.application.status.resources.version,result.application.status.operationState',
    ],
    ['the whole result', 'result'],
    ['a prefix of the root only', 'res'],
    ['everything excluded', '-result'],
  ];
  const apps = [
    buildApplication({ name: 'web', tenant: 'acme', realistic: true }),
    buildApplication({
      name: 'charts',
      tenant: 'acme',
      environment: 'prod',
      realistic: { resourceCount: 60 },
      sources: [
        {
          repoURL: 'https://charts.example.com',
          chart: 'web',
          targetRevision: '1.2.3',
          helm: { valueFiles: ['$values/web/prod.yaml'] },
        },
        {
          repoURL: 'https://git.example.com/acme/values.git',
          targetRevision: 'main',
          ref: 'values',
        },
      ],
      revisions: ['1.2.3', 'a'.repeat(40)],
    }),
    buildApplication({ name: 'new', tenant: 'globex', neverSynced: true }),
    buildApplication({ name: 'tiny', tenant: 'globex' }),
  ];

  it.each(selections)('on realistic apps with %s', (_, query) => {
    const selection = parseFields(query)!;
    const write = resultJsonWriter(selection);
    for (const application of apps) {
      for (const type of ['ADDED', 'MODIFIED', 'DELETED']) {
        const message = { type, application };
        expect(write(message)).toBe(referenceResultJson(message, selection));
      }
    }
  });

  it('on the edge cases: string-prefix siblings, arrays of scalars and of arrays, undefined, odd keys, exclusion', () => {
    const message = {
      type: 'MODIFIED',
      application: {
        metadata: {
          name: 'web',
          labels: { 'app.kubernetes.io/name': 'web', '': 'empty', '1': 'one' },
          annotations: undefined,
          uid: 'u1',
        },
        spec: {
          source: { repoURL: 'r', path: 'p' },
          sourceHydrator: { drySource: { repoURL: 'h' } },
          sources: [{ repoURL: 's', ref: 'values' }, { repoURL: 't' }],
          info: [{ name: 'a', value: 'b' }],
        },
        status: {
          reconciledAt: '2026-01-01T00:00:00Z',
          resources: [
            { kind: 'Deployment', name: 'web', health: { status: 'Healthy' } },
            { kind: 'Service', name: 'web', version: 'v1', extra: undefined },
            null,
            'scalar',
            [{ kind: 'Nested', name: 'n' }, 7, undefined],
          ],
          sync: { revisions: ['a', 'b', null], revision: '' },
          summary: { images: [], externalURLs: [] },
          empty: {},
          count: 0,
          ratio: 0.1,
          flag: false,
          nothing: null,
          text: 'quote " and \\ and \u2028 and \ud800',
        },
      },
    };
    for (const query of [
      'result.application.spec.source',
      'result.application.spec.sources',
      'result.application.spec.sources.repoURL',
      'result.application.spec.sour',
      'result.application.status.resources.kind,result.application.status.resources.name',
      'result.application.status.sync.revisions,result.application.status.summary',
      'result.application.metadata.labels.app.kubernetes.io/name,result.application.metadata.labels.',
      'result.application.metadata.labels.1,result.application.status.empty,result.application.status.count',
      'result.application.status.nothing,result.application.status.text,result.application.status.flag',
      'result.type,,result.application.status.ratio',
      '-result.application.spec.source,result.application.status.resources.kind',
      '-result.application.status.resources,result.application.metadata.labels.',
      '-result.application.status.sync.revisions,result.type',
      '-',
      '',
    ]) {
      const selection = parseFields(query) ?? {
        fields: new Set(['']),
        exclude: false,
      };
      expect(resultJsonWriter(selection)(message)).toBe(
        referenceResultJson(message, selection),
      );
    }
    // Without fields=, the whole message.
    expect(resultJsonWriter(undefined)(message)).toBe(
      JSON.stringify({ result: message }),
    );
  });
});

describe('SSE keepalive (argoproj/pkg grpc/http/forwarders.go withKeepalive)', () => {
  it('writes a ":" line on a quiet SSE watch every keepalive period, and nothing on NDJSON', async () => {
    const fake = new ArgoCdFake({
      controller: new SimpleController(),
      sseKeepaliveMs: 50,
    });
    fake.putApplication(buildApplication({ name: 'web' }));
    const open = (accept: string) =>
      fake
        .handle(
          new Request(`${BASE}/api/v1/stream/applications`, {
            headers: {
              authorization: `Bearer ${ArgoCdFake.adminToken}`,
              accept,
            },
          }),
        )
        .then(r => r.body!.getReader());
    const read = async (
      reader: ReadableStreamDefaultReader<Uint8Array>,
      ms: number,
    ) => {
      const decoder = new TextDecoder();
      let text = '';
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<undefined>(r => setTimeout(r, until - Date.now())),
        ]);
        if (!chunk || chunk.done) break;
        text += decoder.decode(chunk.value);
      }
      return text;
    };
    const sse = await open('text/event-stream');
    const ndjson = await open('application/json');
    const sseText = await read(sse, 300);
    const ndjsonText = await read(ndjson, 300);
    expect(sseText.startsWith('data: {"result":{')).toBe(true);
    expect(
      sseText.split('\n').filter(l => l === ':').length,
    ).toBeGreaterThanOrEqual(3);
    expect(ndjsonText.split('\n').filter(Boolean)).toHaveLength(1);
    await sse.cancel();
    await ndjson.cancel();
    fake.close();
  });
});
