/*
 * Where a V8 heap snapshot's memory goes (one from `profile-views --heap-out`): the
 * dominator tree, each object with what it alone keeps alive (its retained size), shown down
 * to `--min-mb`, and the heap's shallow sizes by constructor.
 *
 *   yarn workspace @kupe/gitops-benchmarks heap-summary /tmp/kupe.heapsnapshot
 *     [--min-mb 1] [--depth 12] [--top 30] [--hops 3]
 *
 * Objects many others share (an index record is in a map and in lookups) are dominated only
 * by the root, so the tree misses them; the last table sums the shallow size of every
 * object by the path it is reached through from the root (its nearest retainer, `--hops`
 * steps up: `revision <- Object <- [] <- table <- #apps: Map`), which names the field.
 *
 * Weak edges retain nothing, as in Chrome's DevTools; so an object reached only through a
 * WeakMap or WeakRef is dominated by the root.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const argOf = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};

function main() {
  const file = process.argv[2];
  if (!file || file.startsWith('--')) {
    throw new Error('usage: heap-summary <file.heapsnapshot> [--min-mb 1]');
  }
  const minBytes = Number(argOf('min-mb', '1')) * 1024 ** 2;
  const maxDepth = Number(argOf('depth', '12'));
  const top = Number(argOf('top', '30'));
  const hops = Number(argOf('hops', '3'));
  const heap: Snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const { meta } = heap.snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const TYPE = meta.node_fields.indexOf('type');
  const NAME = meta.node_fields.indexOf('name');
  const SELF = meta.node_fields.indexOf('self_size');
  const EDGE_COUNT = meta.node_fields.indexOf('edge_count');
  const EDGE_TYPE = meta.edge_fields.indexOf('type');
  const EDGE_NAME = meta.edge_fields.indexOf('name_or_index');
  const TO = meta.edge_fields.indexOf('to_node');
  const WEAK = edgeTypes.indexOf('weak');
  const ELEMENT = edgeTypes.indexOf('element');
  const HIDDEN = edgeTypes.indexOf('hidden');
  const { nodes, edges, strings } = heap;
  const count = nodes.length / nodeFields;

  const firstEdge = new Uint32Array(count + 1);
  for (let n = 0, e = 0; n < count; n++) {
    firstEdge[n] = e;
    e += nodes[n * nodeFields + EDGE_COUNT] * edgeFields;
  }
  firstEdge[count] = edges.length;
  const target = (e: number) => edges[e + TO] / nodeFields;
  const strong = (e: number) => edges[e + EDGE_TYPE] !== WEAK;
  const selfOf = (n: number) => nodes[n * nodeFields + SELF];
  const typeOf = (n: number) => nodeTypes[nodes[n * nodeFields + TYPE]];
  const nameOf = (n: number) => {
    const name = strings[nodes[n * nodeFields + NAME]];
    const type = typeOf(n);
    if (type === 'string' || type === 'concatenated string')
      return `string ${JSON.stringify(name.slice(0, 40))}`;
    return type === 'object' || type === 'closure' ? name : `(${type}) ${name}`;
  };
  const edgeName = (e: number) => {
    const type = edges[e + EDGE_TYPE];
    const name = edges[e + EDGE_NAME];
    return type === ELEMENT || type === HIDDEN ? `[${name}]` : strings[name];
  };

  // Post-order of a depth-first walk from the root along strong edges.
  const order = new Int32Array(count).fill(-1);
  const postOrder = new Uint32Array(count);
  let visited = 0;
  {
    const stack = new Uint32Array(count);
    const cursor = new Uint32Array(count);
    const seen = new Uint8Array(count);
    let top_ = 0;
    stack[0] = 0;
    seen[0] = 1;
    cursor[0] = firstEdge[0];
    while (top_ >= 0) {
      const n = stack[top_];
      if (cursor[n] < firstEdge[n + 1]) {
        const e = cursor[n];
        cursor[n] += edgeFields;
        if (!strong(e)) continue;
        const t = target(e);
        if (seen[t]) continue;
        seen[t] = 1;
        cursor[t] = firstEdge[t];
        stack[++top_] = t;
      } else {
        order[n] = visited;
        postOrder[visited++] = n;
        top_--;
      }
    }
  }

  // Predecessors along strong edges, of reached nodes only.
  const predCount = new Uint32Array(count + 1);
  for (let n = 0; n < count; n++) {
    if (order[n] < 0) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += edgeFields)
      if (strong(e)) predCount[target(e) + 1]++;
  }
  for (let n = 0; n < count; n++) predCount[n + 1] += predCount[n];
  const preds = new Uint32Array(predCount[count]);
  {
    const fill = predCount.slice(0, count);
    for (let n = 0; n < count; n++) {
      if (order[n] < 0) continue;
      for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += edgeFields)
        if (strong(e)) preds[fill[target(e)]++] = n;
    }
  }

  // Immediate dominators (Cooper, Harvey and Kennedy), as post-order numbers.
  const root = visited - 1;
  const idom = new Int32Array(visited).fill(-1);
  idom[root] = root;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = root - 1; i >= 0; i--) {
      const n = postOrder[i];
      let dom = -1;
      for (let p = predCount[n]; p < predCount[n + 1]; p++) {
        let other = order[preds[p]];
        if (idom[other] < 0) continue;
        if (dom < 0) {
          dom = other;
          continue;
        }
        let a = dom;
        while (a !== other) {
          while (a < other) a = idom[a];
          while (other < a) other = idom[other];
        }
        dom = a;
      }
      if (dom >= 0 && idom[i] !== dom) {
        idom[i] = dom;
        changed = true;
      }
    }
  }

  const retained = new Float64Array(visited);
  for (let i = 0; i < visited; i++) retained[i] += selfOf(postOrder[i]);
  for (let i = 0; i < root; i++) retained[idom[i]] += retained[i];
  const children = new Map<number, number[]>();
  for (let i = 0; i < root; i++) {
    if (retained[i] < minBytes) continue;
    const list = children.get(idom[i]) ?? [];
    list.push(i);
    children.set(idom[i], list);
  }

  // Nearest retainer of each node: a predecessor on a shortest path from the root.
  const distance = new Int32Array(count).fill(-1);
  const nearest = new Int32Array(count).fill(-1);
  const nearestEdge = new Int32Array(count).fill(-1);
  {
    const queue = new Uint32Array(count);
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    distance[0] = 0;
    while (head < tail) {
      const n = queue[head++];
      for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += edgeFields) {
        if (!strong(e)) continue;
        const t = target(e);
        if (distance[t] >= 0) continue;
        distance[t] = distance[n] + 1;
        nearest[t] = n;
        nearestEdge[t] = e;
        queue[tail++] = t;
      }
    }
  }
  const shortName = (n: number) => {
    const type = typeOf(n);
    return type === 'object' || type === 'closure'
      ? strings[nodes[n * nodeFields + NAME]] || '{}'
      : `(${type})`;
  };
  const pathOf = (n: number) => {
    const parts = [shortName(n)];
    let at = n;
    for (let h = 0; h < hops && nearest[at] > 0; h++) {
      const e = nearestEdge[at];
      const type = edges[e + EDGE_TYPE];
      const name = edgeName(e);
      parts.push(
        type === ELEMENT || type === HIDDEN || /^\d+$/.test(name) ? '[]' : name,
      );
      at = nearest[at];
      parts.push(shortName(at));
    }
    return parts.join(' <- ');
  };

  const GENERIC = new Set(['Object', 'Array', 'Map', 'Set', '{}']);
  /**
   * The first object of a class of its own on the node's path from the root, and the field
   * the path leaves it through (`InstanceIndex.#apps`); compiled code and script sources are
   * one group.
   */
  const ownerOf = (n: number) => {
    let at = n;
    let field = '';
    for (let h = 0; h < 40 && at > 0; h++) {
      const type = typeOf(at);
      if (type === 'code') return '(code and script sources)';
      const name = shortName(at);
      if (h > 0 && !name.startsWith('(') && !GENERIC.has(name))
        return `${name}.${field}`;
      if (nearest[at] < 0) break;
      const e = nearestEdge[at];
      field = edgeName(e);
      at = nearest[at];
    }
    return `(no owner) ${pathOf(n)}`;
  };

  const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  /** The name of the edge from the dominator to `n`, when the dominator points at it. */
  const viaOf = (dom: number, n: number) => {
    for (let e = firstEdge[dom]; e < firstEdge[dom + 1]; e += edgeFields)
      if (target(e) === n) return `${edgeName(e)}: `;
    return '';
  };
  out(
    `${count} nodes, ${visited} reachable, ${mb(
      retained[root],
    )} MB reachable; dominator tree down to ${mb(
      minBytes,
    )} MB (retained / self):`,
  );
  const walk = (i: number, depth: number) => {
    const kids = (children.get(i) ?? []).sort(
      (a, b) => retained[b] - retained[a],
    );
    for (const k of kids) {
      const n = postOrder[k];
      out(
        `${'  '.repeat(depth)}${mb(retained[k])} / ${mb(selfOf(n))}  ${viaOf(
          postOrder[i],
          n,
        )}${nameOf(n)}`,
      );
      if (depth < maxDepth) walk(k, depth + 1);
    }
  };
  walk(root, 0);

  const byConstructor = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < visited; i++) {
    const n = postOrder[i];
    const type = typeOf(n);
    const key =
      type === 'object' || type === 'closure'
        ? `${strings[nodes[n * nodeFields + NAME]]}`
        : `(${type})`;
    const entry = byConstructor.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += selfOf(n);
    byConstructor.set(key, entry);
  }
  out(`\nShallow size by constructor (top ${top}):`);
  for (const [key, { count: c, bytes }] of [...byConstructor]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, top))
    out(`${mb(bytes).padStart(8)} MB ${String(c).padStart(9)}  ${key}`);

  const byPath = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < visited; i++) {
    const n = postOrder[i];
    const key = pathOf(n);
    const entry = byPath.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += selfOf(n);
    byPath.set(key, entry);
  }
  out(`\nShallow size by path from the root, ${hops} steps (top ${top}):`);
  for (const [key, { count: c, bytes }] of [...byPath]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, top))
    out(`${mb(bytes).padStart(8)} MB ${String(c).padStart(9)}  ${key}`);

  const byOwner = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < visited; i++) {
    const n = postOrder[i];
    const key = ownerOf(n);
    const entry = byOwner.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += selfOf(n);
    byOwner.set(key, entry);
  }
  out(
    `\nShallow size by owner: the first named class on the path (top ${top}):`,
  );
  for (const [key, { count: c, bytes }] of [...byOwner]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, top))
    out(`${mb(bytes).padStart(8)} MB ${String(c).padStart(9)}  ${key}`);
}

main();
