import { InputError } from '@backstage/errors';
import { z } from 'zod';

// Generous for any real name, small enough that nothing huge reaches a log line or a URL.
const NAME = z.string().min(1).max(253);

export const entityParams = z.object({
  namespace: NAME,
  kind: NAME,
  name: NAME,
});
export const appParams = z.object({ instance: NAME, name: NAME });
export const appQuery = z.object({
  appNamespace: z.string().min(1).max(63).optional(),
});
export const eventsQuery = z.object({ entityRef: z.string().min(1).max(1000) });

const resource = z
  .object({
    group: z.string().max(253).optional(),
    kind: z.string().min(1).max(63),
    name: z.string().min(1).max(253),
    namespace: z.string().max(63).optional(),
  })
  .strict();

export const syncBody = z
  .object({
    prune: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    // A branch, tag or SHA: what git accepts in a ref name, nothing that could alter JSON or URLs.
    revision: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/)
      .optional(),
    resources: z.array(resource).max(500).optional(),
  })
  .strict();

export const refreshBody = z.object({ hard: z.boolean().optional() }).strict();

export const rollbackBody = z
  .object({
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    prune: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/** Validates with `schema`; a failure is a 400 naming the offending fields. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues
      .map(i => `${i.path.join('.') || what}: ${i.message}`)
      .join('; ');
    throw new InputError(`Invalid ${what}: ${issues}`);
  }
  return result.data;
}
