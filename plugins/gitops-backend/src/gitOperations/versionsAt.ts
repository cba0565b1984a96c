import type { PromotionLayoutReader } from '@kupe/plugin-gitops-node';
import type { Checkout } from './checkout';
import {
  type ApplicationSource,
  type EnvironmentFiles,
  readEnvironmentVersion,
} from './environmentVersion';

/**
 * The version the application's files hold at each revision (images, chart version), read
 * from one clone; revisions that are not full SHAs of commits the clone has (another
 * branch) are left out.
 */
export async function readVersionsAt(
  checkout: Checkout,
  source: ApplicationSource,
  revisions: string[],
  readers: readonly PromotionLayoutReader[],
): Promise<Map<string, EnvironmentFiles>> {
  const result = new Map<string, EnvironmentFiles>();
  for (const revision of await checkout.knownCommits(revisions)) {
    result.set(
      revision,
      await readEnvironmentVersion(source, checkout.at(revision), readers),
    );
  }
  return result;
}
