import type { LoggerService } from '@backstage/backend-plugin-api';
import { LunrSearchEngine } from '@backstage/plugin-search-backend-node';
import type { SearchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import type { SearchEngine } from '@backstage/plugin-search-common';
import { ExactMatchSearchEngine } from './ExactMatchSearchEngine';

/**
 * Puts ExactMatchSearchEngine around the search plugin's engine. The extension point only
 * lets a module set the engine, and the engine module (PostgreSQL) may register after this
 * one; the search plugin reads the registered engine with `getSearchEngine()` once its modules
 * are initialised, falling back to Lunr. So this wraps that read: the registered engine, or
 * the same Lunr engine the plugin would create, comes back wrapped.
 *
 * Returns false, leaving search as it is, when the registry offers no such read (a Backstage
 * release that changed it); the caller logs it.
 */
export function registerExactMatchSearch(
  registry: SearchEngineRegistryExtensionPoint,
  logger: LoggerService,
): boolean {
  const target = registry as SearchEngineRegistryExtensionPoint & {
    getSearchEngine?: () => SearchEngine | null;
  };
  const read = target.getSearchEngine;
  if (typeof read !== 'function') return false;
  let wrapped: SearchEngine | undefined;
  target.getSearchEngine = () => {
    wrapped ??= new ExactMatchSearchEngine(
      read.call(target) ?? new LunrSearchEngine({ logger }),
    );
    return wrapped;
  };
  return true;
}
