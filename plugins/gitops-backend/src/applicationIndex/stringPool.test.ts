import { StringPool } from './stringPool';

describe('StringPool', () => {
  it('keeps one copy of each value across records and leaves the records equal', () => {
    const pool = new StringPool();
    const parse = () =>
      JSON.parse(
        '{"revision":"abc","source":{"repoURL":"https://git.example.com/a.git","path":"apps/web/dev"},"images":["web:1","web:1"],"count":3,"labels":{"team":"a"}}',
      );
    const a = pool.internValues(parse());
    const b = pool.internValues(parse());
    expect(a).toEqual(parse());
    expect(b).toEqual(a);
    // Four distinct strings, however many records and places hold them; an app's own
    // path is not pooled.
    expect(pool.size).toBe(4);
    expect(a.images[0]).toBe(a.images[1]);
    expect(pool.intern('abc')).toBe(a.revision);
  });

  it('takes the values an app kept from the record it replaces, pooling only what changed', () => {
    const listed = new StringPool().internValues(
      JSON.parse(
        '{"name":"web-dev","revision":"abc","images":["web:1","envoy:1"],"source":{"path":"apps/web/dev"}}',
      ),
    );
    const pool = new StringPool();
    const next = pool.internValues(
      JSON.parse(
        '{"name":"web-dev","revision":"def","images":["web:2","envoy:1"],"source":{"path":"apps/web/dev"},"lastSyncedAt":"2026-01-05T10:00:00Z"}',
      ),
      listed,
    );
    expect(next).toEqual({
      name: 'web-dev',
      revision: 'def',
      images: ['web:2', 'envoy:1'],
      source: { path: 'apps/web/dev' },
      lastSyncedAt: '2026-01-05T10:00:00Z',
    });
    // The name, the unchanged image and the path are the previous record's; only the new
    // revision, image and time are pooled.
    expect(pool.size).toBe(3);
    expect(pool.intern('web:2')).toBe(next.images[0]);
  });

  it('takes the values a record kept into a pool for one record, not into a shared one', () => {
    const listed = new StringPool().internValues(
      JSON.parse('{"revision":"abc1234","lastSyncedAt":"t1"}'),
    );
    const event = () =>
      JSON.parse('{"revision":"abc1234","lastSyncedAt":"t2"}');
    // The kept revision joins the pool for one record (then `intern` hands out that copy to
    // any new field equal to it, as the deployed revision is), beside the new timestamp.
    const one = StringPool.forOneRecord();
    expect(one.internValues(event(), listed)).toEqual(event());
    expect(one.size).toBe(2);
    // A shared pool takes only the new timestamp: each kept value would add an entry.
    const shared = new StringPool();
    expect(shared.internValues(event(), listed)).toEqual(event());
    expect(shared.size).toBe(1);
  });

  it("shares one frozen copy of each list of strings between records, and keeps an app's unchanged list", () => {
    const pool = new StringPool();
    const parse = (name: string, images: string[]) =>
      JSON.parse(
        JSON.stringify({
          name,
          images,
          revisions: [],
          sources: [{ path: name }],
        }),
      );
    const dev = pool.internValues(parse('web-dev', ['web:1', 'envoy:1']));
    const prod = pool.internValues(parse('web-prod', ['web:1', 'envoy:1']));
    const other = pool.internValues(parse('api-dev', ['api:1', 'envoy:1']));
    expect(prod.images).toBe(dev.images);
    expect(other.images).not.toBe(dev.images);
    expect(other.images).toEqual(['api:1', 'envoy:1']);
    expect(Object.isFrozen(dev.images)).toBe(true);
    expect(() => dev.images.push('x')).toThrow(TypeError);
    // Empty lists are one shared array too; lists of objects are visited, not shared.
    expect(prod.revisions).toBe(dev.revisions);
    expect(prod.sources).not.toBe(dev.sources);
    expect(prod.sources).toEqual([{ path: 'web-prod' }]);

    // Rebuilt by an event without the listing's pool: the unchanged list is the one it had.
    const again = new StringPool().internValues(
      parse('web-dev', ['web:1', 'envoy:1']),
      dev,
    );
    expect(again.images).toBe(dev.images);
    const moved = new StringPool().internValues(
      parse('web-dev', ['web:2', 'envoy:1']),
      dev,
    );
    expect(moved.images).toEqual(['web:2', 'envoy:1']);
    expect(Object.isFrozen(moved.images)).toBe(true);
  });
});
