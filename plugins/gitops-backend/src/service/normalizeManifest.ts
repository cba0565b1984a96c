import { stringify } from 'yaml';

// Server-maintained fields: they differ on every object and hide the real change in a diff.
const DROPPED_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Turns one of Argo CD's JSON-encoded manifest strings into YAML for a diff, without the
 * fields the cluster maintains. Argo CD writes `"null"` for a side that does not exist.
 */
export function normalizeManifest(
  json: string | undefined,
): string | undefined {
  if (!json || json === 'null') return undefined;
  let object: unknown;
  try {
    object = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!object || typeof object !== 'object' || Array.isArray(object))
    return undefined;
  const manifest = { ...(object as Record<string, unknown>) };
  delete manifest.status;
  const metadata = manifest.metadata;
  if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
    const meta = { ...(metadata as Record<string, unknown>) };
    for (const key of DROPPED_METADATA) delete meta[key];
    const annotations = meta.annotations;
    if (
      annotations &&
      typeof annotations === 'object' &&
      !Array.isArray(annotations)
    ) {
      const rest = { ...(annotations as Record<string, unknown>) };
      delete rest[LAST_APPLIED];
      if (Object.keys(rest).length > 0) meta.annotations = rest;
      else delete meta.annotations;
    }
    manifest.metadata = meta;
  }
  return stringify(manifest, { sortMapEntries: true });
}
