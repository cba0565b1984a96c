import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
} from '@kupe/plugin-gitops-common';

/** Tells the owner which annotation makes GitOps state appear. */
export function MissingGitOpsAnnotation() {
  return (
    <MissingAnnotationEmptyState
      annotation={[ARGOCD_APP_SELECTOR_ANNOTATION, ARGOCD_APP_NAME_ANNOTATION]}
    />
  );
}
