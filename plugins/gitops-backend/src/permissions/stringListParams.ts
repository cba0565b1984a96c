import type {
  StandardJSONSchemaV1,
  StandardSchemaV1,
} from '@standard-schema/spec';

/**
 * Params schema `{ [key]: string[] }` for a permission rule, written against Standard Schema
 * directly: the rule API wants validation plus JSON Schema, and this package's zod 3 offers
 * no JSON Schema converter.
 */
export function stringListParams<K extends string>(
  key: K,
  description: string,
): StandardSchemaV1<Record<K, string[]>> &
  StandardJSONSchemaV1<Record<K, string[]>> {
  const jsonSchema = () => ({
    type: 'object',
    properties: {
      [key]: { type: 'array', items: { type: 'string' }, description },
    },
    required: [key],
    additionalProperties: false,
  });
  return {
    '~standard': {
      version: 1,
      vendor: 'kupe',
      validate(value: unknown) {
        const list =
          value && typeof value === 'object'
            ? (value as Record<string, unknown>)[key]
            : undefined;
        if (!Array.isArray(list) || !list.every(v => typeof v === 'string')) {
          return {
            issues: [
              { message: `${key} must be an array of strings`, path: [key] },
            ],
          };
        }
        return { value: { [key]: [...list] } as Record<K, string[]> };
      },
      jsonSchema: { input: jsonSchema, output: jsonSchema },
    },
  };
}
