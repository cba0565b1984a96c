import type {
  ImageChange,
  ImageVersion,
  SourceLayout,
} from '@kupe/plugin-gitops-common';
import {
  type Node,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
} from 'yaml';
import { containerImageNodes, parseImage } from './environmentVersion';
import {
  type ScalarEdit,
  applyEdits,
  scalarEdit,
  scalarText,
} from './yamlScalars';

/** What a promotion writes into one file, and the tag changes it makes. */
export interface FileEdit {
  content: string;
  changes: ImageChange[];
}

/**
 * Sets the tags of `images` in one version file of `layout`. Existing scalars are replaced
 * in place (comments, quoting and order kept); a missing kustomize entry or Helm `image.tag`
 * is added through the document API.
 */
export function setImageTags(
  layout: SourceLayout,
  content: string,
  images: ImageVersion[],
): FileEdit {
  const changes: ImageChange[] = [];
  const tagOf = (name: string) => images.find(i => i.name === name)?.tag;
  if (layout === 'kustomize') {
    const doc = parseDocument(content);
    const list = doc.get('images', true);
    const edits: ScalarEdit[] = [];
    const missing = new Map(images.map(i => [i.name, i.tag]));
    if (isSeq(list)) {
      for (const item of list.items) {
        if (!isMap(item)) continue;
        const name = item.get('name');
        if (typeof name !== 'string' || !missing.has(name)) continue;
        const to = missing.get(name)!;
        missing.delete(name);
        const node = item.get('newTag', true);
        if (isScalar(node)) {
          const from = scalarText(content, node);
          if (from !== to) {
            edits.push(scalarEdit(node, to));
            changes.push({ name, from, to });
          }
        } else {
          // Added below through the document API.
          missing.set(name, to);
        }
      }
    }
    let result = applyEdits(content, edits);
    if (missing.size > 0) {
      const updated = parseDocument(result);
      let seq = updated.get('images', true) as Node | undefined;
      if (!isSeq(seq)) {
        updated.set('images', updated.createNode([]));
        seq = updated.get('images', true) as Node;
      }
      for (const [name, to] of missing) {
        const existing = isSeq(seq)
          ? seq.items.find(i => isMap(i) && i.get('name') === name)
          : undefined;
        if (isMap(existing)) existing.set('newTag', to);
        else if (isSeq(seq)) seq.add(updated.createNode({ name, newTag: to }));
        changes.push({ name, to });
      }
      result = updated.toString();
    }
    return { content: result, changes };
  }

  if (layout === 'helm') {
    const doc = parseDocument(content);
    const repository = doc.getIn(['image', 'repository']);
    const to =
      (typeof repository === 'string' ? tagOf(repository) : undefined) ??
      (images.length === 1 ? images[0].tag : undefined);
    if (to === undefined) return { content, changes };
    const name =
      typeof repository === 'string' ? repository : images[0]?.name ?? 'image';
    const node = doc.getIn(['image', 'tag'], true);
    if (isScalar(node)) {
      const from = scalarText(content, node);
      if (from === to) return { content, changes };
      return {
        content: applyEdits(content, [scalarEdit(node, to)]),
        changes: [{ name, from, to }],
      };
    }
    doc.setIn(['image', 'tag'], to);
    return { content: doc.toString(), changes: [{ name, to }] };
  }

  if (layout === 'plain') {
    const edits: ScalarEdit[] = [];
    for (const doc of parseAllDocuments(content)) {
      if (doc.errors.length > 0) continue;
      for (const node of containerImageNodes(doc)) {
        const current = parseImage(String(node.value));
        const to = tagOf(current.name);
        if (to === undefined || current.tag === to) continue;
        edits.push(scalarEdit(node, `${current.name}:${to}`));
        if (!changes.some(c => c.name === current.name)) {
          changes.push({
            name: current.name,
            ...(current.tag ? { from: current.tag } : {}),
            to,
          });
        }
      }
    }
    return { content: applyEdits(content, edits), changes };
  }

  return { content, changes };
}
