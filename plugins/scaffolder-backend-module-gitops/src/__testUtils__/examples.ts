import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';

/** The input of an example's only step, parsed from its YAML as the scaffolder reads it. */
export function stepInput(example: TemplateExample): Record<string, any> {
  const steps = parse(example.example).steps;
  if (steps?.length !== 1) {
    throw new Error(`Example "${example.description}" must have one step`);
  }
  return steps[0].input;
}

/**
 * Renders `${{ a.b.c }}` expressions that make up a whole string value, as the scaffolder does
 * before an action runs, from `context`; an expression that resolves to nothing is an error,
 * so an example cannot silently lose an input.
 */
export function renderExpressions(
  value: unknown,
  context: Record<string, unknown>,
): any {
  if (typeof value === 'string') {
    const match = /^\$\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
    if (!match) {
      if (value.includes('${{')) {
        throw new Error(`Unsupported template expression in "${value}"`);
      }
      return value;
    }
    const resolved = match[1]
      .split('.')
      .reduce<any>((v, key) => (v === undefined ? v : v[key]), context);
    if (resolved === undefined) {
      throw new Error(`Template expression ${value} resolves to nothing`);
    }
    return resolved;
  }
  if (Array.isArray(value))
    return value.map(v => renderExpressions(v, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderExpressions(v, context)]),
    );
  }
  return value;
}
