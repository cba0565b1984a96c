import gitOpsPlugin from '../index';

describe('gitOpsPlugin search extensions', () => {
  it('adds the result item, the result type and the filters to the search page', () => {
    for (const id of [
      'search-result-list-item:gitops/argocd-application',
      'search-filter-result-type:gitops/argocd-application',
      'search-filter:gitops/argocd-application-sync-status',
      'search-filter:gitops/argocd-application-health-status',
      'search-filter:gitops/argocd-application-environment',
    ]) {
      expect(gitOpsPlugin.getExtension(id as never)).toBeDefined();
    }
  });
});
