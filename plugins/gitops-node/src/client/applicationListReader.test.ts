import type { Application } from '../argocd/types';
import {
  LIST_SLICE_MS,
  listedItemDigest,
  readApplicationList,
} from './applicationListReader';

async function* chunksOf(body: Buffer, sizes: number[]) {
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const size = sizes[i % sizes.length];
    yield body.subarray(at, at + size);
    at += size;
  }
}

async function read(body: string, sizes = [body.length]) {
  const items: Application[] = [];
  const list = await readApplicationList(
    chunksOf(Buffer.from(body), sizes),
    app => items.push(app),
  );
  return { list, items };
}

const apps = [
  {
    metadata: { name: 'web', namespace: 'argocd', labels: { a: 'b' } },
    spec: { project: 'tenant-a' },
    status: {
      health: { status: 'Degraded', message: 'Back-off {pulling} "image" ]' },
      summary: { images: ['registry.example.com/ünïcode:1.0 ✓'] },
    },
  },
  { metadata: { name: 'api' }, status: { conditions: [{ message: '\\"}' }] } },
  { metadata: { name: 'empty' }, spec: {}, status: { resources: [[], {}] } },
];

describe('readApplicationList', () => {
  it('hands over every item and the list metadata, however the body is cut into chunks', async () => {
    const body = JSON.stringify({
      kind: 'ApplicationList',
      metadata: { resourceVersion: '4242' },
      items: apps,
    });
    for (let size = 1; size <= 41; size += 4) {
      const { list, items } = await read(body, [size, 3 * size + 1]);
      expect(items).toEqual(apps);
      expect(list).toEqual({
        metadata: { resourceVersion: '4242' },
        items: [],
      });
    }
  });

  it("shows the digest of each item's exact bytes to skip first, and parses only the items it does not skip", async () => {
    const body = JSON.stringify({ metadata: {}, items: apps });
    const digestOf = (app: unknown) =>
      listedItemDigest([Buffer.from(JSON.stringify(app))]);
    const skipped = digestOf(apps[1]);
    for (const sizes of [[body.length], [7, 13], [1]]) {
      const digests: number[] = [];
      const items: Application[] = [];
      await readApplicationList(
        chunksOf(Buffer.from(body), sizes),
        app => items.push(app),
        digest => {
          digests.push(digest);
          return digest === skipped;
        },
      );
      // Whichever chunks an item's bytes arrived in.
      expect(digests).toEqual(apps.map(digestOf));
      expect(items).toEqual([apps[0], apps[2]]);
    }
    expect(new Set(apps.map(digestOf)).size).toBe(apps.length);
    // Bytes, not characters: a character outside ASCII is its UTF-8 bytes.
    expect(listedItemDigest([Buffer.from('{"a":"ü"}')])).toBe(
      listedItemDigest([Buffer.from('{"a":"'), Buffer.from('ü"}')]),
    );
    expect(listedItemDigest([Buffer.from('{"a":"ü"}')])).not.toBe(
      listedItemDigest([Buffer.from('{"a":"u"}')]),
    );
  });

  it('reads what Go writes: spaces and newlines between values, metadata after the items, no items', async () => {
    const goStyle = `{"metadata":{"resourceVersion":"7"}\n,"items":[${apps
      .map(a => `${JSON.stringify(a)}\n`)
      .join(',')}]}`;
    await expect(read(goStyle, [7])).resolves.toEqual({
      list: { metadata: { resourceVersion: '7' }, items: [] },
      items: apps,
    });
    const itemsFirst = ` { "items" : [ ${JSON.stringify(
      apps[1],
    )} ] , "metadata" : { "resourceVersion" : "8" } } `;
    await expect(read(itemsFirst, [5])).resolves.toEqual({
      list: { metadata: { resourceVersion: '8' }, items: [] },
      items: [apps[1]],
    });
    await expect(read('{"metadata":{},"items":null}')).resolves.toEqual({
      list: { metadata: {}, items: [] },
      items: [],
    });
    await expect(read('{}')).resolves.toEqual({
      list: { metadata: {}, items: [] },
      items: [],
    });
  });

  it('throws SyntaxError for a body that is not an application list', async () => {
    for (const body of [
      '',
      '[]',
      '{"items":[1]}',
      '{"items":[{"a":1}',
      '{"items":[{"a":}]}',
      '{"metadata":{}}{}',
      '<html>',
    ]) {
      await expect(read(body)).rejects.toBeInstanceOf(SyntaxError);
    }
  });

  it('lets the event loop run while it works through chunks that are all there already', async () => {
    // Chunks that are all there already: without a pause, the whole body is read in
    // microtasks and nothing else of the process runs until the end.
    const body = JSON.stringify({
      items: Array.from({ length: 40 }, (_, i) => ({
        metadata: { name: `a${i}` },
      })),
    });
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const names: string[] = [];
    let turnsAtFirstItem = -1;
    await readApplicationList(chunksOf(Buffer.from(body), [64]), app => {
      if (turnsAtFirstItem < 0) turnsAtFirstItem = turns;
      names.push(app.metadata.name ?? '');
      busy(LIST_SLICE_MS / 2);
    });
    ticking = false;
    expect(names).toEqual(Array.from({ length: 40 }, (_, i) => `a${i}`));
    // 40 items of half a slice each: the event loop ran about every second item.
    expect(turns - turnsAtFirstItem).toBeGreaterThanOrEqual(10);
  });
});
