import { mockApis } from '@backstage/frontend-test-utils';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../translation';

/** The plugin's English texts, for tests of helpers that take the `t` of a component. */
export function englishTranslate(): GitOpsTranslate {
  const snapshot = mockApis.translation().getTranslation(gitOpsTranslationRef);
  if (!snapshot.ready) throw new Error('The mock translation API is not ready');
  return snapshot.t;
}
