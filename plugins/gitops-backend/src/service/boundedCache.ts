/**
 * Keeps a cache's map at `maxEntries` at most: expired entries first, then the oldest (a Map
 * iterates in insertion order), down to nine tenths at once, so a full cache does not walk
 * every entry on each insert.
 */
export function evictToBound<K, V extends { expiresAt: number }>(
  entries: Map<K, V>,
  maxEntries: number,
  now: number,
): void {
  if (entries.size <= maxEntries) return;
  for (const [key, entry] of entries) {
    if (entry.expiresAt <= now) entries.delete(key);
  }
  const target = Math.floor(maxEntries * 0.9);
  for (const key of entries.keys()) {
    if (entries.size <= target) break;
    entries.delete(key);
  }
}
