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

/** Where the walk is: a dotted path, and what each key met there turned out to be. */
interface Level {
  readonly path: string;
  readonly keys: Map<string, Member | null>;
}

/** A key that stays: its JSON name, whether it was asked for (so stays whole), its level. */
interface Member {
  readonly name: string;
  readonly asked: boolean;
  readonly level: Level;
}

const omitted = (value: unknown) =>
  value === undefined ||
  typeof value === 'function' ||
  typeof value === 'symbol';

/**
 * The JSON line Argo CD writes for one stream message (`{"result": message}`), projected
 * when the request asked for `fields`, as a function made once per stream. The forwarder
 * marshals the message, unmarshals it into plain maps, projects those and marshals them
 * again; this writes the same bytes in one walk over the message: a key left out is never
 * serialised, a key asked for is serialised whole. The asked paths' string prefixes are
 * gathered once, and what a key at a path comes to is decided the first time it is met and
 * remembered for the stream (a few hundred paths: the kept levels' keys). The message must
 * be plain JSON data (no `toJSON`, as the fake's stored objects are); `undefined` is left
 * out as `JSON.stringify` leaves it out, and written `null` in an array.
 */
export function resultJsonWriter(
  selection: StreamFieldSelection | undefined,
): (message: unknown) => string {
  if (!selection) return message => JSON.stringify({ result: message });
  const { fields, exclude } = selection;
  const prefixes = new Set<string>();
  for (const field of fields) {
    for (let end = 0; end <= field.length; end++)
      prefixes.add(field.slice(0, end));
  }
  const levelAt = (path: string): Level => ({ path, keys: new Map() });
  const memberOf = (level: Level, key: string): Member | null => {
    let member = level.keys.get(key);
    if (member !== undefined) return member;
    const path = level.path + key;
    const asked = fields.has(path);
    const keep = exclude ? !asked : asked || prefixes.has(path);
    member = keep
      ? { name: `${JSON.stringify(key)}:`, asked, level: levelAt(`${path}.`) }
      : null;
    level.keys.set(key, member);
    return member;
  };
  const write = (value: unknown, level: Level): string => {
    if (Array.isArray(value)) {
      // Elements are projected with the array's own path.
      let out = '[';
      for (let i = 0; i < value.length; i++) {
        if (i > 0) out += ',';
        out += omitted(value[i]) ? 'null' : write(value[i], level);
      }
      return `${out}]`;
    }
    if (value === null || typeof value !== 'object')
      return JSON.stringify(value);
    const map = value as Record<string, unknown>;
    let out = '{';
    for (const key of Object.keys(map)) {
      const child = map[key];
      if (omitted(child)) continue;
      const member = memberOf(level, key);
      if (!member) continue;
      if (out.length > 1) out += ',';
      out +=
        member.name +
        (member.asked ? JSON.stringify(child) : write(child, member.level));
    }
    return `${out}}`;
  };
  const root = levelAt('');
  return message => write({ result: message }, root);
}
