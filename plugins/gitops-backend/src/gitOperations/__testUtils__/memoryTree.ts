import type { TreeReader } from '../environmentVersion';

/** A repository tree held in memory, as the planners read trees. */
export const memoryTree = (files: Record<string, string>): TreeReader => ({
  read: async file => files[file],
  list: async dir =>
    Object.keys(files)
      .filter(f => !dir || f.startsWith(`${dir}/`))
      .sort(),
});

/** Order of versions by the commits that first wrote them: `order` oldest first. */
export const historyOf = (order: string[] = []) => ({
  firstCommitWith: async (text: string) =>
    order.includes(text) ? `commit-${order.indexOf(text)}` : undefined,
  isAncestor: async (a: string, b: string) =>
    Number(a.split('-')[1]) <= Number(b.split('-')[1]),
});
