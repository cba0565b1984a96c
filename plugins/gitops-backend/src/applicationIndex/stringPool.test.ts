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
});
