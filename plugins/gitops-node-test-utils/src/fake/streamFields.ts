/**
 * The `fields=` projection of Argo CD's streams (`/api/v1/stream/applications`, the resource
 * tree stream), as argoproj/pkg v2 `grpc/http/forwarders.go` applies it: unlike the List
 * endpoint's fixed whitelist, any JSON path works, rooted at the message wrapper
 * (`result.type`, `result.application.metadata.name`). Its rules, kept here as they are:
 *
 * - a key stays when its dotted path is asked for, or when any asked-for path starts with it
 *   as a STRING (so `result.application.metadata.name` also keeps `metadata.namespace`'s
 *   parent, and `…spec.source` is a prefix of `…spec.sources`);
 * - a key asked for itself stays whole; one kept only as a prefix is projected further;
 * - arrays are projected element by element with the array's own path (`…resources.kind`
 *   keeps `kind` in every resource); scalars inside arrays stay;
 * - with a leading `-`, the listed paths are removed instead.
 */
export interface StreamFieldSelection {
  readonly fields: ReadonlySet<string>;
  readonly exclude: boolean;
}

function processItem(
  selection: StreamFieldSelection,
  path: string[],
  item: unknown,
): void {
  if (Array.isArray(item)) {
    for (const element of item) processItem(selection, path, element);
    return;
  }
  if (item === null || typeof item !== 'object') return;
  const map = item as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    const fieldPath = [...path, key].join('.');
    const pathIn = selection.fields.has(fieldPath);
    let parentPathIn = pathIn;
    if (!parentPathIn) {
      for (const field of selection.fields) {
        if (field.startsWith(fieldPath)) {
          parentPathIn = true;
          break;
        }
      }
    }
    const keep = selection.exclude ? !pathIn : parentPathIn;
    if (!keep) delete map[key];
    else if (!pathIn) processItem(selection, [...path, key], map[key]);
  }
}

/**
 * The JSON line Argo CD writes for one stream message (`{"result": message}`), projected
 * when the request asked for `fields`. The forwarder marshals the message, unmarshals it
 * into plain maps and projects those, so a copy is projected here too.
 */
export function projectedResultJson(
  message: unknown,
  selection: StreamFieldSelection | undefined,
): string {
  const json = JSON.stringify({ result: message });
  if (!selection) return json;
  const data = JSON.parse(json) as Record<string, unknown>;
  processItem(selection, [], data);
  return JSON.stringify(data);
}
