import type { PromotionLayoutReader } from '@kupe/plugin-gitops-node';
import type { Checkout } from './checkout';
import {
  type ApplicationSource,
  type EnvironmentFiles,
  readEnvironmentVersion,
} from './environmentVersion';

/**
 * The version the application's files hold at each revision (images, chart version), read
 * from one clone; revisions the clone does not know (another branch) are left out.
 */
export async function readVersionsAt(
  checkout: Checkout,
  source: ApplicationSource,
  revisions: string[],
  readers: readonly PromotionLayoutReader[],
): Promise<Map<string, EnvironmentFiles>> {
  const result = new Map<string, EnvironmentFiles>();
  for (const wanted of new Set(revisions)) {
    const revision = await checkout.known(wanted);
    if (!revision) continue;
    result.set(
      wanted,
      await readEnvironmentVersion(source, checkout.at(revision), readers),
    );
  }
  return result;
}
