import { ArgoCdFake } from './ArgoCdFake';
import { SimpleController } from './SimpleController';
import { buildApplication } from '../builders/buildApplication';
import { BASE, readLines } from '../__testUtils__/seededFake';
import { projectedResultJson } from './streamFields';
import { parseFields } from './listFields';

const project = (message: unknown, fields: string) =>
  JSON.parse(projectedResultJson(message, parseFields(fields)));

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
