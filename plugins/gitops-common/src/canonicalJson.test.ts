import { canonicalJson } from './canonicalJson';

describe('canonicalJson', () => {
  it('is the same for the same content in any key order, at any depth', () => {
    const a = { spec: { b: 1, a: [{ y: 2, x: 1 }] }, kind: 'Deployment' };
    const b = { kind: 'Deployment', spec: { a: [{ x: 1, y: 2 }], b: 1 } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"kind":"Deployment","spec":{"a":[{"x":1,"y":2}],"b":1}}',
    );
  });

  it('keeps array order, and tells different content apart', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
  });

  it('leaves out undefined members as JSON does, and answers null for nothing', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
  });
});
