import type { TemplateAction } from '@backstage/plugin-scaffolder-node';

type JsonSchema = {
  type?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  default?: unknown;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** `value` with the schema's `default`s filled in where a property is absent, recursively. */
export function applySchemaDefaults(
  schema: JsonSchema | undefined,
  value: unknown,
): unknown {
  if (!schema) return value;
  if (value === undefined && schema.default !== undefined) {
    return structuredClone(schema.default);
  }
  if (schema.properties && isPlainObject(value)) {
    const result: Record<string, unknown> = { ...value };
    for (const [key, property] of Object.entries(schema.properties)) {
      const filled = applySchemaDefaults(property, result[key]);
      if (filled !== undefined) result[key] = filled;
    }
    return result;
  }
  if (schema.items && !Array.isArray(schema.items) && Array.isArray(value)) {
    return value.map(item =>
      applySchemaDefaults(schema.items as JsonSchema, item),
    );
  }
  return value;
}

/**
 * The scaffolder validates an action's input against the JSON schema made from its zod
 * schema but never applies the zod `.default(...)`s, so an input a template leaves out would
 * reach the handler as undefined. This gives the handler the input with those defaults.
 */
export function withInputDefaults<T extends TemplateAction<any, any, any>>(
  action: T,
): T {
  const schema = action.schema?.input as JsonSchema | undefined;
  return {
    ...action,
    handler: (ctx: Parameters<T['handler']>[0]) =>
      action.handler({
        ...ctx,
        input: applySchemaDefaults(schema, ctx.input),
      }),
  };
}
