/**
 * JSON of a value with every object's keys sorted (members whose value is `undefined` left
 * out, as `JSON.stringify` does), so two structures compare equal by content whatever the
 * order their keys were written in: Kubernetes objects, parsed YAML, Application specs.
 *
 * @public
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .filter(key => object[key] !== undefined)
        .sort()
        .map(key => [key, sortKeys(object[key])]),
    );
  }
  return value;
}
